// The exit codes of kahuna-cli, part of its scripting contract (docs/cli.md).
#pragma once

#include <kahuna/client/result.h>

namespace kahuna::cli {

inline constexpr int kExitSuccess = 0;      // the operation succeeded
inline constexpr int kExitOutcome = 1;      // the cluster answered with a failure outcome (busy, notFound...)
inline constexpr int kExitUsage = 2;        // the command line is wrong
inline constexpr int kExitUnreachable = 3;  // the cluster could not be reached, or the deadline passed

// The exit code of a call that failed without an outcome.
constexpr int exit_code_of(const client::Error& error) noexcept {
  return error.kind == client::ErrorKind::kInvalidArgument ? kExitUsage : kExitUnreachable;
}

}  // namespace kahuna::cli
