// Shared pieces of the fault tests: the seed every random choice derives
// from, the cluster's leaders as the nemesis needs them, and running a
// workload's processes while a fault schedule plays.
#pragma once

#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "cluster_client.h"
#include "cluster_test_util.h"
#include "local_cluster.h"
#include "strictness.h"
#include "workers.h"
#include "workloads.h"

namespace kahuna::faults {

// KAHUNA_FAULT_SEED when set (to replay a failure), else a fresh one; printed
// either way so that every failure can be replayed.
inline std::uint64_t test_seed() {
  std::uint64_t seed = 0;
  if (const char* text = std::getenv("KAHUNA_FAULT_SEED")) {
    seed = std::strtoull(text, nullptr, 10);
  } else {
    seed = std::random_device{}() * 1000003ull + std::random_device{}();
  }
  std::cout << "[ seed     ] KAHUNA_FAULT_SEED=" << seed << std::endl;
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  return seed;
}

// Strict unless KAHUNA_FAULTS_LENIENT=1 (strictness.h); printed and stored
// as the test's `mode` property, like the seed, since a replay needs both.
inline Strictness test_strictness() {
  const Strictness strictness = strictness_from_environment();
  std::cout << "[ mode     ] " << name(strictness) << ": mustRetry is recorded as "
            << (strictness == Strictness::kStrict ? "fail, not applied (KAHUNA_FAULTS_LENIENT=1 for lenient)"
                                                  : "unknown (KAHUNA_FAULTS_LENIENT is set)")
            << std::endl;
  ::testing::Test::RecordProperty("mode", name(strictness));
  return strictness;
}

// "seed N, strict mode": what a failure message needs to be replayed.
inline std::string replay_note(std::uint64_t seed) {
  return "seed " + std::to_string(seed) + ", " + name(strictness_from_environment()) + " mode";
}

// "120 ok, 3 fail, 1 unknown": a history's outcomes, for the test's output.
template <class Op>
std::string outcome_counts(const std::vector<Recorded<Op>>& entries) {
  int ok = 0;
  int fail = 0;
  int unknown = 0;
  for (const auto& e : entries) {
    ok += e.outcome == Outcome::kOk;
    fail += e.outcome == Outcome::kFail;
    unknown += e.outcome == Outcome::kUnknown;
  }
  return std::to_string(ok) + " ok, " + std::to_string(fail) + " fail, " + std::to_string(unknown) +
         " unknown";
}

inline std::vector<std::string> endpoints(const testing::LocalCluster& cluster) {
  std::vector<std::string> result;
  for (int id = 1; id <= cluster.size(); ++id) result.push_back(cluster.endpoint(id));
  return result;
}

// The leader of `partition` as the first running node that knows one sees
// it; 0 when none does.
inline int leader_of(testing::LocalCluster& cluster, testing::ClusterClient& client,
                     std::uint32_t partition) {
  for (int id = 1; id <= cluster.size(); ++id) {
    if (!cluster.running(id)) continue;
    const auto leader = static_cast<int>(client.leader_of(partition, id));
    if (leader != 0) return leader;
  }
  return 0;
}

// Every running node's view of the leaders and of its peer links, e.g.
// "n1[2 1 1 0 3 connected: 2 3] n2[...]" (partition 0 first; 0 = no leader
// known), for failure messages.
inline std::string leader_views(testing::LocalCluster& cluster, testing::ClusterClient& client) {
  std::string text;
  for (int id = 1; id <= cluster.size(); ++id) {
    if (!cluster.running(id)) continue;
    const ClusterStatus status = client.status(id);
    text += "n" + std::to_string(id) + "[";
    for (const auto& partition : status.partitions) text += std::to_string(partition.leader) + " ";
    text += "connected:";
    for (const auto& node : status.nodes) {
      if (node.connected && node.id != static_cast<std::uint64_t>(id)) text += " " + std::to_string(node.id);
    }
    text += "] ";
  }
  return text;
}

inline void sleep_ms(std::mt19937_64& random, int from_ms, int to_ms) {
  std::this_thread::sleep_for(
      std::chrono::milliseconds(from_ms + static_cast<int>(random() % (to_ms - from_ms + 1))));
}

// Starts `processes` client processes, each running `body(context, stopping)`
// with a seed derived from `seed`, in the mode test_strictness() chooses;
// plays `schedule` on this thread; stops the processes when it returns.
inline void run_workload(const testing::LocalCluster& cluster, std::uint64_t seed, int processes,
                         const std::function<void(const ProcessContext&, const std::atomic<bool>&)>& body,
                         const std::function<void()>& schedule) {
  Workers workers;
  const Strictness strictness = test_strictness();
  for (int p = 1; p <= processes; ++p) {
    ProcessContext context{p, endpoints(cluster), seed * 31 + static_cast<std::uint64_t>(p)};
    context.strictness = strictness;
    workers.spawn([body, context](const std::atomic<bool>& stopping) { body(context, stopping); });
  }
  schedule();
  workers.stop();
}

}  // namespace kahuna::faults
