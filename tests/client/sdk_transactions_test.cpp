// The SDK's transactions and scripts against one node: read-your-writes and
// nothing visible before commit, rollback, a dropped handle's locks freed,
// pessimistic conflicts answered alreadyLocked, with_transaction keeping a
// bank's total under concurrent transfers, and scripts.
#include <thread>

#include "single_node.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

class SdkTransactionsTest : public SingleNodeTest {};

std::int64_t number_of(const KvResult& reply) {
  return reply.code == KvCode::kGet && reply.value ? std::stoll(*reply.value) : 0;
}

TEST_F(SdkTransactionsTest, WritesAreReadBackInsideAndVisibleOutsideOnlyAfterCommit) {
  auto begun = client().begin_transaction("txs");
  ASSERT_TRUE(begun) << begun.error().to_string();
  ASSERT_TRUE(begun->active()) << begun->start_reply().reason;
  Transaction& tx = *begun;
  auto written = tx.set("txs/visible", "1");
  ASSERT_TRUE(written) << written.error().to_string();
  EXPECT_EQ(written->code, KvCode::kSet);
  auto inside = tx.get("txs/visible");
  ASSERT_TRUE(inside);
  EXPECT_EQ(inside->value, std::optional<std::string>("1"));
  auto outside = client().get("txs/visible");
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->code, KvCode::kDoesNotExist);

  auto committed = tx.commit();
  ASSERT_TRUE(committed) << committed.error().to_string();
  EXPECT_EQ(committed->code, KvCode::kCommitted) << committed->reason;
  auto after = client().get("txs/visible");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->value, std::optional<std::string>("1"));
}

TEST_F(SdkTransactionsTest, ARollbackWritesNothing) {
  auto begun = client().begin_transaction("txs");
  ASSERT_TRUE(begun && begun->active());
  ASSERT_TRUE(begun->set("txs/rolled", "1"));
  auto rolled_back = begun->rollback();
  ASSERT_TRUE(rolled_back);
  EXPECT_EQ(rolled_back->code, KvCode::kRolledBack);
  auto after = client().get("txs/rolled");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->code, KvCode::kDoesNotExist);
}

TEST_F(SdkTransactionsTest, ALockedKeyAnswersAlreadyLockedAndADroppedHandleFreesIt) {
  HlcTimestamp first_id;
  {
    auto first = client().begin_transaction("txs");
    ASSERT_TRUE(first && first->active());
    first_id = first->id();
    auto locked = first->lock("txs/contended");
    ASSERT_TRUE(locked);
    EXPECT_EQ(locked->code, KvCode::kLocked);

    auto second = client().begin_transaction("txs");
    ASSERT_TRUE(second && second->active());
    auto refused = second->lock("txs/contended");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->code, KvCode::kAlreadyLocked);
    EXPECT_EQ(refused->holder, first_id);
    EXPECT_TRUE(second->conflicted());
  }  // both handles roll back here, waiting for it

  auto third = client().begin_transaction("txs");
  ASSERT_TRUE(third && third->active());
  auto locked = third->lock("txs/contended");
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->code, KvCode::kLocked) << "the dropped transaction's lock was released";
}

TEST_F(SdkTransactionsTest, ConcurrentTransfersKeepTheTotal) {
  ASSERT_TRUE(client().set("txs/bank/a", "100"));
  ASSERT_TRUE(client().set("txs/bank/b", "100"));
  TransactionOptions options;
  options.max_attempts = 50;
  options.initial_backoff = 2ms;
  options.max_backoff = 50ms;

  const auto transfers = [&](const char* from, const char* to) {
    Client client(SingleNodeTest::options());
    int committed = 0;
    for (int i = 0; i < 10; ++i) {
      auto result = client.with_transaction(
          "txs/bank",
          [from, to](Transaction& tx) {
            auto source = tx.get(from);
            auto target = tx.get(to);
            if (!source || !target || tx.conflicted()) return;
            (void)tx.set(from, std::to_string(number_of(*source) - 1));
            (void)tx.set(to, std::to_string(number_of(*target) + 1));
          },
          options);
      if (result && result->code == KvCode::kCommitted) ++committed;
    }
    return committed;
  };
  int forward = 0;
  int backward = 0;
  std::thread one([&] { forward = transfers("txs/bank/a", "txs/bank/b"); });
  std::thread two([&] { backward = transfers("txs/bank/b", "txs/bank/a"); });
  one.join();
  two.join();
  EXPECT_GT(forward + backward, 0);

  auto a = client().get("txs/bank/a");
  auto b = client().get("txs/bank/b");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(number_of(*a) + number_of(*b), 200);
  EXPECT_EQ(number_of(*a), 100 - forward + backward);
}

TEST_F(SdkTransactionsTest, ScriptsRunAndReturnTheirRows) {
  auto set = client().execute_script("SET `txs/script` @value", {{"@value", std::string("x")}});
  ASSERT_TRUE(set) << set.error().to_string();
  EXPECT_EQ(set->code, ScriptCode::kSet) << set->reason;

  auto got = client().execute_script("GET `txs/script`");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->code, ScriptCode::kGet) << got->reason;
  ASSERT_FALSE(got->values.empty());
  EXPECT_EQ(got->values.front().value, std::optional<std::string>("x"));

  auto broken = client().execute_script("SET");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->code, ScriptCode::kErrored);
  EXPECT_NE(broken->reason.find("Syntax error"), std::string::npos) << broken->reason;
}

}  // namespace
}  // namespace kahuna::client::testing
