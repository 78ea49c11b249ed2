// Simulation: a deterministic cluster of raft::Core instances over a VirtualNetwork,
// with crashes and restarts, partitions, membership changes, leadership transfers,
// compaction, and clients reading and writing a register. One seed fixes every choice,
// so any run replays exactly (see sim_main.cc for the command line).
#pragma once

#include <cstdint>
#include <string>

namespace kahuna::raft::sim {

struct SimOptions {
  std::uint64_t seed = 1;
  int nodes = 3;     // initial voters (3 or 5 in the test suite)
  int steps = 2500;  // ticks of chaos before the network heals
  int verbose = 0;   // 1: events, 2: also every message
};

struct SimResult {
  bool ok = true;
  std::string failure;  // first violation found, with the tick it happened at
  std::uint64_t committed_entries = 0;
  std::uint64_t operations_checked = 0;
  std::uint64_t heal_writes_committed = 0;
  // Linearizability (linearizability_check.h): whether the search had to run (no
  // verified candidate), whether its first budget ran out and the larger one was needed
  // (if that ran out too, the seed failed), and the steps of its last run.
  bool linearizability_searched = false;
  bool linearizability_needed_larger_budget = false;
  std::uint64_t linearizability_steps = 0;
  std::uint64_t role_changes_checked = 0;  // for election safety, after every input
  // Quiescence (Config::quiesce_ticks, a per-seed feature; 0: off): ticks that ended with
  // a running leader quiesced, and the times a leader was seen entering quiescence.
  int quiesce_ticks = 0;
  std::uint64_t quiesced_ticks = 0;
  std::uint64_t quiescences = 0;
};

SimResult run_simulation(const SimOptions& options);

}  // namespace kahuna::raft::sim
