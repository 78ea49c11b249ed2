// The outcomes of lock, key/value and sequence operations, as the state
// machines produce them and protocol plugins send them.
//
// Every code's number is the outcome code of HTTP-API.md §3 for its family,
// so a protocol sends static_cast<int>(code) as `type` and to_string(code) as
// `typeName`. The state machines produce only the outcome codes a command can
// have; kMustRetry, kOutcomeUnknown and kErrored come from the layers above
// (no leader, a dropped proposal, a timeout in flight, a storage failure).
//
// kMustRetry means "not applied, and never will be": safe to send again.
// kOutcomeUnknown (98, the same number in every family) means the write may
// or may not have been applied; HTTP sends it as the family's error code 99
// with typeName "unknown" (HTTP-API.md §3 has no code of its own for it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/hlc_timestamp.h>

namespace kahuna {

// Set flags (HTTP-API.md §6.1); a bit set, 0 behaves as kSet.
enum KvSetFlag : std::uint32_t {
  kSet = 1,
  kSetNoRevision = 2,
  kSetIfExists = 4,
  kSetIfNotExists = 8,
  kSetIfEqualToValue = 16,
  kSetIfEqualToRevision = 32,
};

enum class LockCode : std::int32_t {
  kLocked = 0,
  kBusy = 1,
  kExtended = 2,
  kUnlocked = 3,
  kGot = 4,
  kOutcomeUnknown = 98,
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
  kLocked = 5,      // sessions: the key is locked for the session
  kCommitted = 8,   // sessions: committed; every write is visible everywhere
  kRolledBack = 9,  // sessions: rolled back; nothing was written
  kExists = 10,
  kOutcomeUnknown = 98,
  kErrored = 99,
  kInvalidInput = 100,
  kMustRetry = 101,
  kAborted = 102,  // sessions: the transaction did not (and will not) commit
  kDoesNotExist = 103,
  kAlreadyLocked = 104,  // sessions: another transaction holds the key (holder named)
};

enum class SequenceCode : std::int32_t {
  kSuccess = 0,
  kNotFound = 1,
  kAlreadyExists = 2,
  kInvalidInput = 3,
  kMaxValueExceeded = 4,
  kMustRetry = 5,
  kAborted = 6,
  kOutcomeUnknown = 98,
  kError = 99,
};

// What became of a change of the cluster's membership or placement.
enum class ClusterCode : std::int32_t {
  kApplied = 0,       // recorded; replicas move in the background
  kUnchanged = 1,     // it was already so
  kInvalidInput = 2,  // malformed request (see message)
  kNotFound = 3,      // no such member
  kRefused = 4,       // the change would leave a partition without a quorum of members (see message)
  kMustRetry = 5,     // not applied and will not be: try again
  kOutcomeUnknown = 98,
  kError = 99,
};

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

// What one step of a transaction did on one partition (a participant's
// prepare, the anchor's decision, a resolve; TRANSACTIONS.md §3). The codes
// a client also sees keep their numbers there.
enum class TxCode : std::int32_t {
  kPrepared = 0,    // intents (and the anchor's record) are in place
  kResolved = 1,    // the transaction's intents on the keys given are gone
  kForgotten = 2,   // the decision record is gone (or was never there)
  kCommitted = 8,   // decided commit; `commit_stamp` is every write's stamp
  kUndecided = 11,  // forget refused: the record is not decided yet
  kOutcomeUnknown = 98,
  kInvalidInput = 100,
  kMustRetry = 101,  // not applied, and will not be
  kAborted = 102,    // a check failed (`key`; `holder` for another's intent), or decided so
};

struct TxReply {
  TxCode code = TxCode::kInvalidInput;
  std::string key{};                // aborted by a check: the key that failed it
  HlcTimestamp holder{};            // aborted by another transaction's intent: its id
  std::uint32_t holder_anchor = 0;  // ... and the partition of its decision record
  HlcTimestamp commit_stamp{};
  // The one-partition commit: the revision each write got, in order.
  std::vector<std::int64_t> revisions{};
  friend bool operator==(const TxReply&, const TxReply&) = default;
};

// What a Kahuna Script answered (TRANSACTIONS.md §4). ScriptCode has the
// numbers of HTTP-API.md §3's key/value column: KvCode has the outcomes of
// the non-transactional verbs only, and a script can also end aborted (102)
// or on a key locked by another transaction (104).
enum class ScriptCode : std::int32_t {
  kSet = 0,
  kNotSet = 1,
  kExtended = 2,
  kGet = 3,
  kDeleted = 4,
  kLocked = 5,      // sessions: the key is locked for the session
  kCommitted = 8,   // sessions: committed; every write is visible everywhere
  kRolledBack = 9,  // sessions: rolled back; nothing was written
  kExists = 10,
  kOutcomeUnknown = 98,
  kErrored = 99,
  kInvalidInput = 100,
  kMustRetry = 101,
  kAborted = 102,
  kDoesNotExist = 103,
  kAlreadyLocked = 104,
};

// A key/value outcome as a script answers it (same number).
constexpr ScriptCode to_script_code(KvCode code) noexcept {
  return static_cast<ScriptCode>(static_cast<std::int32_t>(code));
}

// The `typeName` of a code (HTTP-API.md §10).
constexpr std::string_view to_string(ScriptCode code) noexcept {
  switch (code) {
    case ScriptCode::kSet: return "set";
    case ScriptCode::kNotSet: return "notSet";
    case ScriptCode::kExtended: return "extended";
    case ScriptCode::kGet: return "get";
    case ScriptCode::kDeleted: return "deleted";
    case ScriptCode::kLocked: return "locked";
    case ScriptCode::kCommitted: return "committed";
    case ScriptCode::kRolledBack: return "rolledBack";
    case ScriptCode::kExists: return "exists";
    case ScriptCode::kOutcomeUnknown: return "unknown";
    case ScriptCode::kErrored: return "errored";
    case ScriptCode::kInvalidInput: return "invalidInput";
    case ScriptCode::kMustRetry: return "mustRetry";
    case ScriptCode::kAborted: return "aborted";
    case ScriptCode::kDoesNotExist: return "doesNotExist";
    case ScriptCode::kAlreadyLocked: return "alreadyLocked";
  }
  return "errored";
}

// One row of the reply's `values`: a key read or written by the last
// statement, or an element of a RETURNed value (key "" when the value did not
// come from a key).
struct ScriptValueRow {
  std::string key{};
  std::optional<std::string> value{};  // nullopt: JSON null
  std::int64_t revision = 0;
  HlcTimestamp expires{};
  HlcTimestamp last_modified{};
  friend bool operator==(const ScriptValueRow&, const ScriptValueRow&) = default;
};

struct ScriptReply {
  ScriptCode code = ScriptCode::kErrored;
  std::string reason{};  // why it failed ("... at line N"); empty on success
  std::vector<ScriptValueRow> values{};
  friend bool operator==(const ScriptReply&, const ScriptReply&) = default;
};

// The answer to a session's start, commit, rollback or lock (TRANSACTIONS.md
// §2): code started (kSet), committed, rolledBack, locked, aborted,
// alreadyLocked, outcome unknown (as mustRetry on HTTP: commit again with
// the same handle), invalidInput or mustRetry.
struct TxSessionReply {
  KvCode code = KvCode::kInvalidInput;
  HlcTimestamp transaction_id{};    // start: the new session's id
  std::string record_anchor_key{};  // commit, rollback: where the decision is recorded, when known
  HlcTimestamp holder{};            // alreadyLocked: the transaction holding the key
  std::string reason{};             // why, for anything but success
  friend bool operator==(const TxSessionReply&, const TxSessionReply&) = default;
};

struct ClusterChangeReply {
  ClusterCode code = ClusterCode::kError;
  std::uint64_t metadata_version = 0;  // the cluster metadata's version after the change
  std::string message{};               // why, for anything but applied / unchanged
  friend bool operator==(const ClusterChangeReply&, const ClusterChangeReply&) = default;
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

// ---- Key/value reads ---------------------------------------------------------

// A point read: the latest version (revision < 0 and read_timestamp zero),
// one exact revision (revision >= 0; it wins over a timestamp), or the version
// current at read_timestamp.
struct KvGetQuery {
  std::string key{};
  std::int64_t revision = -1;
  HlcTimestamp read_timestamp{};
};

// get-by-range: the keys whose key space is exactly `key_space`, in key
// order, between the bounds (nullopt = open; the inclusive flags apply only to
// a present bound). Bounds are whole keys.
struct KvRangeQuery {
  std::string key_space{};
  std::optional<std::string> start_key{};
  bool start_inclusive = true;
  std::optional<std::string> end_key{};
  bool end_inclusive = false;
  std::int64_t limit = 0;               // >= 1; capped by KvOptions::max_page_size
  std::optional<std::string> cursor{};  // a previous page's next_cursor
  HlcTimestamp read_timestamp{};        // zero: latest
};

// A row of a scan: a live entry.
struct KvItem {
  std::string key{};
  std::optional<std::string> value{};
  std::int64_t revision = 0;
  HlcTimestamp last_modified{};
  HlcTimestamp expires{};
  friend bool operator==(const KvItem&, const KvItem&) = default;
};

struct KvScanReply {
  KvCode code = KvCode::kGet;   // get, or invalidInput
  std::vector<KvItem> items{};  // sorted by key (byte-wise)
};

struct KvRangePage {
  KvCode code = KvCode::kGet;  // get, or invalidInput (limit < 1, bad cursor)
  std::vector<KvItem> items{};
  bool has_more = false;
  // Resumes strictly after the last returned key; set when has_more.
  std::optional<std::string> next_cursor{};
};

// The `typeName` of each code, e.g. "busy", "notSet", "maxValueExceeded".
constexpr std::string_view to_string(LockCode code) noexcept {
  switch (code) {
    case LockCode::kLocked: return "locked";
    case LockCode::kBusy: return "busy";
    case LockCode::kExtended: return "extended";
    case LockCode::kUnlocked: return "unlocked";
    case LockCode::kGot: return "got";
    case LockCode::kOutcomeUnknown: return "unknown";
    case LockCode::kErrored: return "errored";
    case LockCode::kInvalidInput: return "invalidInput";
    case LockCode::kMustRetry: return "mustRetry";
    case LockCode::kLockDoesNotExist: return "lockDoesNotExist";
    case LockCode::kInvalidOwner: return "invalidOwner";
  }
  return "errored";
}

constexpr std::string_view to_string(KvCode code) noexcept {
  switch (code) {
    case KvCode::kSet: return "set";
    case KvCode::kNotSet: return "notSet";
    case KvCode::kExtended: return "extended";
    case KvCode::kGet: return "get";
    case KvCode::kDeleted: return "deleted";
    case KvCode::kLocked: return "locked";
    case KvCode::kCommitted: return "committed";
    case KvCode::kRolledBack: return "rolledBack";
    case KvCode::kExists: return "exists";
    case KvCode::kOutcomeUnknown: return "unknown";
    case KvCode::kErrored: return "errored";
    case KvCode::kInvalidInput: return "invalidInput";
    case KvCode::kMustRetry: return "mustRetry";
    case KvCode::kAborted: return "aborted";
    case KvCode::kDoesNotExist: return "doesNotExist";
    case KvCode::kAlreadyLocked: return "alreadyLocked";
  }
  return "errored";
}

constexpr std::string_view to_string(ClusterCode code) noexcept {
  switch (code) {
    case ClusterCode::kApplied: return "applied";
    case ClusterCode::kUnchanged: return "unchanged";
    case ClusterCode::kInvalidInput: return "invalidInput";
    case ClusterCode::kNotFound: return "notFound";
    case ClusterCode::kRefused: return "refused";
    case ClusterCode::kMustRetry: return "mustRetry";
    case ClusterCode::kOutcomeUnknown: return "unknown";
    case ClusterCode::kError: return "error";
  }
  return "error";
}

constexpr std::string_view to_string(TxCode code) noexcept {
  switch (code) {
    case TxCode::kPrepared: return "prepared";
    case TxCode::kResolved: return "resolved";
    case TxCode::kForgotten: return "forgotten";
    case TxCode::kCommitted: return "committed";
    case TxCode::kUndecided: return "undecided";
    case TxCode::kOutcomeUnknown: return "unknown";
    case TxCode::kInvalidInput: return "invalidInput";
    case TxCode::kMustRetry: return "mustRetry";
    case TxCode::kAborted: return "aborted";
  }
  return "invalidInput";
}

constexpr std::string_view to_string(SequenceCode code) noexcept {
  switch (code) {
    case SequenceCode::kSuccess: return "success";
    case SequenceCode::kNotFound: return "notFound";
    case SequenceCode::kAlreadyExists: return "alreadyExists";
    case SequenceCode::kInvalidInput: return "invalidInput";
    case SequenceCode::kMaxValueExceeded: return "maxValueExceeded";
    case SequenceCode::kMustRetry: return "mustRetry";
    case SequenceCode::kAborted: return "aborted";
    case SequenceCode::kOutcomeUnknown: return "unknown";
    case SequenceCode::kError: return "error";
  }
  return "error";
}

}  // namespace kahuna
