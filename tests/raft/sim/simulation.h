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
  bool linearizability_budget_exhausted = false;
};

SimResult run_simulation(const SimOptions& options);

}  // namespace kahuna::raft::sim
