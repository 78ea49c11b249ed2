#include "lock_json.h"

#include <limits>

namespace kahuna::http {

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode verb, LockRequest& out) {
  JsonFields fields(body);
  std::string resource;
  std::optional<std::string> owner;
  std::int64_t expires_ms = 0;
  std::int64_t durability = 0;
  const FieldState resource_state = fields.text("resource", resource);
  const bool wants_owner = verb != wire::Opcode::kGetLock;
  const bool wants_expiry = verb == wire::Opcode::kTryLock || verb == wire::Opcode::kTryExtendLock;
  if (wants_owner) fields.bytes("owner", owner);
  FieldState expiry_state = FieldState::kAbsent;
  if (wants_expiry) {
    expiry_state = fields.integer("expiresMs", std::numeric_limits<std::int32_t>::min(),
                                  std::numeric_limits<std::int32_t>::max(), expires_ms);
  }
  fields.durability("durability", durability);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());

  if (resource_state != FieldState::kPresent || resource.empty()) {
    return DecodeResult::invalid_input("resource is required");
  }
  if (is_reserved_name(resource))
    return DecodeResult::invalid_input("resource names under __kahuna: are reserved");
  if (wants_owner && (!owner || owner->empty())) return DecodeResult::invalid_input("owner is required");
  if (wants_expiry && (expiry_state != FieldState::kPresent || expires_ms <= 0)) {
    return DecodeResult::invalid_input("expiresMs must be greater than 0");
  }
  if (durability != 0 && durability != 1) return DecodeResult::invalid_input("durability must be 0 or 1");

  out.resource = std::move(resource);
  out.owner = owner.value_or(std::string());
  out.expires_ms = expires_ms;
  out.durability = durability == 1 ? Durability::kPersistent : Durability::kEphemeral;
  return DecodeResult::ok();
}

std::string encode_lock_reply(wire::Opcode verb, const LockReply& reply,
                              const std::optional<RouteHint>& route) {
  JsonOutput json;
  json.start_object();
  json.outcome(static_cast<int>(reply.code), to_string(reply.code));
  if (verb != wire::Opcode::kUnlock) {
    // Only a grant, an extension or a live lease has a token to show
    // (busy carries 0, as the reference server sends).
    const bool has_token =
        reply.code == LockCode::kLocked || reply.code == LockCode::kExtended || reply.code == LockCode::kGot;
    json.key("fencingToken");
    json.int64(has_token ? reply.fencing_token : 0);
  }
  if (verb == wire::Opcode::kGetLock) {
    const bool held = reply.code == LockCode::kGot;
    json.key("owner");
    json.bytes(held ? reply.owner : std::nullopt);
    json.key("expires");
    json.timestamp(held ? reply.expires : HlcTimestamp{});
  }
  return json.end_routed_reply(route);
}

}  // namespace kahuna::http
