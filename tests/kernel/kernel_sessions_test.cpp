// Interactive sessions through the kernel of a one-node cluster with several
// partitions: locks are real intents on real Raft groups, commits go through
// the coordinator, and the reaper ends sessions past their time.
#include "kernel_requests.h"

namespace kahuna::testing {
namespace {

using namespace std::chrono_literals;

class KernelSessions : public KernelTest {
 protected:
  HlcTimestamp begin(TxLocking locking = TxLocking::kPessimistic, std::int64_t timeout_ms = 5000) {
    TxStartRequest request{"coordinator", timeout_ms, locking, {}};
    const TxSessionReply reply = run(kernel().tx_start(std::move(request), {})).reply;
    EXPECT_EQ(reply.code, KvCode::kSet) << reply.reason;
    return reply.transaction_id;
  }
  static TxContext context(const HlcTimestamp& tx, std::uint64_t operation = 0) {
    return TxContext{tx, "coordinator", 0, operation};
  }
  KvReply tx_set(const HlcTimestamp& tx, std::string key, std::string value, std::uint64_t operation = 0) {
    TxKvSetRequest request{context(tx, operation), set_request(std::move(key), std::move(value))};
    return run(kernel().tx_kv_set(std::move(request), {})).reply;
  }
  KvReply tx_get(const HlcTimestamp& tx, std::string key) {
    TxKvGetRequest request{context(tx),
                           KvGetRequest{KvGetQuery{std::move(key), -1, {}}, Durability::kPersistent}};
    return run(kernel().tx_kv_get(std::move(request), {})).reply;
  }
  KvReply tx_delete(const HlcTimestamp& tx, std::string key) {
    TxKvKeyRequest request{context(tx), KvKeyRequest{std::move(key), Durability::kPersistent}};
    return run(kernel().tx_kv_delete(std::move(request), {})).reply;
  }
  TxSessionReply commit(const HlcTimestamp& tx, std::optional<std::string> anchor = std::nullopt) {
    return run(kernel().tx_commit(TxEndRequest{context(tx), std::move(anchor)}, {})).reply;
  }
  TxSessionReply rollback(const HlcTimestamp& tx) {
    return run(kernel().tx_rollback(TxEndRequest{context(tx), std::nullopt}, {})).reply;
  }
  TxSessionReply lock(const HlcTimestamp& tx, std::string key) {
    TxLockRequest request{context(tx), std::move(key), 0, Durability::kPersistent};
    return run(kernel().tx_lock(std::move(request), {})).reply;
  }
  KvReply get(const std::string& key) {
    return run(kernel().kv_get(KvGetRequest{KvGetQuery{key, -1, {}}, Durability::kPersistent}, {})).reply;
  }
  KvCode plain_set(const std::string& key, const std::string& value) {
    return run(kernel().kv_set(set_request(key, value), {})).reply.code;
  }
  // Two keys on different partitions (a key space lives on one partition).
  std::pair<std::string, std::string> keys_on_two_partitions() {
    std::string first = "acct0/x";
    for (int i = 1; i < 1000; ++i) {
      std::string other = "acct" + std::to_string(i) + "/x";
      if (kernel().partition_of_key(other) != kernel().partition_of_key(first)) return {first, other};
    }
    ADD_FAILURE() << "every key on one partition";
    return {first, first};
  }
};

TEST_F(KernelSessions, WritesOnTwoPartitionsAreInvisibleUntilCommitThenAllVisible) {
  start();
  const auto [a, b] = keys_on_two_partitions();
  const HlcTimestamp tx = begin();
  ASSERT_EQ(tx_set(tx, a, "1").code, KvCode::kSet);
  ASSERT_EQ(tx_set(tx, b, "2").code, KvCode::kSet);
  EXPECT_EQ(tx_get(tx, a).value, "1");  // read-your-writes
  EXPECT_EQ(get(a).code, KvCode::kDoesNotExist);
  EXPECT_EQ(get(b).code, KvCode::kDoesNotExist);
  const TxSessionReply committed = commit(tx);
  ASSERT_EQ(committed.code, KvCode::kCommitted) << committed.reason;
  EXPECT_EQ(committed.record_anchor_key, a);
  EXPECT_EQ(get(a).value, "1");
  EXPECT_EQ(get(b).value, "2");
  EXPECT_EQ(get(a).last_modified, get(b).last_modified);  // one commit stamp
  // The locks ended with the commit.
  EXPECT_EQ(plain_set(a, "after"), KvCode::kSet);
  // A second commit answers the same; a rollback cannot undo it.
  EXPECT_EQ(commit(tx).code, KvCode::kCommitted);
  EXPECT_EQ(rollback(tx).code, KvCode::kCommitted);
}

TEST_F(KernelSessions, RollbackLeavesNothingAndReleasesTheLocks) {
  start();
  ASSERT_EQ(plain_set("k", "old"), KvCode::kSet);
  const HlcTimestamp tx = begin();
  ASSERT_EQ(tx_set(tx, "k", "new").code, KvCode::kSet);
  ASSERT_EQ(tx_delete(tx, "k2").code, KvCode::kDoesNotExist);
  // Pessimistic: the key is locked, plain writes must retry.
  EXPECT_EQ(plain_set("k", "plain"), KvCode::kMustRetry);
  EXPECT_EQ(rollback(tx).code, KvCode::kRolledBack);
  EXPECT_EQ(get("k").value, "old");
  EXPECT_EQ(plain_set("k", "plain"), KvCode::kSet);
  EXPECT_EQ(commit(tx).code, KvCode::kAborted);
  EXPECT_EQ(tx_get(tx, "k").code, KvCode::kAborted);  // the session is over
}

TEST_F(KernelSessions, APessimisticLockKeepsOtherSessionsOutUntilItEnds) {
  start();
  const HlcTimestamp first = begin();
  const HlcTimestamp second = begin();
  ASSERT_EQ(tx_get(first, "k").code, KvCode::kDoesNotExist);  // reading locks it
  EXPECT_EQ(tx_get(second, "k").code, KvCode::kAlreadyLocked);
  const TxSessionReply busy = lock(second, "k");
  EXPECT_EQ(busy.code, KvCode::kAlreadyLocked);
  EXPECT_EQ(busy.holder, first);
  ASSERT_EQ(tx_set(first, "k", "1").code, KvCode::kSet);
  ASSERT_EQ(commit(first).code, KvCode::kCommitted);
  EXPECT_EQ(lock(second, "k").code, KvCode::kLocked);
  EXPECT_EQ(tx_get(second, "k").value, "1");
  EXPECT_EQ(commit(second).code, KvCode::kCommitted);
}

TEST_F(KernelSessions, OptimisticSessionsThatWriteWhatBothReadCommitExactlyOnce) {
  start();
  ASSERT_EQ(plain_set("counter", "0"), KvCode::kSet);
  const HlcTimestamp first = begin(TxLocking::kOptimistic);
  const HlcTimestamp second = begin(TxLocking::kOptimistic);
  ASSERT_EQ(tx_get(first, "counter").value, "0");
  ASSERT_EQ(tx_get(second, "counter").value, "0");
  ASSERT_EQ(tx_set(first, "counter", "1").code, KvCode::kSet);
  ASSERT_EQ(tx_set(second, "counter", "1").code, KvCode::kSet);
  EXPECT_EQ(commit(first).code, KvCode::kCommitted);
  const TxSessionReply lost = commit(second);
  EXPECT_EQ(lost.code, KvCode::kAborted);
  EXPECT_FALSE(lost.reason.empty());
  EXPECT_EQ(get("counter").revision, 1);  // one increment, not two
}

TEST_F(KernelSessions, AResentOperationAnswersWhatTheFirstDid) {
  start();
  const HlcTimestamp tx = begin();
  const KvReply first = tx_set(tx, "k", "1", 7);
  ASSERT_EQ(first.code, KvCode::kSet);
  ASSERT_EQ(tx_set(tx, "k", "2", 8).code, KvCode::kSet);
  EXPECT_EQ(tx_set(tx, "k", "1", 7), first);                           // replayed, not applied again
  EXPECT_EQ(tx_set(tx, "other", "1", 7).code, KvCode::kInvalidInput);  // same id, another call
  ASSERT_EQ(commit(tx).code, KvCode::kCommitted);
  EXPECT_EQ(get("k").value, "2");
}

TEST_F(KernelSessions, UnknownSessionsAreToldApart) {
  start();
  const HlcTimestamp stranger{1, 12345, 6};
  EXPECT_EQ(tx_get(stranger, "k").code, KvCode::kAborted);
  EXPECT_EQ(commit(stranger).code, KvCode::kErrored);
  EXPECT_EQ(
      run(kernel().tx_commit(TxEndRequest{TxContext{{}, "coordinator", 0, 0}, std::nullopt}, {})).reply.code,
      KvCode::kInvalidInput);
  TxStartRequest reserved{"__kahuna:x", 0, TxLocking::kPessimistic, {}};
  EXPECT_EQ(run(kernel().tx_start(std::move(reserved), {})).reply.code, KvCode::kInvalidInput);
}

TEST_F(KernelSessions, ACommitRetriedAfterTheSessionIsGoneLearnsItFromTheRecord) {
  start();
  const auto [a, b] = keys_on_two_partitions();
  const HlcTimestamp tx = begin();
  ASSERT_EQ(tx_set(tx, a, "1").code, KvCode::kSet);
  ASSERT_EQ(tx_set(tx, b, "2").code, KvCode::kSet);
  const TxSessionReply committed = commit(tx);
  ASSERT_EQ(committed.code, KvCode::kCommitted);
  restart();  // the node forgets its sessions
  EXPECT_EQ(commit(tx).code, KvCode::kErrored);
  EXPECT_EQ(commit(tx, committed.record_anchor_key).code, KvCode::kCommitted);
  // One that never committed is decided aborted and stays so.
  const HlcTimestamp lost = begin();
  ASSERT_EQ(tx_set(lost, a, "x").code, KvCode::kSet);
  restart();
  EXPECT_EQ(commit(lost, a).code, KvCode::kAborted);
  EXPECT_EQ(get(a).value, "1");
}

TEST_F(KernelSessions, TheReaperEndsASessionPastItsTimeAndFreesItsKeys) {
  start();
  const HlcTimestamp tx = begin(TxLocking::kPessimistic, 200);
  ASSERT_EQ(tx_set(tx, "k", "1").code, KvCode::kSet);
  EXPECT_EQ(plain_set("k", "plain"), KvCode::kMustRetry);
  std::this_thread::sleep_for(300ms);
  run(kernel().reap_sessions());
  EXPECT_EQ(plain_set("k", "plain"), KvCode::kSet);
  EXPECT_EQ(commit(tx).code, KvCode::kAborted);
  EXPECT_EQ(get("k").value, "plain");
}

TEST_F(KernelSessions, DeleteManyAndABucketReadSeeTheSessionsOwnWrites) {
  start();
  ASSERT_EQ(plain_set("users/1", "a"), KvCode::kSet);
  ASSERT_EQ(plain_set("users/2", "b"), KvCode::kSet);
  const HlcTimestamp tx = begin();
  ASSERT_EQ(tx_set(tx, "users/3", "c").code, KvCode::kSet);
  TxKvDeleteManyRequest many{
      context(tx),
      {KvKeyRequest{"users/1", Durability::kPersistent}, KvKeyRequest{"users/9", Durability::kPersistent}}};
  const std::vector<Routed<KvReply>> deleted = run(kernel().tx_kv_delete_many(std::move(many), {}));
  ASSERT_EQ(deleted.size(), 2u);
  EXPECT_EQ(deleted[0].reply.code, KvCode::kDeleted);
  EXPECT_EQ(deleted[1].reply.code, KvCode::kDoesNotExist);
  TxKvPrefixRequest bucket{context(tx), KvPrefixRequest{"users", {}, Durability::kPersistent, 0}};
  const KvScanReply scan = run(kernel().tx_kv_get_by_bucket(std::move(bucket), {})).reply;
  ASSERT_EQ(scan.code, KvCode::kGet);
  std::vector<std::string> keys;
  for (const KvItem& item : scan.items) keys.push_back(item.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"users/2", "users/3"}));
  ASSERT_EQ(commit(tx).code, KvCode::kCommitted);
  EXPECT_EQ(get("users/1").code, KvCode::kDoesNotExist);
  EXPECT_EQ(get("users/3").value, "c");
}

TEST_F(KernelSessions, APessimisticScriptRefusedALockReleasesTheOthersItTook) {
  start();
  auto [first, second] = keys_on_two_partitions();
  // Locks are taken partition by partition in the order of their ids: the
  // script gets `first`, then is refused `second`.
  if (kernel().partition_of_key(first) > kernel().partition_of_key(second)) std::swap(first, second);
  const HlcTimestamp holder = begin();
  ASSERT_EQ(lock(holder, second).code, KvCode::kLocked);
  ScriptRequest script;
  script.script =
      "BEGIN (locking=\"pessimistic\")\nSET `" + first + "` 'a'\nSET `" + second + "` 'b'\nCOMMIT\nEND";
  const ScriptReply refused = run(kernel().kv_execute_script(std::move(script), {}));
  EXPECT_EQ(refused.code, ScriptCode::kAlreadyLocked) << refused.reason;
  EXPECT_EQ(plain_set(first, "free"), KvCode::kSet);  // at once, not after the script's deadline
  EXPECT_EQ(plain_set(second, "held"), KvCode::kMustRetry);
  EXPECT_EQ(rollback(holder).code, KvCode::kRolledBack);
}

}  // namespace
}  // namespace kahuna::testing
