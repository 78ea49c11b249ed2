// The register workload while a nemesis strikes, twice, the leader of a
// random key's partition; the history must be linearizable.
#pragma once

#include "fault_run.h"
#include "register_faults.h"

namespace kahuna::faults {

inline void expect_linearizable_while_striking_leaders(
    FaultRun& run, const std::function<void(int, int, const LeaderTarget&)>& strike) {
  History<RegisterOp> history;
  run.workload([&](const ProcessContext& c,
                   const std::atomic<bool>& s) { run_register_process(c, kKeys, s, history); },
               [&] {
                 strike_leader_twice(
                     run, {1000, 2000}, [&] { return random_key(run, kKeys, kPartitions); }, strike);
               });
  expect_linearizable(run.cluster, history, run.seed);
}

}  // namespace kahuna::faults
