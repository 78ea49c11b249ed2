// Locks under faults: clients contend for one persistent lock with short
// leases while its partition's leader is killed and restarted, or paused; fencing
// tokens, mutual exclusion and acknowledged unlocks/extends are checked.
#include "fault_run.h"

namespace kahuna::faults {
namespace {

constexpr std::uint32_t kPartitions = 4;

// Three owners contend for one lock while its leader is hit twice by `fault`.
void run_lock_test(LeaderFault fault) {
  FaultRun run(testing::ClusterOptions{3, kPartitions});
  run.start();
  const std::string resource = "fault-lock";
  History<LockOp> history;
  // Locks are placed by their resource name like keys.
  const LeaderTarget lock{resource, partition_for_key(resource, {kPartitions, 1})};
  run.workload([&](const ProcessContext& c,
                   const std::atomic<bool>& s) { run_lock_process(c, resource, 500, s, history); },
               [&] {
                 strike_leader_twice(
                     run, {1500, 2500}, [&] { return lock; }, fault);
               });
  const auto entries = history.entries();
  int grants = 0;
  for (const auto& e : entries)
    grants += e.outcome == Outcome::kOk && e.op.result == LockOp::Result::kGranted;
  std::cout << "[ history  ] " << entries.size() << " operations (" << outcome_counts(entries) << "), "
            << grants << " grants" << std::endl;
  EXPECT_GT(grants, 5) << "seed " << run.seed;
  const auto result = check_locks(entries);
  EXPECT_TRUE(result.ok) << "lock safety violated (" << replay_note(run.seed) << "):\n"
                         << one_per_line(result.violations);
}

TEST(LockFaults, SafeWhileTheLeaderIsKilledAndRestarted) { run_lock_test(LeaderFault::kKill); }

TEST(LockFaults, SafeWhileTheLeaderIsPaused) { run_lock_test(LeaderFault::kPause); }

}  // namespace
}  // namespace kahuna::faults
