// Linearizability of single-key registers (read, write, compare-and-set).
//
// The search is Wing and Gong's, with Lowe's memoization (the idea behind
// Porcupine and Knossos): walk the history's call/return events in time
// order; at a call, try to linearize that operation now (the model must
// accept it in the current state); at a return whose operation has not been
// linearized yet, backtrack. A configuration (set of linearized operations,
// register state) already explored is never explored again.
//
// Operations with an unknown outcome return at +infinity and may be left out
// entirely: reaching the return of one means every known operation has been
// linearized. Failed operations (never sent, or `mustRetry` in strict mode)
// did not happen: they are left out, so a read of a value only a failed
// write or cas wrote, or a cas that only a failed write could have let
// succeed, is a violation. Keys are independent registers, so each is
// checked alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "history.h"

namespace kahuna::faults {

struct RegisterOp {
  enum class Kind { kRead, kWrite, kCas };
  Kind kind = Kind::kRead;
  std::string key{};
  // read: the value observed (nullopt: the key did not exist);
  // write and cas: the value written.
  std::optional<std::string> value{};
  std::optional<std::string> expected{};  // cas: the value compared against
  bool cas_applied = false;               // cas with a known outcome: set (true) or notSet
};

struct LinearizabilityResult {
  bool ok = true;
  bool inconclusive = false;  // the search gave up (too many steps); not a proof either way
  std::string key{};          // the first key that failed
  std::string report{};       // on failure: the window around where the search got stuck
};

// Checks every key of `history`; registers start as "does not exist".
// `max_steps` bounds the search per key.
LinearizabilityResult check_registers(const std::vector<Recorded<RegisterOp>>& history,
                                      std::uint64_t max_steps = 20'000'000);

std::string describe(const Recorded<RegisterOp>& entry);

}  // namespace kahuna::faults
