// Registers under faults: clients read, write and compare-and-set three keys
// through random nodes while the leader of a key's partition is killed and
// restarted, or paused; the history must be linearizable. (Cut off from the
// others by the fault network: partition_faults_test.cpp.)
#include <kahuna/placement.h>

#include "register_faults.h"

namespace kahuna::faults {
namespace {

TEST(RegisterFaults, LinearizableWhileTheLeaderIsKilledAndRestarted) {
  const std::uint64_t seed = test_seed();
  std::mt19937_64 random(seed);
  testing::LocalCluster cluster(testing::test_dir(), testing::ClusterOptions{3, kPartitions});
  cluster.start_all();
  testing::ClusterClient admin(cluster);
  admin.wait_for_leaders();
  History<RegisterOp> history;
  auto body = register_body();
  run_workload(
      cluster, seed, 3, [&](const ProcessContext& c, const std::atomic<bool>& s) { body(c, s, history); },
      [&] {
        for (int cycle = 0; cycle < 2; ++cycle) {
          sleep_ms(random, 1000, 2000);
          const std::string& key = kKeys[random() % kKeys.size()];
          const int leader = leader_of(cluster, admin, partition_for_key(key, {kPartitions, 1}));
          if (leader == 0) continue;
          std::cout << "[ nemesis  ] kill -9 node " << leader << " (leads " << key << ")" << std::endl;
          cluster.kill(leader);
          sleep_ms(random, 1000, 2000);
          cluster.start(leader);
          std::cout << "[ nemesis  ] restarted node " << leader << std::endl;
        }
        sleep_ms(random, 1000, 1500);
      });
  expect_linearizable(cluster, history, seed);
}

TEST(RegisterFaults, LinearizableWhileTheLeaderIsPaused) {
  const std::uint64_t seed = test_seed();
  std::mt19937_64 random(seed);
  testing::LocalCluster cluster(testing::test_dir(), testing::ClusterOptions{3, kPartitions});
  cluster.start_all();
  testing::ClusterClient admin(cluster);
  admin.wait_for_leaders();
  History<RegisterOp> history;
  auto body = register_body();
  run_workload(
      cluster, seed, 3, [&](const ProcessContext& c, const std::atomic<bool>& s) { body(c, s, history); },
      [&] {
        // Paused longer than the election timeout (10 ticks of 50 ms): the
        // node wakes up believing it still leads.
        for (int cycle = 0; cycle < 2; ++cycle) {
          sleep_ms(random, 1000, 2000);
          const std::string& key = kKeys[random() % kKeys.size()];
          const int leader = leader_of(cluster, admin, partition_for_key(key, {kPartitions, 1}));
          if (leader == 0) continue;
          std::cout << "[ nemesis  ] SIGSTOP node " << leader << " (leads " << key << ")" << std::endl;
          cluster.pause(leader);
          sleep_ms(random, 1200, 2000);
          cluster.resume(leader);
          std::cout << "[ nemesis  ] SIGCONT node " << leader << std::endl;
        }
        sleep_ms(random, 1000, 1500);
      });
  expect_linearizable(cluster, history, seed);
}

}  // namespace
}  // namespace kahuna::faults
