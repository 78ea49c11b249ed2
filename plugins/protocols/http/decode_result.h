// DecodeResult: how a request body turned out, and the checks every family
// shares (reserved names, the transaction context of HTTP-API.md §2 and
// TRANSACTIONS.md §2).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <rapidjson/document.h>

#include <kahuna/types/requests.h>

#include "json_fields.h"

namespace kahuna::http {

struct DecodeResult {
  enum class Kind {
    kOk,
    kBadRequest,    // HTTP 400: not JSON, not an object, a field of the wrong type
    kInvalidInput,  // HTTP 200 with the family's invalidInput code
  };
  Kind kind = Kind::kOk;
  std::string reason;

  static DecodeResult ok() { return {}; }
  static DecodeResult bad_request(std::string reason) { return {Kind::kBadRequest, std::move(reason)}; }
  static DecodeResult invalid_input(std::string reason) { return {Kind::kInvalidInput, std::move(reason)}; }
  bool is_ok() const noexcept { return kind == Kind::kOk; }
};

inline constexpr std::string_view kReservedPrefix = "__kahuna:";

inline bool is_reserved_name(std::string_view name) {
  return name.substr(0, kReservedPrefix.size()) == kReservedPrefix;
}

// Reads transactionId, coordinatorKey, operationIdHigh and operationIdLow.
// Outside a transaction they are zero; a non-zero transactionId is the only
// one that makes the request transactional (the return value).
inline bool read_transaction_context(JsonFields& fields, TxContext& out) {
  fields.timestamp("transactionId", out.transaction_id);
  fields.text("coordinatorKey", out.coordinator_key);
  fields.unsigned64("operationIdHigh", out.operation_id_high);
  fields.unsigned64("operationIdLow", out.operation_id_low);
  return !out.transaction_id.is_zero();
}

// Why a call inside a session cannot name it this way; empty when it can.
// Sending only some of the context is invalidInput (TRANSACTIONS.md §2):
// the coordinator key is what routes the call to the session's owner. The
// operation id is one 128-bit number, so either half may be zero.
inline std::string session_context_problem(const TxContext& context) {
  if (context.transaction_id.is_zero()) return "transactionId is required: the id start-tx-session answered";
  if (context.coordinator_key.empty()) return "coordinatorKey is required: the key the session started with";
  if (is_reserved_name(context.coordinator_key)) return "coordinator keys under __kahuna: are reserved";
  return {};
}

// Whether a request body names a session: a non-zero top-level
// transactionId. A transactionId of the wrong type does not: the plain
// verb's decoder then answers 400 for it.
inline bool names_a_session(const rapidjson::Value& body) {
  JsonFields fields(body);
  HlcTimestamp transaction_id;
  fields.timestamp("transactionId", transaction_id);
  return fields.ok() && !transaction_id.is_zero();
}

// The plain form of a verb that has a session form: the context is read
// (so its fields' types are checked) and must be zero; `decode_fields`
// reads the verb's own fields and answers 400 for any field of the wrong
// type, the context's included.
template <class DecodeFields>
DecodeResult decode_outside_session(const rapidjson::Value& body, std::string_view refusal,
                                    DecodeFields decode_fields) {
  JsonFields fields(body);
  TxContext context;
  const bool transactional = read_transaction_context(fields, context);
  DecodeResult result = decode_fields(fields);
  if (result.kind == DecodeResult::Kind::kBadRequest) return result;
  if (transactional) return DecodeResult::invalid_input(std::string(refusal));
  return result;
}

// The session form of a verb: the context into `context`, the verb's own
// fields through `decode_fields`, as the plain form reads them.
template <class DecodeFields>
DecodeResult decode_in_session(const rapidjson::Value& body, TxContext& context, DecodeFields decode_fields) {
  JsonFields fields(body);
  read_transaction_context(fields, context);
  DecodeResult result = decode_fields(fields);
  if (result.kind == DecodeResult::Kind::kBadRequest) return result;
  if (std::string problem = session_context_problem(context); !problem.empty())
    return DecodeResult::invalid_input(std::move(problem));
  return result;
}

// What the plain verbs that have a session form answer for a non-zero
// transactionId; only reached by decoding the plain form directly (the
// HTTP handler sends such a body to the session form).
inline constexpr std::string_view kTransactionsUnsupported =
    "a non-zero transactionId makes this a session call: use the session form";

}  // namespace kahuna::http
