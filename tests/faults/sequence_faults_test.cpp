// Sequences under faults: clients reserve values, half of them with
// idempotency keys they repeat, while the sequence's leader is killed and
// restarted; no value may be handed out twice.
#include <kahuna/placement.h>

#include "fault_test_util.h"

namespace kahuna::faults {
namespace {

constexpr std::uint32_t kPartitions = 4;

TEST(SequenceFaults, UniqueWhileTheLeaderIsKilledAndRestarted) {
  const std::uint64_t seed = test_seed();
  std::mt19937_64 random(seed);
  testing::LocalCluster cluster(testing::test_dir(), testing::ClusterOptions{3, kPartitions});
  cluster.start_all();
  testing::ClusterClient admin(cluster);
  admin.wait_for_leaders();
  const std::string name = "fault-seq";
  ASSERT_EQ(testing::as<Routed<SequenceReply>>(admin.call_until_served(1, testing::sequence_create(name)))
                .reply.code,
            SequenceCode::kSuccess);
  History<SequenceOp> history;
  run_workload(
      cluster, seed, 3,
      [&](const ProcessContext& c, const std::atomic<bool>& s) { run_sequence_process(c, name, s, history); },
      [&] {
        for (int cycle = 0; cycle < 2; ++cycle) {
          sleep_ms(random, 1000, 2000);
          const int leader = leader_of(cluster, admin, partition_for_sequence(name, {kPartitions, 1}));
          if (leader == 0) continue;
          std::cout << "[ nemesis  ] kill -9 node " << leader << std::endl;
          cluster.kill(leader);
          sleep_ms(random, 1000, 2000);
          cluster.start(leader);
        }
        sleep_ms(random, 1000, 1500);
      });
  const auto entries = history.entries();
  const auto result = check_sequences(entries);
  std::cout << "[ history  ] " << entries.size() << " calls (" << outcome_counts(entries) << "), "
            << result.values << " values" << std::endl;
  EXPECT_GT(result.values, 50) << "seed " << seed;
  std::string violations;
  for (const auto& v : result.violations) violations += v + "\n";
  EXPECT_TRUE(result.ok) << "sequence safety violated (" << replay_note(seed) << "):\n" << violations;
}

}  // namespace
}  // namespace kahuna::faults
