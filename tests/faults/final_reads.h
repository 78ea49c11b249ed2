// Reading a cluster's final state after a workload, once every node is up
// and every link passes again: what makes a lost write visible.
//
// - Registers: the final linearizable read of every key goes into the
//   history before the check, so an acknowledged write that vanished (a
//   later read seeing an older value, or nothing) fails linearizability.
// - Unique writes: every acknowledged write of a key written once must read
//   back with its value; one without an answer reads back with its value or
//   not at all; a failed one (never sent, or `mustRetry` in strict mode) did
//   not happen and must not be there.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "workloads.h"

namespace kahuna::faults {

// Reads each of `keys` (linearizable, persistent), trying the nodes in turn
// until a definite answer or `deadline`, recording every attempt in
// `history` as process `context.process`. Returns the keys it could not read.
std::vector<std::string> run_final_reads(const ProcessContext& context, const std::vector<std::string>& keys,
                                         std::chrono::milliseconds deadline, History<RegisterOp>& history);

struct WritesCheck {
  int acknowledged = 0;                 // acknowledged writes, all read back
  int unknown_present = 0;              // writes without an answer that took effect
  int failed = 0;                       // failed writes, each of which must read back as absent
  std::vector<std::string> lost;        // acknowledged and missing, or a value nobody wrote
  std::vector<std::string> phantom;     // failed and present: applied although answered as not applied
  std::vector<std::string> unreadable;  // no definite read before the deadline: inconclusive
  bool ok() const { return lost.empty() && phantom.empty() && unreadable.empty(); }
};

// Reads back every write of `history` (unique keys, one write each, as
// run_writer_process makes them) through `endpoints`.
WritesCheck check_writes_present(const std::vector<std::string>& endpoints,
                                 const std::vector<Recorded<RegisterOp>>& history,
                                 std::chrono::milliseconds deadline);

}  // namespace kahuna::faults
