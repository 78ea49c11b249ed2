// The frame every fault test shares: the seed its random choices derive from,
// a cluster of real nodes with a client to ask them, and the nemesis that
// strikes the leader of one partition, twice.
#pragma once

#include <kahuna/placement.h>

#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "fault_test_util.h"

namespace kahuna::faults {

class FaultRun {
 public:
  explicit FaultRun(const testing::ClusterOptions& options)
      : seed(test_seed()), random(seed), cluster(testing::test_dir(), options) {}

  // Starts every node and waits until every partition has a leader. Separate
  // from the constructor: a fault network must be in place before the nodes
  // dial their peers.
  void start() {
    cluster.start_all();
    admin.wait_for_leaders();
  }

  // Three client processes run `body` while `schedule` plays (run_workload).
  void workload(const std::function<void(const ProcessContext&, const std::atomic<bool>&)>& body,
                const std::function<void()>& schedule) {
    run_workload(cluster, seed, 3, body, schedule);
  }

  const std::uint64_t seed;
  std::mt19937_64 random;
  testing::LocalCluster cluster;
  testing::ClusterClient admin{cluster};
};

// The partition whose leader a nemesis strikes, and what it holds (for the
// nemesis' log lines).
struct LeaderTarget {
  std::string holds;
  std::uint32_t partition = 0;
};

// One of `keys`, chosen at random, as a target.
inline LeaderTarget random_key(FaultRun& run, const std::vector<std::string>& keys,
                               std::uint32_t partitions) {
  const std::string& key = keys[run.random() % keys.size()];
  return {key, partition_for_key(key, {partitions, 1})};
}

// Twice: after a random idle while in `idle_ms`, `strike(cycle, leader,
// target)` on the current leader of `choose()`'s partition, skipped when no
// node knows one; then a quiet while for the workload to recover.
inline void strike_leader_twice(FaultRun& run, std::pair<int, int> idle_ms,
                                const std::function<LeaderTarget()>& choose,
                                const std::function<void(int, int, const LeaderTarget&)>& strike) {
  for (int cycle = 0; cycle < 2; ++cycle) {
    sleep_ms(run.random, idle_ms.first, idle_ms.second);
    const LeaderTarget target = choose();
    const int leader = leader_of(run.cluster, run.admin, target.partition);
    if (leader == 0) continue;
    strike(cycle, leader, target);
  }
  sleep_ms(run.random, 1000, 1500);
}

enum class LeaderFault { kKill, kPause };

// kill -9 and restart, or SIGSTOP and SIGCONT, `leader` after a random while.
inline void strike_leader(FaultRun& run, LeaderFault fault, int leader, const LeaderTarget& target) {
  const std::string holding = " (leads " + target.holds + ")";
  if (fault == LeaderFault::kKill) {
    std::cout << "[ nemesis  ] kill -9 node " << leader << holding << std::endl;
    run.cluster.kill(leader);
    sleep_ms(run.random, 1000, 2000);
    run.cluster.start(leader);
    std::cout << "[ nemesis  ] restarted node " << leader << std::endl;
  } else {
    // Paused longer than the election timeout (10 ticks of 50 ms) and than a
    // short lease: the node wakes up believing it still leads, with leases
    // it granted long expired elsewhere.
    std::cout << "[ nemesis  ] SIGSTOP node " << leader << holding << std::endl;
    run.cluster.pause(leader);
    sleep_ms(run.random, 1200, 2000);
    run.cluster.resume(leader);
    std::cout << "[ nemesis  ] SIGCONT node " << leader << std::endl;
  }
}

inline void strike_leader_twice(FaultRun& run, std::pair<int, int> idle_ms,
                                const std::function<LeaderTarget()>& choose, LeaderFault fault) {
  strike_leader_twice(run, idle_ms, choose, [&](int, int leader, const LeaderTarget& target) {
    strike_leader(run, fault, leader, target);
  });
}

// A checker's violations, one a line, for a failure message.
inline std::string one_per_line(const std::vector<std::string>& violations) {
  std::string text;
  for (const auto& v : violations) text += v + "\n";
  return text;
}

}  // namespace kahuna::faults
