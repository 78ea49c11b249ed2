// Crash durability: every node is killed at once (kill -9) during a write
// load, then all restart; every acknowledged write must be there, on both
// storage engines, also while the logs are compacted every few dozen
// entries (snapshot files written and replaced as the nodes die). Writes
// without an answer may be there or not; failed ones (never sent, or
// `mustRetry` in strict mode) must not be there.
#include "fault_run.h"

namespace kahuna::faults {
namespace {

class CrashDurability : public ::testing::TestWithParam<std::string> {};

void kill_all_during_writes_and_check(const std::string& engine, std::uint64_t compact_after_entries) {
  testing::ClusterOptions options{3, 4};
  options.engine = engine;
  options.compact_after_entries = compact_after_entries;
  FaultRun run(options);
  run.start();
  History<RegisterOp> history;
  run.workload(
      [&](const ProcessContext& c, const std::atomic<bool>& s) { run_writer_process(c, s, history); },
      [&] {
        sleep_ms(run.random, 1500, 2500);
        std::cout << "[ nemesis  ] kill -9 every node" << std::endl;
        run.cluster.kill_all();
      });
  run.cluster.start_all();
  run.admin.wait_for_leaders();

  int acknowledged = 0;
  int unknown_present = 0;
  int failed = 0;
  std::string lost;
  for (const auto& entry : history.entries()) {
    const auto response = run.admin.call_until_served(1, testing::kv_get(entry.op.key));
    const KvReply& reply = testing::as<Routed<KvReply>>(response).reply;
    const bool present = reply.code == KvCode::kGet && reply.value == entry.op.value;
    if (entry.outcome == Outcome::kFail) {
      ++failed;
      // It did not happen.
      EXPECT_EQ(reply.code, KvCode::kDoesNotExist)
          << describe(entry) << " answered as not applied, but is there (" << replay_note(run.seed) << ")";
      continue;
    }
    if (entry.outcome == Outcome::kUnknown) {
      unknown_present += present;
      // Present or absent, but never anything else.
      EXPECT_TRUE(present || reply.code == KvCode::kDoesNotExist)
          << describe(entry) << " (" << replay_note(run.seed) << ")";
      continue;
    }
    ++acknowledged;
    if (!present && lost.size() < 2000)
      lost += "  " + describe(entry) + " -> code " + std::to_string(static_cast<int>(reply.code)) + "\n";
  }
  std::cout << "[ history  ] " << acknowledged << " acknowledged writes, " << unknown_present
            << " unacknowledged ones present, " << failed << " failed ones (all must be absent)" << std::endl;
  EXPECT_GT(acknowledged, 20) << "seed " << run.seed;
  EXPECT_TRUE(lost.empty()) << "acknowledged writes lost (" << replay_note(run.seed) << "):\n" << lost;
}

TEST_P(CrashDurability, EveryAcknowledgedWriteSurvivesKillingAllNodesAtOnce) {
  kill_all_during_writes_and_check(GetParam(), 10000);
}

TEST_P(CrashDurability, EveryAcknowledgedWriteSurvivesKillingAllNodesWhileCompactingOften) {
  kill_all_during_writes_and_check(GetParam(), 40);
}

INSTANTIATE_TEST_SUITE_P(Engines, CrashDurability, ::testing::Values("rocksdb", "lmdb"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kahuna::faults
