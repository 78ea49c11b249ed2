// What running a Kahuna Script answers: a key/value family reply code, a
// reason when it failed, and the rows of `values` (TRANSACTIONS.md §4).
//
// ScriptCode has the numbers of HTTP-API.md §3's key/value column. KvCode
// (kahuna/service_types.h) has the outcome codes of the non-transactional
// verbs only; a script can also end aborted (102) or on a key locked by
// another transaction (104), so the script layer keeps its own enum with the
// same numbers and names, and converts from KvCode by number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/hlc_timestamp.h>
#include <kahuna/service_types.h>

namespace kahuna::script {

enum class ScriptCode : std::int32_t {
  kSet = 0,
  kNotSet = 1,
  kExtended = 2,
  kGet = 3,
  kDeleted = 4,
  kExists = 10,
  kOutcomeUnknown = 98,
  kErrored = 99,
  kInvalidInput = 100,
  kMustRetry = 101,
  kAborted = 102,
  kDoesNotExist = 103,
  kAlreadyLocked = 104,
};

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

struct ScriptResult {
  ScriptCode code = ScriptCode::kErrored;
  std::string reason{};  // empty on success
  std::vector<ScriptValueRow> values{};
};

}  // namespace kahuna::script
