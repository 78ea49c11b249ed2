// Transactions through the kernel of a one-node cluster with several
// partitions: the coordinator's steps run on real Raft groups, and the
// housekeeping sweep settles what a coordinator left behind.
#include "kernel_requests.h"

#include "services/commands/command_codec.h"

namespace kahuna::testing {
namespace {

using namespace std::chrono_literals;

services::TxWrite write_of(std::string key, std::string value) {
  return services::TxWrite{std::move(key), services::TxWriteKind::kSet, std::move(value)};
}

class KernelTx : public KernelTest {
 protected:
  KvReply get(const std::string& key) {
    return run(kernel().kv_get(KvGetRequest{KvGetQuery{key, -1, {}}, Durability::kPersistent}, {})).reply;
  }
  // The applied state as it is, without the record a linearizable read
  // consults when it meets a pending write.
  KvReply get_local(const std::string& key) {
    CallOptions local;
    local.consistency = ReadConsistency::kLocal;
    return run(kernel().kv_get(KvGetRequest{KvGetQuery{key, -1, {}}, Durability::kPersistent}, local)).reply;
  }
  // Two keys on different partitions (a key space, what comes before the
  // first '/', lives on one partition).
  std::pair<std::string, std::string> keys_on_two_partitions() {
    std::string first = "acct0/x";
    for (int i = 1; i < 1000; ++i) {
      std::string other = "acct" + std::to_string(i) + "/x";
      if (kernel().partition_of_key(other) != kernel().partition_of_key(first)) return {first, other};
    }
    ADD_FAILURE() << "every key on one partition";
    return {first, first};
  }
  TxPlan plan(std::vector<services::TxWrite> writes, std::vector<services::TxRead> reads = {},
              std::chrono::milliseconds lifetime = 5000ms) {
    TxPlan p;
    p.tx = clock_now();
    p.deadline = HlcTimestamp{p.tx.node, p.tx.physical + lifetime.count(), 0};
    p.writes = std::move(writes);
    p.reads = std::move(reads);
    return p;
  }
  HlcTimestamp clock_now() {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return HlcTimestamp{1, ms.count(), ++counter_};
  }
  std::uint32_t counter_ = 0;
};

TEST_F(KernelTx, WritesOnTwoPartitionsCommitTogether) {
  start();
  const auto [a, b] = keys_on_two_partitions();
  const TxOutcome outcome =
      run(kernel().commit_transaction(plan({write_of(a, "1"), write_of(b, "2")}), 5000ms));
  ASSERT_EQ(outcome.code, TxCode::kCommitted) << to_string(outcome.code);
  EXPECT_EQ(outcome.anchor, kernel().partition_of_key(a));
  const KvReply ra = get(a);
  const KvReply rb = get(b);
  EXPECT_EQ(ra.value, "1");
  EXPECT_EQ(rb.value, "2");
  EXPECT_EQ(ra.last_modified, outcome.commit_stamp);
  EXPECT_EQ(rb.last_modified, outcome.commit_stamp);
  // No intent is left: plain writes go through at once.
  EXPECT_EQ(run(kernel().kv_set(set_request(a, "plain", Durability::kPersistent), {})).reply.code,
            KvCode::kSet);
}

TEST_F(KernelTx, OnePartitionCommitsInOneStepWithRevisions) {
  start();
  run(kernel().kv_set(set_request("solo", "0", Durability::kPersistent), {}));
  const TxOutcome outcome = run(kernel().commit_transaction(
      plan({write_of("solo", "1")}, {services::TxRead{"solo", 0, true}}), 5000ms));
  ASSERT_EQ(outcome.code, TxCode::kCommitted);
  EXPECT_EQ(outcome.revisions, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(get("solo").value, "1");
}

TEST_F(KernelTx, AStaleReadAbortsAndNothingIsWritten) {
  start();
  const auto [a, b] = keys_on_two_partitions();
  run(kernel().kv_set(set_request(b, "seen", Durability::kPersistent), {}));
  run(kernel().kv_set(set_request(b, "changed", Durability::kPersistent), {}));
  const TxOutcome outcome = run(kernel().commit_transaction(
      plan({write_of(a, "x"), write_of(b, "y")}, {services::TxRead{b, 0, true}}), 5000ms));
  EXPECT_EQ(outcome.code, TxCode::kAborted);
  EXPECT_EQ(outcome.key, b);
  EXPECT_EQ(get(a).code, KvCode::kDoesNotExist);
  EXPECT_EQ(get(b).value, "changed");
  // The anchor's prepared intent was rolled back with the rest.
  EXPECT_EQ(run(kernel().kv_set(set_request(a, "plain", Durability::kPersistent), {})).reply.code,
            KvCode::kSet);
}

TEST_F(KernelTx, AnAbandonedTransactionIsSettledByTheSweepAfterItsDeadline) {
  start();
  const auto [a, b] = keys_on_two_partitions();
  const std::uint32_t anchor = kernel().partition_of_key(a);
  // A coordinator prepared both partitions and died before deciding.
  const TxPlan abandoned = plan({write_of(a, "1"), write_of(b, "2")}, {}, 300ms);
  auto prepare = [&](std::uint32_t partition, std::string key, std::vector<std::uint32_t> participants) {
    services::TxPrepare body{abandoned.tx, abandoned.deadline, anchor, {write_of(key, "v")},
                             {},           participants};
    TxStepRequest request{partition, services::encode_command(services::Command{{}, std::move(body)})};
    return run(kernel().tx_step(std::move(request), {})).reply.code;
  };
  ASSERT_EQ(prepare(anchor, a, {anchor, kernel().partition_of_key(b)}), TxCode::kPrepared);
  ASSERT_EQ(prepare(kernel().partition_of_key(b), b, {}), TxCode::kPrepared);
  EXPECT_EQ(run(kernel().kv_set(set_request(b, "blocked", Durability::kPersistent), {})).reply.code,
            KvCode::kMustRetry);
  // Before the deadline the sweep leaves it alone; after it, the record is
  // decided aborted and both intents go.
  run(kernel().sweep_stale_intents());
  EXPECT_EQ(run(kernel().kv_set(set_request(b, "blocked", Durability::kPersistent), {})).reply.code,
            KvCode::kMustRetry);
  std::this_thread::sleep_for(400ms);
  run(kernel().sweep_stale_intents());
  EXPECT_EQ(run(kernel().kv_set(set_request(a, "free", Durability::kPersistent), {})).reply.code,
            KvCode::kSet);
  EXPECT_EQ(run(kernel().kv_set(set_request(b, "free", Durability::kPersistent), {})).reply.code,
            KvCode::kSet);
  EXPECT_EQ(get(a).revision, 0);  // the abandoned writes never landed
}

TEST_F(KernelTx, ACommittedButUnresolvedTransactionIsFinishedByTheSweep) {
  start();
  const auto [a, b] = keys_on_two_partitions();
  const std::uint32_t anchor = kernel().partition_of_key(a);
  const std::uint32_t other = kernel().partition_of_key(b);
  const TxPlan plan_ = plan({write_of(a, "1"), write_of(b, "2")}, {}, 300ms);
  auto step = [&](std::uint32_t partition, services::CommandBody body) {
    TxStepRequest request{partition, services::encode_command(services::Command{{}, std::move(body)})};
    return run(kernel().tx_step(std::move(request), {})).reply;
  };
  ASSERT_EQ(
      step(anchor,
           services::TxPrepare{plan_.tx, plan_.deadline, anchor, {write_of(a, "A")}, {}, {anchor, other}})
          .code,
      TxCode::kPrepared);
  ASSERT_EQ(
      step(other, services::TxPrepare{plan_.tx, plan_.deadline, anchor, {write_of(b, "B")}, {}, {}}).code,
      TxCode::kPrepared);
  const TxReply decided = step(anchor, services::TxDecide{plan_.tx, true});
  ASSERT_EQ(decided.code, TxCode::kCommitted);
  // The coordinator died here. The sweep finishes its work.
  std::this_thread::sleep_for(400ms);
  run(kernel().sweep_stale_intents());
  EXPECT_EQ(get_local(a).value, "A");
  EXPECT_EQ(get_local(b).value, "B");
  EXPECT_EQ(get_local(b).last_modified, decided.commit_stamp);
}

TEST_F(KernelTx, AReaderThatMeetsACommittedWriteResolvesItFirst) {
  start();
  const auto [a, b] = keys_on_two_partitions();
  ASSERT_EQ(run(kernel().kv_set(set_request(b, "old", Durability::kPersistent), {})).reply.code,
            KvCode::kSet);
  const std::uint32_t anchor = kernel().partition_of_key(a);
  const std::uint32_t other = kernel().partition_of_key(b);
  const TxPlan plan_ = plan({write_of(a, "1"), write_of(b, "2")});
  auto step = [&](std::uint32_t partition, services::CommandBody body) {
    TxStepRequest request{partition, services::encode_command(services::Command{{}, std::move(body)})};
    return run(kernel().tx_step(std::move(request), {})).reply;
  };
  ASSERT_EQ(
      step(anchor,
           services::TxPrepare{plan_.tx, plan_.deadline, anchor, {write_of(a, "A")}, {}, {anchor, other}})
          .code,
      TxCode::kPrepared);
  ASSERT_EQ(
      step(other, services::TxPrepare{plan_.tx, plan_.deadline, anchor, {write_of(b, "B")}, {}, {}}).code,
      TxCode::kPrepared);
  // Undecided: readers see the committed version, and the write stays pending.
  EXPECT_EQ(get(b).value, "old");
  EXPECT_EQ(run(kernel().kv_set(set_request(b, "x", Durability::kPersistent), {})).reply.code,
            KvCode::kMustRetry);
  // Decided (the anchor resolved its own write) but not resolved on the
  // other partition — the coordinator answered "committed" and lost it.
  const TxReply decided = step(anchor, services::TxDecideResolve{plan_.tx, true, {a}});
  ASSERT_EQ(decided.code, TxCode::kCommitted);
  EXPECT_EQ(get_local(b).value, "old");
  // A linearizable read must show the commit.
  const KvReply read = get(b);
  EXPECT_EQ(read.value, "B");
  EXPECT_EQ(read.last_modified, decided.commit_stamp);
  EXPECT_EQ(get_local(b).value, "B");  // resolved for good, not just answered
  EXPECT_EQ(run(kernel().kv_set(set_request(b, "free", Durability::kPersistent), {})).reply.code,
            KvCode::kSet);
}

TEST_F(KernelTx, BadStepsAreRefused) {
  start();
  auto code_of = [&](std::uint32_t partition, std::string command) {
    return run(kernel().tx_step(TxStepRequest{partition, std::move(command)}, {})).reply.code;
  };
  const std::string forget = services::encode_command(services::Command{{}, services::TxForget{clock_now()}});
  const std::string plain_set = services::encode_command(services::Command{{}, services::KvSet{"k", "v"}});
  EXPECT_EQ(code_of(1, "garbage"), TxCode::kInvalidInput);
  EXPECT_EQ(code_of(1, plain_set), TxCode::kInvalidInput);  // not a transaction step
  EXPECT_EQ(code_of(0, forget), TxCode::kInvalidInput);     // the metadata partition
  EXPECT_EQ(code_of(100000, forget), TxCode::kInvalidInput);
  EXPECT_EQ(code_of(1, forget), TxCode::kForgotten);
  EXPECT_EQ(get("k").code, KvCode::kDoesNotExist);
}

}  // namespace
}  // namespace kahuna::testing
