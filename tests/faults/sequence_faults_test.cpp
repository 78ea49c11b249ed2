// Sequences under faults: clients reserve values, half of them with
// idempotency keys they repeat, while the sequence's leader is killed and
// restarted; no value may be handed out twice.
#include "fault_run.h"

namespace kahuna::faults {
namespace {

constexpr std::uint32_t kPartitions = 4;

TEST(SequenceFaults, UniqueWhileTheLeaderIsKilledAndRestarted) {
  FaultRun run(testing::ClusterOptions{3, kPartitions});
  run.start();
  const std::string name = "fault-seq";
  ASSERT_EQ(testing::as<Routed<SequenceReply>>(run.admin.call_until_served(1, testing::sequence_create(name)))
                .reply.code,
            SequenceCode::kSuccess);
  History<SequenceOp> history;
  const LeaderTarget sequence{name, partition_for_sequence(name, {kPartitions, 1})};
  run.workload(
      [&](const ProcessContext& c, const std::atomic<bool>& s) { run_sequence_process(c, name, s, history); },
      [&] {
        strike_leader_twice(
            run, {1000, 2000}, [&] { return sequence; }, LeaderFault::kKill);
      });
  const auto entries = history.entries();
  const auto result = check_sequences(entries);
  std::cout << "[ history  ] " << entries.size() << " calls (" << outcome_counts(entries) << "), "
            << result.values << " values" << std::endl;
  EXPECT_GT(result.values, 50) << "seed " << run.seed;
  EXPECT_TRUE(result.ok) << "sequence safety violated (" << replay_note(run.seed) << "):\n"
                         << one_per_line(result.violations);
}

}  // namespace
}  // namespace kahuna::faults
