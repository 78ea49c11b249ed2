// What running a Kahuna Script answers: a key/value family reply code, a
// reason when it failed, and the rows of `values` (TRANSACTIONS.md §4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/hlc_timestamp.h>
#include <kahuna/service_types.h>

namespace kahuna::script {

// The codes, their names and a reply's rows are the public reply's
// (kahuna/service_types.h): what a protocol sends is what ran.
using ::kahuna::ScriptCode;
using ::kahuna::ScriptValueRow;
using ::kahuna::to_script_code;
using ::kahuna::to_string;

struct ScriptResult {
  ScriptCode code = ScriptCode::kErrored;
  std::string reason{};  // empty on success
  std::vector<ScriptValueRow> values{};
};

}  // namespace kahuna::script
