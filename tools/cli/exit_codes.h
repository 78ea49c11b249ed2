// The exit codes of kahuna-cli, part of its scripting contract (docs/cli.md).
#pragma once

#include <kahuna/client/result.h>

namespace kahuna::cli {

inline constexpr int kExitSuccess = 0;      // the operation succeeded
inline constexpr int kExitOutcome = 1;      // the cluster answered with a failure outcome (busy, notFound...)
inline constexpr int kExitUsage = 2;        // the command line is wrong
inline constexpr int kExitUnreachable = 3;  // the cluster could not be reached, or the deadline passed
// The write may or may not have been applied (ErrorKind::kOutcomeUnknown, or
// a reply with the outcome-unknown code 98): apart from 3, because a script
// must read the state back before it runs the command again or gives up.
inline constexpr int kExitOutcomeUnknown = 4;

// The exit code of a call that failed without an outcome.
constexpr int exit_code_of(const client::Error& error) noexcept {
  switch (error.kind) {
    case client::ErrorKind::kInvalidArgument: return kExitUsage;
    case client::ErrorKind::kOutcomeUnknown: return kExitOutcomeUnknown;
    default: return kExitUnreachable;
  }
}

// The exit code of a reply whose success outcome is `success`.
template <class Code>
constexpr int exit_code_of(Code code, Code success) noexcept {
  if (code == success) return kExitSuccess;
  return code == Code::kOutcomeUnknown ? kExitOutcomeUnknown : kExitOutcome;
}

}  // namespace kahuna::cli
