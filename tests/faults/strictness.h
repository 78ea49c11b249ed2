// Strict and lenient mode: what a `mustRetry` reply means to the workloads
// (docs/faults.md, "Strict and lenient mode").
//
// The server's contract: `mustRetry` (lock and key/value 101, sequence 5)
// means the command was not applied and never will be; `unknown` (98) and
// `errored` (99) mean it may have been. Strict mode holds the server to that:
// a `mustRetry` is recorded as kFail ("did not happen"), so a command that
// was answered `mustRetry` and took effect anyway shows up as a violation.
// Lenient mode records it as kUnknown, as servers did before the contract
// (they answered `mustRetry` to a proposal that could still commit).
// Strict is the default; KAHUNA_FAULTS_LENIENT=1 (or the soak's --lenient)
// chooses lenient.
#pragma once

#include <cstdlib>
#include <string_view>

#include "history.h"

namespace kahuna::faults {

enum class Strictness { kStrict, kLenient };

inline const char* name(Strictness strictness) {
  return strictness == Strictness::kStrict ? "strict" : "lenient";
}

// Lenient when KAHUNA_FAULTS_LENIENT is set to anything but "" or "0".
inline Strictness strictness_from_environment() {
  const char* text = std::getenv("KAHUNA_FAULTS_LENIENT");
  if (text == nullptr) return Strictness::kStrict;
  const std::string_view value(text);
  return value.empty() || value == "0" ? Strictness::kStrict : Strictness::kLenient;
}

// The outcome of a `mustRetry` reply: did not happen (strict), or may have
// happened (lenient).
inline Outcome must_retry_outcome(Strictness strictness) {
  return strictness == Strictness::kStrict ? Outcome::kFail : Outcome::kUnknown;
}

}  // namespace kahuna::faults
