#include "scan_json.h"

#include <limits>

#include "base64.h"
#include "json_output.h"
#include "kv_json.h"

namespace kahuna::http {
namespace {

constexpr std::string_view kRangeOutsideSessions =
    "get-by-range does not take part in sessions: send it with a zero transactionId, or read the key "
    "space with get-by-bucket inside the session";

void write_items(JsonOutput& json, const std::vector<KvItem>& items) {
  json.key("items");
  json.start_array();
  for (const KvItem& item : items) {
    json.start_object();
    json.key("key");
    json.string(item.key);
    json.key("value");
    json.bytes(item.value);
    json.key("revision");
    json.int64(item.revision);
    json.key("lastModified");
    json.timestamp(item.last_modified);
    json.end_object();
  }
  json.end_array();
}

}  // namespace

namespace {

// prefixKey, readTimestamp and durability: get-by-bucket's fields in and
// out of a session, and scan-all-by-prefix's.
DecodeResult decode_prefix_fields(JsonFields& fields, KvPrefixRequest& out) {
  const FieldState prefix_state = fields.text("prefixKey", out.prefix);
  fields.timestamp("readTimestamp", out.read_timestamp);
  std::int64_t raw_durability = 0;
  const bool durability_ok = read_kv_durability(fields, raw_durability, out.durability);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  if (prefix_state != FieldState::kPresent || out.prefix.empty())
    return DecodeResult::invalid_input("prefixKey is required");
  if (!durability_ok) return DecodeResult::invalid_input("durability must be 0 or 1");
  return DecodeResult::ok();
}

}  // namespace

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode verb, KvPrefixRequest& out) {
  // Only get-by-bucket names a transaction context (HTTP-API.md §6.3).
  if (verb != wire::Opcode::kKvGetByBucket) {
    JsonFields fields(body);
    return decode_prefix_fields(fields, out);
  }
  return decode_outside_session(body, kTransactionsUnsupported,
                                [&](JsonFields& fields) { return decode_prefix_fields(fields, out); });
}

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, TxKvPrefixRequest& out) {
  return decode_in_session(body, out.context,
                           [&](JsonFields& fields) { return decode_prefix_fields(fields, out.request); });
}

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, KvRangeRequest& out) {
  JsonFields fields(body);
  TxContext context;
  const bool transactional = read_transaction_context(fields, context);
  KvRangeQuery& query = out.query;
  const FieldState prefix_state = fields.text("prefix", query.key_space);
  fields.optional_text("startKey", query.start_key);
  fields.boolean("startInclusive", query.start_inclusive);
  fields.optional_text("endKey", query.end_key);
  fields.boolean("endInclusive", query.end_inclusive);
  fields.integer("limit", std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max(),
                 query.limit);
  fields.timestamp("readTimestamp", query.read_timestamp);
  fields.optional_text("cursor", query.cursor);
  std::int64_t raw_durability = 0;
  const bool durability_ok = read_kv_durability(fields, raw_durability, out.durability);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  if (transactional) return DecodeResult::invalid_input(std::string(kRangeOutsideSessions));
  if (prefix_state != FieldState::kPresent || query.key_space.empty()) {
    return DecodeResult::invalid_input("prefix is required");
  }
  if (query.limit < 1) return DecodeResult::invalid_input("limit must be at least 1");
  if (query.cursor) {
    std::optional<std::string> kernel_cursor = base64_decode(*query.cursor);
    if (!kernel_cursor) return DecodeResult::invalid_input("cursor is not one this server issued");
    query.cursor = std::move(kernel_cursor);
  }
  if (!durability_ok) return DecodeResult::invalid_input("durability must be 0 or 1");
  return DecodeResult::ok();
}

std::string encode_scan_reply(const KvScanReply& reply) {
  JsonOutput json;
  json.start_object();
  json.outcome(static_cast<int>(reply.code), to_string(reply.code));
  write_items(json, reply.items);
  json.end_object();
  return json.take();
}

std::string encode_range_page(const KvRangePage& page) {
  JsonOutput json;
  json.start_object();
  json.outcome(static_cast<int>(page.code), to_string(page.code));
  write_items(json, page.items);
  // The kernel's cursor may hold any bytes; base64 keeps it a JSON string.
  json.key("nextCursor");
  json.bytes(page.has_more ? page.next_cursor : std::nullopt);
  json.key("hasMore");
  json.boolean(page.has_more && page.next_cursor.has_value());
  json.end_object();
  return json.take();
}

}  // namespace kahuna::http
