#include "session_json.h"

#include <limits>

#include "kv_json.h"

namespace kahuna::http {
namespace {

constexpr std::int64_t kInt32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// readValidation: reads are not checked at commit (none), or they are
// (trackAndValidate). The server checks an optimistic session's reads
// whatever this says, so it only matters for what it contradicts.
constexpr std::int64_t kTrackAndValidate = 1;

// What an unknown outcome asks of the client, by the call that met it.
std::string_view retry_advice(wire::Opcode verb) {
  switch (verb) {
    case wire::Opcode::kTxCommit:
      return "outcome not known yet: retry the commit with the same handle (transactionId, "
             "coordinatorKey, recordAnchorKey)";
    case wire::Opcode::kTxRollback:
      return "outcome not known yet: retry the rollback with the same handle (transactionId, "
             "coordinatorKey, recordAnchorKey)";
    default: return "outcome not known yet: send the same request again";
  }
}

}  // namespace

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, TxStartRequest& out) {
  JsonFields fields(body);
  const FieldState key_state = fields.text("coordinatorKey", out.coordinator_key);
  fields.integer("timeout", kInt64Min, kInt64Max, out.timeout_ms);
  std::int64_t locking = 0;
  std::int64_t read_validation = 0;
  fields.integer("lockingType", kInt32Min, kInt32Max, locking);
  fields.integer("readValidation", kInt32Min, kInt32Max, read_validation);
  fields.timestamp("readTimestamp", out.read_timestamp);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());

  if (key_state != FieldState::kPresent || out.coordinator_key.empty()) {
    return DecodeResult::invalid_input(
        "coordinatorKey is required: any key, whose partition's leader will own the session");
  }
  if (is_reserved_name(out.coordinator_key))
    return DecodeResult::invalid_input("coordinator keys under __kahuna: are reserved");
  if (locking != 0 && locking != 1)
    return DecodeResult::invalid_input("lockingType must be 0 (pessimistic) or 1 (optimistic)");
  if (read_validation != 0 && read_validation != kTrackAndValidate)
    return DecodeResult::invalid_input("readValidation must be 0 (none) or 1 (trackAndValidate)");
  // Reads as of a past time cannot be validated against the latest state.
  if (read_validation == kTrackAndValidate && !out.read_timestamp.is_zero())
    return DecodeResult::invalid_input("readTimestamp must be zero with readValidation 1 (trackAndValidate)");
  out.locking = locking == 1 ? TxLocking::kOptimistic : TxLocking::kPessimistic;
  return DecodeResult::ok();
}

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, TxEndRequest& out) {
  return decode_in_session(body, out.context, [&](JsonFields& fields) {
    fields.optional_text("recordAnchorKey", out.record_anchor_key);
    if (!fields.ok()) return DecodeResult::bad_request(fields.error());
    return DecodeResult::ok();
  });
}

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, TxLockRequest& out) {
  return decode_in_session(body, out.context, [&](JsonFields& fields) {
    const FieldState key_state = fields.text("key", out.key);
    fields.integer("expiresMs", kInt32Min, kInt32Max, out.expires_ms);
    std::int64_t raw_durability = 0;
    const bool durability_ok = read_kv_durability(fields, raw_durability, out.durability);
    if (!fields.ok()) return DecodeResult::bad_request(fields.error());
    if (std::string problem = key_problem(out.key, key_state); !problem.empty())
      return DecodeResult::invalid_input(std::move(problem));
    if (out.expires_ms < 0) return DecodeResult::invalid_input("expiresMs must not be negative");
    if (!durability_ok) return DecodeResult::invalid_input("durability must be 0 or 1");
    return DecodeResult::ok();
  });
}

std::string encode_session_reply(wire::Opcode verb, const TxSessionReply& reply,
                                 const std::optional<RouteHint>& route) {
  JsonOutput json;
  json.start_object();
  std::string_view reason = reply.reason;
  if (reply.code == KvCode::kOutcomeUnknown) {
    // Not the families' "unknown" (99): a session's commit is idempotent,
    // so sending it again is exactly what the client should do.
    reason = retry_advice(verb);
    json.outcome(static_cast<int>(KvCode::kMustRetry), to_string(KvCode::kMustRetry));
  } else if (verb == wire::Opcode::kTxStart && reply.code == KvCode::kSet) {
    json.outcome(static_cast<int>(reply.code), "started");
  } else {
    json.outcome(static_cast<int>(reply.code), to_string(reply.code));
  }
  json.key("transactionId");
  json.timestamp(reply.transaction_id);
  json.key("recordAnchorKey");
  if (reply.record_anchor_key.empty())
    json.null();
  else
    json.string(reply.record_anchor_key);
  json.key("holderTransactionId");
  json.timestamp(reply.holder);
  json.key("reason");
  json.string(reason);
  return json.end_routed_reply(route);
}

}  // namespace kahuna::http
