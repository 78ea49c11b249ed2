// Outcome: how one request ended, as a driver reports it to the runner.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kahuna::bench {

// Labels of successful requests. Some successes are not the happy path but
// are expected outcomes of the workload, counted apart: a read of a missing
// key (miss), a lock held by another client (busy), a revision that changed
// between the get and the write (casConflict).
namespace label {
inline constexpr std::string_view kSet = "set";
inline constexpr std::string_view kGet = "get";
inline constexpr std::string_view kMiss = "miss";
inline constexpr std::string_view kCasSuccess = "casSuccess";
inline constexpr std::string_view kCasConflict = "casConflict";
inline constexpr std::string_view kAcquired = "acquired";
inline constexpr std::string_view kBusy = "busy";
inline constexpr std::string_view kAllocated = "allocated";
inline constexpr std::string_view kCommitted = "committed";
inline constexpr std::string_view kAborted = "aborted";
}  // namespace label

struct Outcome {
  bool ok = false;
  // ok: one of the labels above (static storage).
  std::string_view label{};
  // Sequence values allocated by this request.
  std::int64_t values = 0;
  // !ok: the kind of failure (unreachable, deadline, timeout, http503,
  // unexpected:<code>...) and what happened.
  std::string error_kind{};
  std::string message{};

  static Outcome success(std::string_view what, std::int64_t values = 0) {
    Outcome outcome;
    outcome.ok = true;
    outcome.label = what;
    outcome.values = values;
    return outcome;
  }
  static Outcome failure(std::string kind, std::string message) {
    Outcome outcome;
    outcome.error_kind = std::move(kind);
    outcome.message = std::move(message);
    return outcome;
  }
};

}  // namespace kahuna::bench
