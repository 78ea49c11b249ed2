// Replies of the state machines, one struct per family. Every code's number
// is the outcome code of HTTP-API.md §3 for that family, so the protocol
// layer sends static_cast<int>(code) as `type` and to_string(code) as
// `typeName`. The state machines produce only the outcome codes a command
// can have; kMustRetry and kErrored are for the layers above (no leader, a
// dropped proposal, a storage failure).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "services/clock/hlc.h"

namespace kahuna::services {

enum class LockCode : std::int32_t {
  kLocked = 0,
  kBusy = 1,
  kExtended = 2,
  kUnlocked = 3,
  kGot = 4,
  kErrored = 99,
  kInvalidInput = 100,
  kMustRetry = 101,
  kLockDoesNotExist = 102,
  kInvalidOwner = 103,
};

enum class KvCode : std::int32_t {
  kSet = 0,
  kNotSet = 1,
  kExtended = 2,
  kGet = 3,
  kDeleted = 4,
  kExists = 10,
  kErrored = 99,
  kInvalidInput = 100,
  kMustRetry = 101,
  kDoesNotExist = 103,
};

enum class SequenceCode : std::int32_t {
  kSuccess = 0,
  kNotFound = 1,
  kAlreadyExists = 2,
  kInvalidInput = 3,
  kMaxValueExceeded = 4,
  kMustRetry = 5,
  kAborted = 6,
  kError = 99,
};

// The `typeName` of each code, e.g. "busy", "notSet", "maxValueExceeded".
std::string_view to_string(LockCode code) noexcept;
std::string_view to_string(KvCode code) noexcept;
std::string_view to_string(SequenceCode code) noexcept;

struct LockReply {
  LockCode code = LockCode::kErrored;
  std::int64_t fencing_token = 0;
  std::optional<std::string> owner{};  // get-info only: the holder, nullopt when not held
  HlcTimestamp expires{};              // get-info only: the lease's expiry, zero when not held
  friend bool operator==(const LockReply&, const LockReply&) = default;
};

struct KvReply {
  KvCode code = KvCode::kErrored;
  std::int64_t revision = 0;
  HlcTimestamp last_modified{};
  std::optional<std::string> value{};  // reads only; nullopt is JSON null
  HlcTimestamp expires{};              // reads only; zero = never
  friend bool operator==(const KvReply&, const KvReply&) = default;
};

// One row per item, in the order of the command's items.
struct KvBatchReply {
  std::vector<KvReply> items{};
  friend bool operator==(const KvBatchReply&, const KvBatchReply&) = default;
};

struct SequenceAllocation {
  std::string name{};  // empty when nothing was allocated
  std::int64_t start = 0;
  std::int64_t end = 0;  // inclusive: start + (count - 1) * increment
  std::int64_t count = 0;
  std::int64_t revision = 0;
  friend bool operator==(const SequenceAllocation&, const SequenceAllocation&) = default;
};

// The `sequence` object of HTTP-API.md §7.
struct SequenceInfo {
  std::string name{};
  std::int64_t current_value = 0;  // the durable high-water mark
  std::int64_t initial_value = 0;
  std::int64_t increment = 1;
  std::optional<std::int64_t> max_value{};
  std::optional<std::int64_t> block_size{};
  std::int64_t incarnation = 0;
  std::int64_t revision = 0;
  HlcTimestamp created_at{};
  HlcTimestamp updated_at{};
  friend bool operator==(const SequenceInfo&, const SequenceInfo&) = default;
};

struct SequenceReply {
  SequenceCode code = SequenceCode::kError;
  std::int64_t revision = 0;
  std::optional<SequenceInfo> sequence{};  // get only
  SequenceAllocation allocation{};         // next, reserve and reserve-block
  // reserve-block only: the part of the block after `allocation`, for the
  // leader's in-memory allocator (count 0 when nothing is left over).
  SequenceAllocation leftover{};
  std::int64_t increment = 0;  // reserve-block only: the step between values
  friend bool operator==(const SequenceReply&, const SequenceReply&) = default;
};

// A log entry that does not decode as a command. Every replica reaches the
// same verdict and changes nothing; the proposer reports an error.
struct RejectedCommand {
  std::string reason{};
  friend bool operator==(const RejectedCommand&, const RejectedCommand&) = default;
};

using Reply = std::variant<LockReply, KvReply, KvBatchReply, SequenceReply, RejectedCommand>;

}  // namespace kahuna::services
