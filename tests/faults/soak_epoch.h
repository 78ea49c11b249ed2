// One epoch of the soak: every workload runs concurrently against the
// cluster while the mixed nemesis plays; then the faults are undone, the
// workloads stop, the final state is read, and each workload's history of
// this epoch alone is checked — which keeps the checkers' cost bounded
// however long the soak runs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "cluster_client.h"
#include "fault_network.h"
#include "local_cluster.h"
#include "mixed_nemesis.h"
#include "soak_report.h"
#include "strictness.h"

namespace kahuna::faults {

struct SoakCluster {
  testing::LocalCluster& cluster;
  FaultNetwork& network;
  testing::ClusterClient& admin;
  MixedNemesis& nemesis;
  std::uint32_t partitions = 4;
  std::uint64_t seed = 0;
  std::function<void(const std::string&)> log;
  Strictness strictness = Strictness::kStrict;  // how the workloads record `mustRetry`
};

// Runs epoch `number` for `length` (shorter if `stopping` turns true: then
// the epoch is not checked and comes back with no checks).
EpochResult run_epoch(SoakCluster& soak, int number, std::chrono::seconds length,
                      const std::atomic<bool>& stopping);

}  // namespace kahuna::faults
