// Registers while the leader of a key's partition is cut off from the others
// by the fault network (links dropped, then hung); the majority must elect a
// new leader and the history must be linearizable.
#include "register_fault_run.h"

namespace kahuna::faults {
namespace {

TEST(RegisterFaults, LinearizableWhileTheLeaderIsPartitionedAway) {
  testing::ClusterOptions options{3, kPartitions};
  options.peer_proxies = true;
  FaultRun run(options);
  FaultNetwork network(run.cluster);
  run.start();
  // One cut drops the links, the other hangs them.
  const LinkMode modes[] = {LinkMode::kDrop, LinkMode::kHang};
  auto isolate = [&](int cycle, int leader, const LeaderTarget& target) {
    network.isolate(leader, modes[cycle]);
    std::cout << "[ nemesis  ] isolated node " << leader << " (leads " << target.holds
              << "): " << network.faults() << std::endl;
    // The cut must be real: the majority elects another leader.
    const int majority_node = leader % 3 + 1;
    EXPECT_TRUE(testing::eventually(
        [&] {
          const auto now = static_cast<int>(run.admin.leader_of(target.partition, majority_node));
          return now != 0 && now != leader;
        },
        std::chrono::seconds(5)))
        << "the majority kept node " << leader << " as leader of partition " << target.partition << " under "
        << network.faults() << "; leaders seen: " << leader_views(run.cluster, run.admin) << "; traffic "
        << network.traffic();
    sleep_ms(run.random, 500, 1500);
    network.heal();
    std::cout << "[ nemesis  ] healed" << std::endl;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::cout << "[ nemesis  ] leaders: " << leader_views(run.cluster, run.admin) << std::endl;
  };
  expect_linearizable_while_striking_leaders(run, isolate);
}

}  // namespace
}  // namespace kahuna::faults
