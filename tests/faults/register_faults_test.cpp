// Registers under faults: clients read, write and compare-and-set three keys
// through random nodes while the leader of a key's partition is killed and
// restarted, or paused; the history must be linearizable. (Cut off from the
// others by the fault network: partition_faults_test.cpp.)
#include "register_fault_run.h"

namespace kahuna::faults {
namespace {

void expect_linearizable_while_leaders_are_struck(LeaderFault fault) {
  FaultRun run(testing::ClusterOptions{3, kPartitions});
  run.start();
  expect_linearizable_while_striking_leaders(
      run, [&](int, int leader, const LeaderTarget& target) { strike_leader(run, fault, leader, target); });
}

TEST(RegisterFaults, LinearizableWhileTheLeaderIsKilledAndRestarted) {
  expect_linearizable_while_leaders_are_struck(LeaderFault::kKill);
}

TEST(RegisterFaults, LinearizableWhileTheLeaderIsPaused) {
  expect_linearizable_while_leaders_are_struck(LeaderFault::kPause);
}

}  // namespace
}  // namespace kahuna::faults
