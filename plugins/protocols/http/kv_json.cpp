#include "kv_json.h"

#include <limits>

namespace kahuna::http {
namespace {

constexpr std::int64_t kInt32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

}  // namespace

std::string key_problem(std::string_view key, FieldState state) {
  if (state != FieldState::kPresent || key.empty()) return "key is required";
  if (is_reserved_name(key)) return "keys under __kahuna: are reserved";
  return {};
}

bool read_kv_durability(JsonFields& fields, std::int64_t& raw, Durability& out) {
  raw = 0;
  fields.durability("durability", raw);
  out = raw == 1 ? Durability::kPersistent : Durability::kEphemeral;
  return raw == 0 || raw == 1;
}

DecodeResult decode_kv_set_fields(JsonFields& fields, KvSetRequest& out, std::int64_t& raw_durability) {
  std::string key;
  const FieldState key_state = fields.text("key", key);
  std::optional<std::string> value;
  std::optional<std::string> compare_value;
  std::int64_t compare_revision = 0;
  std::int64_t expires_ms = 0;
  std::int64_t flags = 0;
  fields.bytes("value", value);
  fields.bytes("compareValue", compare_value);
  fields.integer("compareRevision", kInt64Min, kInt64Max, compare_revision);
  fields.integer("expiresMs", kInt32Min, kInt32Max, expires_ms);
  fields.integer("flags", kInt32Min, kInt32Max, flags);
  Durability durability = Durability::kEphemeral;
  const bool durability_ok = read_kv_durability(fields, raw_durability, durability);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());

  out.key = key;
  if (std::string problem = key_problem(key, key_state); !problem.empty())
    return DecodeResult::invalid_input(problem);
  if (expires_ms < 0) return DecodeResult::invalid_input("expiresMs must not be negative");
  if (flags < 0 || (static_cast<std::uint64_t>(flags) & ~std::uint64_t{kPublicSetFlags}) != 0) {
    return DecodeResult::invalid_input("flags must be a combination of 1, 2, 4, 8, 16 and 32");
  }
  if (!durability_ok) return DecodeResult::invalid_input("durability must be 0 or 1");
  out.value = std::move(value);
  out.compare_value = std::move(compare_value);
  out.compare_revision = compare_revision;
  out.expires_ms = expires_ms;
  out.flags = static_cast<std::uint32_t>(flags);
  out.durability = durability;
  return DecodeResult::ok();
}

DecodeResult decode_kv_get_fields(JsonFields& fields, KvGetRequest& out) {
  std::string key;
  const FieldState key_state = fields.text("key", key);
  fields.integer("revision", kInt64Min, kInt64Max, out.query.revision);
  fields.timestamp("readTimestamp", out.query.read_timestamp);
  std::int64_t raw_durability = 0;
  const bool durability_ok = read_kv_durability(fields, raw_durability, out.durability);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  out.query.key = key;
  if (std::string problem = key_problem(key, key_state); !problem.empty())
    return DecodeResult::invalid_input(problem);
  if (!durability_ok) return DecodeResult::invalid_input("durability must be 0 or 1");
  return DecodeResult::ok();
}

DecodeResult decode_kv_key_fields(JsonFields& fields, KvKeyRequest& out) {
  std::string key;
  const FieldState key_state = fields.text("key", key);
  std::int64_t raw_durability = 0;
  const bool durability_ok = read_kv_durability(fields, raw_durability, out.durability);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  out.key = key;
  if (std::string problem = key_problem(key, key_state); !problem.empty())
    return DecodeResult::invalid_input(problem);
  if (!durability_ok) return DecodeResult::invalid_input("durability must be 0 or 1");
  return DecodeResult::ok();
}

DecodeResult decode_kv_extend_fields(JsonFields& fields, KvExtendRequest& out) {
  std::string key;
  const FieldState key_state = fields.text("key", key);
  std::int64_t expires_ms = 0;
  const FieldState expiry_state = fields.integer("expiresMs", kInt32Min, kInt32Max, expires_ms);
  std::int64_t raw_durability = 0;
  const bool durability_ok = read_kv_durability(fields, raw_durability, out.durability);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  out.key = key;
  if (std::string problem = key_problem(key, key_state); !problem.empty())
    return DecodeResult::invalid_input(problem);
  if (expiry_state != FieldState::kPresent || expires_ms <= 0) {
    return DecodeResult::invalid_input("expiresMs must be greater than 0");
  }
  if (!durability_ok) return DecodeResult::invalid_input("durability must be 0 or 1");
  out.expires_ms = expires_ms;
  return DecodeResult::ok();
}

namespace {

DecodeResult decode_set_fields(JsonFields& fields, KvSetRequest& out) {
  std::int64_t raw_durability = 0;
  return decode_kv_set_fields(fields, out, raw_durability);
}

// The plain and the session form of a verb whose fields `decode` reads.
template <class Request, class Decode>
DecodeResult plain_form(const rapidjson::Value& body, Request& out, Decode decode) {
  return decode_outside_session(body, kTransactionsUnsupported,
                                [&](JsonFields& fields) { return decode(fields, out); });
}
template <class SessionRequest, class Decode>
DecodeResult session_form(const rapidjson::Value& body, SessionRequest& out, Decode decode) {
  return decode_in_session(body, out.context,
                           [&](JsonFields& fields) { return decode(fields, out.request); });
}

}  // namespace

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, KvSetRequest& out) {
  return plain_form(body, out, decode_set_fields);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, KvGetRequest& out) {
  return plain_form(body, out, decode_kv_get_fields);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, KvKeyRequest& out) {
  return plain_form(body, out, decode_kv_key_fields);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, KvExtendRequest& out) {
  return plain_form(body, out, decode_kv_extend_fields);
}

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, TxKvSetRequest& out) {
  return session_form(body, out, decode_set_fields);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, TxKvGetRequest& out) {
  return session_form(body, out, decode_kv_get_fields);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, TxKvKeyRequest& out) {
  return session_form(body, out, decode_kv_key_fields);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, TxKvExtendRequest& out) {
  return session_form(body, out, decode_kv_extend_fields);
}

std::string encode_kv_reply(wire::Opcode verb, const KvReply& reply, const std::optional<RouteHint>& route) {
  // A missing key reads as revision 0, null and zero timestamps, whatever
  // the layers below filled in (HTTP-API.md §6.1 try-get).
  const bool is_read = verb == wire::Opcode::kKvGet || verb == wire::Opcode::kKvExists;
  const bool found = reply.code == KvCode::kGet || reply.code == KvCode::kExists;
  JsonOutput json;
  json.start_object();
  json.outcome(static_cast<int>(reply.code), to_string(reply.code));
  if (verb == wire::Opcode::kKvGet) {
    json.key("value");
    json.bytes(found ? reply.value : std::nullopt);
  }
  json.key("revision");
  json.int64(is_read && !found ? 0 : reply.revision);
  if (is_read) {
    json.key("expires");
    json.timestamp(found ? reply.expires : HlcTimestamp{});
  }
  json.key("lastModified");
  json.timestamp(is_read && !found ? HlcTimestamp{} : reply.last_modified);
  return json.end_routed_reply(route);
}

}  // namespace kahuna::http
