// History: what concurrent clients did, as the checkers need it — for each
// operation the process that ran it, when it was invoked and when its answer
// arrived (monotonic nanoseconds since the history began), and its outcome.
//
// An `unknown` outcome (timeout, connection lost after sending, an error that
// may come after the command was proposed) means the operation may or may not
// have taken effect, at any time after its invocation: its completion is
// recorded as kNever so checkers treat it as still running forever.
// Thread-safe: every client thread records into one History.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

namespace kahuna::faults {

enum class Outcome {
  kOk,       // the answer arrived and is definite (including "busy", "notSet", ...)
  kFail,     // definitely did not happen (never sent; `mustRetry` in strict mode, strictness.h)
  kUnknown,  // may have happened
};

inline constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

template <class Op>
struct Recorded {
  int process = 0;
  std::int64_t invoke = 0;
  std::int64_t complete = kNever;
  Outcome outcome = Outcome::kUnknown;
  Op op{};
};

template <class Op>
class History {
 public:
  History() : origin_(std::chrono::steady_clock::now()) {}

  // Nanoseconds since the history began.
  std::int64_t now() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - origin_)
        .count();
  }

  // Records the invocation; the returned index is passed to complete().
  std::size_t invoke(int process, Op op) {
    const std::int64_t at = now();
    std::lock_guard lock(mutex_);
    entries_.push_back(Recorded<Op>{process, at, kNever, Outcome::kUnknown, std::move(op)});
    return entries_.size() - 1;
  }

  // Records the answer: `op` replaces the invoked one (it carries the
  // results). An unknown outcome keeps the completion at kNever.
  void complete(std::size_t index, Outcome outcome, Op op) {
    const std::int64_t at = now();
    std::lock_guard lock(mutex_);
    Recorded<Op>& entry = entries_.at(index);
    entry.outcome = outcome;
    entry.complete = outcome == Outcome::kUnknown ? kNever : at;
    entry.op = std::move(op);
  }

  // Adds an already finished operation (used by the checkers' unit tests).
  void add(Recorded<Op> entry) {
    std::lock_guard lock(mutex_);
    entries_.push_back(std::move(entry));
  }

  std::vector<Recorded<Op>> entries() const {
    std::lock_guard lock(mutex_);
    return entries_;
  }

 private:
  std::chrono::steady_clock::time_point origin_;
  mutable std::mutex mutex_;
  std::vector<Recorded<Op>> entries_;
};

// "1.234567s" for a history timestamp, "never" for kNever.
inline std::string format_time(std::int64_t ns) {
  if (ns == kNever) return "never";
  const std::int64_t us = ns / 1000;
  std::string fraction = std::to_string(us % 1000000);
  fraction.insert(0, 6 - fraction.size(), '0');
  return std::to_string(us / 1000000) + "." + fraction + "s";
}

}  // namespace kahuna::faults
