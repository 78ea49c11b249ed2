// Registers while the leader of a key's partition is cut off from the others
// by the fault network (links dropped, then hung); the majority must elect a
// new leader and the history must be linearizable.
#include <kahuna/placement.h>

#include "register_faults.h"

namespace kahuna::faults {
namespace {

TEST(RegisterFaults, LinearizableWhileTheLeaderIsPartitionedAway) {
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
          std::cout << "[ nemesis  ] isolated node " << leader << " (leads " << key
                    << "): " << network.faults() << std::endl;
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
  expect_linearizable(cluster, history, seed);
}

}  // namespace
}  // namespace kahuna::faults
