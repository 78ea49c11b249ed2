// Registers under faults: clients read, write and compare-and-set three keys
// through random nodes while the leader of a key's partition is killed and
// restarted, or cut off from the others; the history must be linearizable.
#include <kahuna/placement.h>

#include "fault_network.h"
#include "fault_test_util.h"

namespace kahuna::faults {
namespace {

const std::vector<std::string> kKeys = {"reg-a/x", "reg-b/x", "reg-c/x"};
constexpr std::uint32_t kPartitions = 4;

void expect_linearizable(const History<RegisterOp>& history, std::uint64_t seed) {
  const auto entries = history.entries();
  int ok = 0;
  int unknown = 0;
  for (const auto& e : entries) {
    ok += e.outcome == Outcome::kOk;
    unknown += e.outcome == Outcome::kUnknown;
  }
  std::cout << "[ history  ] " << entries.size() << " operations, " << ok << " ok, " << unknown << " unknown"
            << std::endl;
  EXPECT_GT(ok, 50) << "too few operations succeeded to mean anything (seed " << seed << ")";
  const auto result = check_registers(entries);
  EXPECT_TRUE(result.ok) << "not linearizable (seed " << seed << ")" << (result.inconclusive ? " [inconclusive]" : "")
                         << "\n" << result.report;
}

auto register_body() {
  return [](const ProcessContext& context, const std::atomic<bool>& stopping, History<RegisterOp>& history) {
    run_register_process(context, kKeys, stopping, history);
  };
}

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
  expect_linearizable(history, seed);
}

// Disabled in the suite: under a loaded parallel run the proxied cluster
// sometimes never forms (a peer port taken between its allocation and its
// bind); run it alone with --gtest_also_run_disabled_tests.
TEST(RegisterFaults, DISABLED_LinearizableWhileTheLeaderIsPartitionedAway) {
  const std::uint64_t seed = test_seed();
  std::mt19937_64 random(seed);
  testing::ClusterOptions options{3, kPartitions};
  options.peer_proxies = true;
  testing::LocalCluster cluster(testing::test_dir(), options);
  FaultNetwork network(cluster);
  cluster.start_all();
  testing::ClusterClient admin(cluster);
  admin.wait_for_leaders();
  History<RegisterOp> history;
  auto body = register_body();
  run_workload(
      cluster, seed, 3, [&](const ProcessContext& c, const std::atomic<bool>& s) { body(c, s, history); },
      [&] {
        // One cut drops the links, the other hangs them.
        for (LinkMode mode : {LinkMode::kDrop, LinkMode::kHang}) {
          sleep_ms(random, 1000, 2000);
          const std::string& key = kKeys[random() % kKeys.size()];
          const int leader = leader_of(cluster, admin, partition_for_key(key, {kPartitions, 1}));
          if (leader == 0) continue;
          network.isolate(leader, mode);
          std::cout << "[ nemesis  ] isolated node " << leader << " (leads " << key << "): " << network.faults()
                    << std::endl;
          // The cut must be real: the majority elects another leader.
          const int majority_node = leader % 3 + 1;
          const auto partition = partition_for_key(key, {kPartitions, 1});
          EXPECT_TRUE(testing::eventually(
              [&] {
                const auto now = static_cast<int>(admin.leader_of(partition, majority_node));
                return now != 0 && now != leader;
              },
              std::chrono::seconds(5)))
              << "the majority kept node " << leader << " as leader of partition " << partition << " under "
              << network.faults() << "; leaders seen: " << leader_views(cluster, admin) << "; traffic "
              << network.traffic();
          sleep_ms(random, 500, 1500);
          network.heal();
          std::cout << "[ nemesis  ] healed" << std::endl;
          std::this_thread::sleep_for(std::chrono::milliseconds(300));
          std::cout << "[ nemesis  ] leaders: " << leader_views(cluster, admin) << std::endl;
        }
        sleep_ms(random, 1000, 1500);
      });
  expect_linearizable(history, seed);
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
  expect_linearizable(history, seed);
}

}  // namespace
}  // namespace kahuna::faults
