#include "kv_batch_json.h"

#include <limits>

#include "kv_json.h"

namespace kahuna::http {
namespace {

constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// The `items` array: every element must be an object.
const rapidjson::Value* items_of(JsonFields& fields, bool& missing) {
  const rapidjson::Value* items = fields.array("items");
  missing = items == nullptr;
  if (items == nullptr) return nullptr;
  for (const rapidjson::Value& item : items->GetArray()) {
    if (!item.IsObject()) {
      fields.fail("every element of 'items' must be an object");
      return nullptr;
    }
  }
  return items;
}

}  // namespace

DecodeResult decode_set_many(const rapidjson::Value& body, BatchRequest<KvSetRequest>& out) {
  JsonFields fields(body);
  const rapidjson::Value* items = items_of(fields, out.items_missing);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  if (items == nullptr) return DecodeResult::ok();
  for (const rapidjson::Value& element : items->GetArray()) {
    JsonFields item_fields(element);
    BatchItem<KvSetRequest> item;
    TxContext context;
    if (read_transaction_context(item_fields, context)) out.transactional = true;
    const DecodeResult result = decode_kv_set_fields(item_fields, item.request, item.durability);
    if (result.kind == DecodeResult::Kind::kBadRequest)
      return DecodeResult::bad_request("in 'items': " + result.reason);
    item.key = item.request.key;
    if (!result.is_ok()) item.invalid = result.reason;
    out.items.push_back(std::move(item));
  }
  return DecodeResult::ok();
}

DecodeResult decode_delete_many(const rapidjson::Value& body, BatchRequest<KvKeyRequest>& out) {
  JsonFields fields(body);
  out.transactional = read_transaction_context(fields, out.session);
  const rapidjson::Value* items = items_of(fields, out.items_missing);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  if (items == nullptr) return DecodeResult::ok();
  bool sessions_differ = false;
  for (const rapidjson::Value& element : items->GetArray()) {
    JsonFields item_fields(element);
    BatchItem<KvKeyRequest> item;
    HlcTimestamp transaction_id;
    item_fields.timestamp("transactionId", transaction_id);
    if (!transaction_id.is_zero()) {
      // Items may each name the session (the reference client does), but
      // one batch runs in one session.
      if (out.session.transaction_id.is_zero()) out.session.transaction_id = transaction_id;
      sessions_differ = sessions_differ || transaction_id != out.session.transaction_id;
      out.transactional = true;
    }
    const FieldState key_state = item_fields.text("key", item.key);
    const bool durability_ok = read_kv_durability(item_fields, item.durability, item.request.durability);
    if (!item_fields.ok()) return DecodeResult::bad_request("in 'items': " + item_fields.error());
    item.request.key = item.key;
    item.invalid = key_problem(item.key, key_state);
    if (item.invalid.empty() && !durability_ok) item.invalid = "durability must be 0 or 1";
    out.items.push_back(std::move(item));
  }
  if (out.transactional) {
    out.session_problem =
        sessions_differ ? "the items name different transactions" : session_context_problem(out.session);
  }
  return DecodeResult::ok();
}

DecodeResult decode_get_many(const rapidjson::Value& body, BatchRequest<KvGetRequest>& out) {
  JsonFields fields(body);
  HlcTimestamp transaction_id;
  HlcTimestamp read_timestamp;
  fields.timestamp("transactionId", transaction_id);
  fields.timestamp("readTimestamp", read_timestamp);
  out.transactional = !transaction_id.is_zero();
  const rapidjson::Value* items = items_of(fields, out.items_missing);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  if (items == nullptr) return DecodeResult::ok();
  for (const rapidjson::Value& element : items->GetArray()) {
    JsonFields item_fields(element);
    BatchItem<KvGetRequest> item;
    const FieldState key_state = item_fields.text("key", item.key);
    item_fields.integer("revision", kInt64Min, kInt64Max, item.request.query.revision);
    const bool durability_ok = read_kv_durability(item_fields, item.durability, item.request.durability);
    if (!item_fields.ok()) return DecodeResult::bad_request("in 'items': " + item_fields.error());
    item.request.query.key = item.key;
    item.request.query.read_timestamp = read_timestamp;
    item.invalid = key_problem(item.key, key_state);
    if (item.invalid.empty() && !durability_ok) item.invalid = "durability must be 0 or 1";
    out.items.push_back(std::move(item));
  }
  return DecodeResult::ok();
}

KvCode batch_success_code(wire::Opcode verb) {
  switch (verb) {
    case wire::Opcode::kKvSetMany: return KvCode::kSet;
    case wire::Opcode::kKvDeleteMany: return KvCode::kDeleted;
    case wire::Opcode::kKvGetMany:
    case wire::Opcode::kKvExistsMany: return KvCode::kGet;
    default: return KvCode::kErrored;  // not a batch
  }
}

std::string encode_batch_reply(wire::Opcode verb, KvCode envelope, const std::vector<BatchRow>& rows,
                               std::int64_t elapsed_ms) {
  const bool is_read = verb == wire::Opcode::kKvGetMany || verb == wire::Opcode::kKvExistsMany;
  std::vector<RouteHint> routes;
  JsonOutput json;
  json.start_object();
  json.outcome(static_cast<int>(envelope), to_string(envelope));
  json.key("timeElapsedMs");
  json.int64(elapsed_ms);
  json.key("items");
  json.start_array();
  for (const BatchRow& row : rows) {
    const bool found = row.reply.code == KvCode::kGet || row.reply.code == KvCode::kExists;
    const bool blank = is_read && !found;  // a missing key reads as zeros
    json.start_object();
    json.key("key");
    json.string(row.key);
    json.outcome(static_cast<int>(row.reply.code), to_string(row.reply.code));
    if (is_read) {
      json.key("value");
      json.bytes(verb == wire::Opcode::kKvGetMany && found ? row.reply.value : std::nullopt);
    }
    json.key("revision");
    json.int64(blank ? 0 : row.reply.revision);
    json.key("lastModified");
    json.timestamp(blank ? HlcTimestamp{} : row.reply.last_modified);
    json.key("durability");
    json.int64(row.durability);
    std::size_t route_index = 0;
    if (row.route) {
      for (std::size_t i = 0; i < routes.size() && route_index == 0; ++i) {
        if (routes[i] == *row.route) route_index = i + 1;
      }
      if (route_index == 0) {
        routes.push_back(*row.route);
        route_index = routes.size();
      }
    }
    json.key("routeIndex");
    json.uint64(route_index);
    json.end_object();
  }
  json.end_array();
  json.key("routes");
  json.start_array();
  for (const RouteHint& route : routes) json.route(route);
  json.end_array();
  json.end_object();
  return json.take();
}

}  // namespace kahuna::http
