// DecodeResult: how a request body turned out, and the checks every family
// shares (reserved names, the transaction context of HTTP-API.md §2).
#pragma once

#include <string>
#include <string_view>
#include <utility>

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
// one that makes the request transactional.
inline bool read_transaction_context(JsonFields& fields) {
  HlcTimestamp transaction_id;
  std::string coordinator_key;
  std::uint64_t operation_id = 0;
  fields.timestamp("transactionId", transaction_id);
  fields.text("coordinatorKey", coordinator_key);
  fields.unsigned64("operationIdHigh", operation_id);
  fields.unsigned64("operationIdLow", operation_id);
  return !transaction_id.is_zero();
}

inline constexpr std::string_view kTransactionsUnsupported =
    "interactive transactions are not available: transactionId must be zero";

}  // namespace kahuna::http
