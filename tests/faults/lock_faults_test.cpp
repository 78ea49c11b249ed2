// Locks under faults: clients contend for one persistent lock with short
// leases while its partition's leader is killed and restarted, or paused; fencing
// tokens, mutual exclusion and acknowledged unlocks/extends are checked.
#include <kahuna/placement.h>

#include "fault_test_util.h"

namespace kahuna::faults {
namespace {

constexpr std::uint32_t kPartitions = 4;

enum class Fault { kKill, kPause };

// Three owners contend for one lock while its leader is hit twice by `fault`.
void run_lock_test(Fault fault) {
  const std::uint64_t seed = test_seed();
  std::mt19937_64 random(seed);
  testing::LocalCluster cluster(testing::test_dir(), testing::ClusterOptions{3, kPartitions});
  cluster.start_all();
  testing::ClusterClient admin(cluster);
  admin.wait_for_leaders();
  const std::string resource = "fault-lock";
  History<LockOp> history;
  run_workload(
      cluster, seed, 3,
      [&](const ProcessContext& c, const std::atomic<bool>& s) {
        run_lock_process(c, resource, 500, s, history);
      },
      [&] {
        for (int cycle = 0; cycle < 2; ++cycle) {
          sleep_ms(random, 1500, 2500);
          // Locks are placed by their resource name like keys.
          const int leader = leader_of(cluster, admin, partition_for_key(resource, {kPartitions, 1}));
          if (leader == 0) continue;
          if (fault == Fault::kKill) {
            std::cout << "[ nemesis  ] kill -9 node " << leader << std::endl;
            cluster.kill(leader);
            sleep_ms(random, 1000, 2000);
            cluster.start(leader);
          } else {
            // Longer than a lease and an election: the paused leader wakes
            // with leases it granted long expired elsewhere.
            std::cout << "[ nemesis  ] SIGSTOP node " << leader << std::endl;
            cluster.pause(leader);
            sleep_ms(random, 1200, 2000);
            cluster.resume(leader);
          }
        }
        sleep_ms(random, 1000, 1500);
      });
  const auto entries = history.entries();
  int grants = 0;
  for (const auto& e : entries)
    grants += e.outcome == Outcome::kOk && e.op.result == LockOp::Result::kGranted;
  std::cout << "[ history  ] " << entries.size() << " operations (" << outcome_counts(entries) << "), "
            << grants << " grants" << std::endl;
  EXPECT_GT(grants, 5) << "seed " << seed;
  const auto result = check_locks(entries);
  std::string violations;
  for (const auto& v : result.violations) violations += v + "\n";
  EXPECT_TRUE(result.ok) << "lock safety violated (" << replay_note(seed) << "):\n" << violations;
}

TEST(LockFaults, SafeWhileTheLeaderIsKilledAndRestarted) { run_lock_test(Fault::kKill); }

TEST(LockFaults, SafeWhileTheLeaderIsPaused) { run_lock_test(Fault::kPause); }

}  // namespace
}  // namespace kahuna::faults
