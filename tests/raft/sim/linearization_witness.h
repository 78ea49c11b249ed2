// A fast way to prove a register history linearizable: build one candidate linearization
// directly and verify it, instead of searching for one.
//
// Why: the search (register_history.h) is exponential in the number of overlapping
// operations, and the simulation's histories often hold a dozen writes that overlap
// for a long time (proposed to a leader that is then cut off, applied much later).
//
// The candidate comes from Gibbons & Korach's zones ("Testing shared memories", 1997; as
// stated by Golab, Li and Shah, PODC 2011). With unique write values each value's write
// and reads form a cluster, which a linearization keeps together, write first. A cluster
// must be placed after every call and before every return of its operations: between
// f = its earliest return and s = its latest call. If f < s it spans [f, s] ("forward");
// otherwise it fits at any single point of [s, f] ("backward"). Clusters X before Y
// respects real time iff s(X) < f(Y); ordering clusters by f (forward) or s (backward)
// always picks such an order when one exists, so for a history with unique writes the
// candidate is a linearization whenever there is one.
//
// Soundness does not rest on that argument: a candidate counts only after
// is_linearization() has checked it, and when it fails the caller falls back to the
// search, which decides.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "register_history.h"

namespace kahuna::raft::sim {

// Indices into `ops` (completed operations) in linearization order, or nullopt if the
// construction found none (the history may still be linearizable, e.g. if values repeat).
std::optional<std::vector<std::size_t>> find_linearization(const std::vector<RegisterOp>& ops,
                                                           const std::string& initial);

// True iff `order` lists every operation of `ops` exactly once, each read returns the
// value of the last write before it (or `initial`), and an operation that returned
// before another was called comes first.
bool is_linearization(const std::vector<RegisterOp>& ops, const std::string& initial,
                      const std::vector<std::size_t>& order);

}  // namespace kahuna::raft::sim
