// The SDK's interactive transactions against fake nodes: what each call puts
// on the wire (the session's context, a fresh operation id per call that
// every resend repeats), where the calls go, how a commit whose outcome is
// unknown is asked again, the rollback of a handle that goes undecided, and
// with_transaction's attempts.
#include <set>
#include <utility>

#include <gtest/gtest.h>
#include <asio/co_spawn.hpp>
#include <asio/use_future.hpp>

#include <kahuna/client/client.h>

#include "fake_node.h"
#include "fake_node_client.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

template <class Body>
bool is(const wire::Request& request) {
  return std::holds_alternative<Body>(request.body);
}

// The context a session call carried; nullptr for other requests.
const TxContext* context_of(const wire::Request& request) {
  return std::visit(
      [](const auto& call) -> const TxContext* {
        if constexpr (requires { call.request.context; }) {
          return &call.request.context;
        } else {
          return nullptr;
        }
      },
      request.body);
}

using OperationId = std::pair<std::uint64_t, std::uint64_t>;

OperationId operation_of(const wire::Request& request) {
  const TxContext* context = context_of(request);
  if (context == nullptr) return {0, 0};
  return {context->operation_id_high, context->operation_id_low};
}

template <class Body>
std::vector<wire::Request> requests_of(const FakeNode& node) {
  std::vector<wire::Request> found;
  for (const wire::Request& request : node.requests())
    if (is<Body>(request)) found.push_back(request);
  return found;
}

// The reply of a session call answering `code`.
wire::Response session_reply(KvCode code, std::string anchor = {}) {
  TxSessionReply reply;
  reply.code = code;
  reply.transaction_id = kFakeTransactionId;
  reply.record_anchor_key = std::move(anchor);
  return Routed<TxSessionReply>{reply, Route{1, 1, RouteProvenance::kLocal}};
}

wire::Response kv_reply(KvCode code) {
  KvReply reply;
  reply.code = code;
  return Routed<KvReply>{reply, Route{1, 1, RouteProvenance::kLocal}};
}

// A script answering the nth request of kind Body with answers[min(n, last)]
// and every other request with success.
template <class Body>
FakeNode::Script answering(std::vector<FakeNode::Action> answers) {
  auto seen = std::make_shared<std::size_t>(0);
  return [answers = std::move(answers), seen](const wire::Request& request, std::size_t) {
    if (!is<Body>(request)) return FakeNode::Action::reply(reply_to(request, Answer::kSuccess));
    const std::size_t n = std::min((*seen)++, answers.size() - 1);
    return answers[n];
  };
}

TEST(TransactionTest, EveryCallCarriesTheSessionsContextWithAFreshOperationId) {
  FakeNode node(1, always(Answer::kSuccess));
  Client client(options_for(node));
  TransactionOptions options;
  options.timeout = 7000ms;
  options.locking = TxLocking::kOptimistic;
  auto begun = client.begin_transaction("accounts", options);
  ASSERT_TRUE(begun) << begun.error().to_string();
  Transaction& tx = *begun;
  ASSERT_TRUE(tx.active());
  EXPECT_EQ(tx.id(), kFakeTransactionId);
  EXPECT_EQ(tx.coordinator_key(), "accounts");

  EXPECT_EQ(tx.set("accounts/alice", "90")->code, KvCode::kSet);
  EXPECT_EQ(tx.get("accounts/alice")->code, KvCode::kGet);
  EXPECT_EQ(tx.exists("accounts/bob")->code, KvCode::kExists);
  EXPECT_EQ(tx.remove("accounts/carol")->code, KvCode::kDeleted);
  EXPECT_EQ(tx.extend("accounts/bob", 60s)->code, KvCode::kExtended);
  EXPECT_EQ(tx.get_by_bucket("accounts")->code, KvCode::kGet);
  auto rows = tx.delete_many({KvKeyRequest{"accounts/x"}, KvKeyRequest{"accounts/y"}});
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 2u);
  EXPECT_EQ(tx.lock("accounts/dave")->code, KvCode::kLocked);
  auto committed = tx.commit();
  ASSERT_TRUE(committed);
  EXPECT_EQ(committed->code, KvCode::kCommitted);
  EXPECT_EQ(tx.status(), TransactionStatus::kCommitted);

  const std::vector<wire::Request> seen = node.requests();
  ASSERT_EQ(seen.size(), 10u);
  ASSERT_TRUE(is<wire::TxStart>(seen[0]));
  const TxStartRequest& start = std::get<wire::TxStart>(seen[0].body).request;
  EXPECT_EQ(start.coordinator_key, "accounts");
  EXPECT_EQ(start.timeout_ms, 7000);
  EXPECT_EQ(start.locking, TxLocking::kOptimistic);

  std::set<OperationId> operations;
  for (std::size_t i = 1; i < seen.size(); ++i) {
    SCOPED_TRACE(std::string(wire::to_string(wire::opcode_of(seen[i].body))));
    const TxContext* context = context_of(seen[i]);
    ASSERT_NE(context, nullptr);
    EXPECT_EQ(context->transaction_id, kFakeTransactionId);
    EXPECT_EQ(context->coordinator_key, "accounts");
    EXPECT_FALSE(context->operation_id_high == 0 && context->operation_id_low == 0);
    operations.insert({context->operation_id_high, context->operation_id_low});
  }
  EXPECT_EQ(operations.size(), seen.size() - 1) << "every call has an operation id of its own";
  EXPECT_TRUE(is<wire::TxCommit>(seen.back()));
  EXPECT_FALSE(std::get<wire::TxCommit>(seen.back().body).request.record_anchor_key.has_value());
}

TEST(TransactionTest, AResendRepeatsTheCallsOperationId) {
  // A must-retry, then a connection dropped after the request arrived.
  FakeNode node(1, answering<wire::TxKvSet>({FakeNode::Action::reply(kv_reply(KvCode::kMustRetry)),
                                             FakeNode::Action::drop(),
                                             FakeNode::Action::reply(kv_reply(KvCode::kSet))}));
  Client client(options_for(node));
  auto begun = client.begin_transaction("accounts");
  ASSERT_TRUE(begun && begun->active());
  auto written = begun->set("accounts/alice", "90");
  ASSERT_TRUE(written) << written.error().to_string();
  EXPECT_EQ(written->code, KvCode::kSet);
  auto next = begun->set("accounts/bob", "10");
  ASSERT_TRUE(next);

  const std::vector<wire::Request> sets = requests_of<wire::TxKvSet>(node);
  ASSERT_EQ(sets.size(), 4u);
  EXPECT_EQ(operation_of(sets[0]), operation_of(sets[1]));
  EXPECT_EQ(operation_of(sets[0]), operation_of(sets[2]));
  EXPECT_EQ(sets[0].settings.request_id, sets[2].settings.request_id);
  EXPECT_NE(operation_of(sets[3]), operation_of(sets[0])) << "the next call takes a new one";
}

TEST(TransactionTest, SessionCallsGoToTheCoordinatorKeysLeader) {
  FakeNode follower(1, always(Answer::kSuccess, 2));
  FakeNode leader(2, always(Answer::kSuccess, 2));
  const ClusterStatus status = status_of({&follower, &leader}, 2);
  follower.set_status(status);
  leader.set_status(status);
  ClientOptions options = options_for(follower);
  Client client(options);
  auto begun = client.begin_transaction("accounts");
  ASSERT_TRUE(begun && begun->active());
  ASSERT_TRUE(begun->set("accounts/alice", "90"));
  ASSERT_TRUE(begun->commit());
  EXPECT_TRUE(follower.requests().empty());
  EXPECT_EQ(leader.requests().size(), 3u);
}

TEST(TransactionTest, ACommitWhoseOutcomeIsUnknownIsAskedAgainThroughItsRecord) {
  FakeNode node(1, answering<wire::TxCommit>(
                       {FakeNode::Action::reply(session_reply(KvCode::kOutcomeUnknown, "accounts/alice")),
                        FakeNode::Action::reply(session_reply(KvCode::kCommitted, "accounts/alice"))}));
  Client client(options_for(node));
  auto begun = client.begin_transaction("accounts");
  ASSERT_TRUE(begun && begun->active());
  Transaction& tx = *begun;
  ASSERT_TRUE(tx.set("accounts/alice", "90"));

  auto first = tx.commit();
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(first->code, KvCode::kOutcomeUnknown);
  EXPECT_EQ(first->record_anchor_key, "accounts/alice");
  EXPECT_EQ(tx.status(), TransactionStatus::kCommitUnknown);
  EXPECT_FALSE(tx.set("accounts/bob", "1")) << "no writes once the commit went out";

  auto second = tx.commit();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->code, KvCode::kCommitted);
  EXPECT_EQ(tx.status(), TransactionStatus::kCommitted);

  const std::vector<wire::Request> commits = requests_of<wire::TxCommit>(node);
  ASSERT_EQ(commits.size(), 2u) << "the unknown answer was returned, not resent";
  EXPECT_FALSE(std::get<wire::TxCommit>(commits[0].body).request.record_anchor_key.has_value());
  EXPECT_EQ(std::get<wire::TxCommit>(commits[1].body).request.record_anchor_key, "accounts/alice");
  EXPECT_NE(operation_of(commits[0]), operation_of(commits[1]));

  // Decided: a third commit answers the decision without a call.
  auto third = tx.commit();
  ASSERT_TRUE(third);
  EXPECT_EQ(third->code, KvCode::kCommitted);
  EXPECT_EQ(requests_of<wire::TxCommit>(node).size(), 2u);
}

TEST(TransactionTest, ACommitThatMayHaveReachedTheServerIsUnknownNotAnError) {
  FakeNode node(1, answering<wire::TxCommit>({FakeNode::Action::ignore()}));
  Client client(options_for(node, 500ms));
  auto begun = client.begin_transaction("accounts");
  ASSERT_TRUE(begun && begun->active());
  auto committed = begun->commit();
  ASSERT_TRUE(committed) << committed.error().to_string();
  EXPECT_EQ(committed->code, KvCode::kOutcomeUnknown);
  EXPECT_EQ(begun->status(), TransactionStatus::kCommitUnknown);
  const std::vector<wire::Request> commits = requests_of<wire::TxCommit>(node);
  ASSERT_GE(commits.size(), 1u);
  for (const wire::Request& commit : commits) EXPECT_EQ(operation_of(commit), operation_of(commits[0]));
}

TEST(TransactionTest, AHandleDroppedUndecidedRollsBackAndADecidedOneDoesNot) {
  FakeNode node(1, always(Answer::kSuccess));
  Client client(options_for(node));
  {
    auto begun = client.begin_transaction("accounts");
    ASSERT_TRUE(begun && begun->active());
    ASSERT_TRUE(begun->set("accounts/alice", "90"));
  }  // the blocking handle waits for its rollback
  std::vector<wire::Request> rollbacks = requests_of<wire::TxRollback>(node);
  ASSERT_EQ(rollbacks.size(), 1u);
  EXPECT_EQ(context_of(rollbacks[0])->transaction_id, kFakeTransactionId);
  EXPECT_EQ(context_of(rollbacks[0])->coordinator_key, "accounts");

  {
    auto begun = client.begin_transaction("accounts");
    ASSERT_TRUE(begun && begun->active());
    ASSERT_TRUE(begun->commit());
  }
  {
    auto begun = client.begin_transaction("accounts");
    ASSERT_TRUE(begun && begun->active());
    auto rolled_back = begun->rollback();
    ASSERT_TRUE(rolled_back);
    EXPECT_EQ(rolled_back->code, KvCode::kRolledBack);
    EXPECT_EQ(begun->status(), TransactionStatus::kRolledBack);
  }
  EXPECT_EQ(requests_of<wire::TxRollback>(node).size(), 2u) << "only the explicit one";
}

TEST(TransactionTest, AnAsyncHandleDroppedUndecidedRollsBackInTheBackground) {
  FakeNode node(1, always(Answer::kSuccess));
  Client client(options_for(node));
  AsyncClient& async = client.async();
  auto done = asio::co_spawn(
      client.executor(),
      [&async]() -> asio::awaitable<bool> {
        asio::awaitable<Result<AsyncTransaction>> beginning = async.begin_transaction("accounts");
        Result<AsyncTransaction> begun = co_await std::move(beginning);
        co_return begun && begun->active();
      },
      asio::use_future);
  ASSERT_TRUE(done.get());
  for (int i = 0; i < 200 && requests_of<wire::TxRollback>(node).empty(); ++i)
    std::this_thread::sleep_for(5ms);
  EXPECT_EQ(requests_of<wire::TxRollback>(node).size(), 1u);
}

TEST(TransactionTest, ARefusedStartGivesAnInactiveHandleThatSendsNothing) {
  FakeNode node(1, answering<wire::TxStart>({FakeNode::Action::reply(session_reply(KvCode::kInvalidInput))}));
  Client client(options_for(node));
  auto begun = client.begin_transaction("");
  ASSERT_TRUE(begun) << begun.error().to_string();
  EXPECT_EQ(begun->status(), TransactionStatus::kNotStarted);
  EXPECT_EQ(begun->start_reply().code, KvCode::kInvalidInput);
  auto written = begun->set("k", "v");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_FALSE(begun->commit());
  EXPECT_EQ(node.requests().size(), 1u);
}

// ---- with_transaction --------------------------------------------------------

TransactionOptions quick_retries(int attempts = 5) {
  TransactionOptions options;
  options.max_attempts = attempts;
  options.initial_backoff = 1ms;
  options.max_backoff = 5ms;
  return options;
}

TEST(WithTransactionTest, ACommitAbortedIsRunAgainInANewTransaction) {
  FakeNode node(1, answering<wire::TxCommit>({FakeNode::Action::reply(session_reply(KvCode::kAborted)),
                                              FakeNode::Action::reply(session_reply(KvCode::kAborted)),
                                              FakeNode::Action::reply(session_reply(KvCode::kCommitted))}));
  Client client(options_for(node));
  int runs = 0;
  auto result = client.with_transaction(
      "accounts",
      [&runs](Transaction& tx) {
        ++runs;
        (void)tx.set("accounts/alice", "90");
      },
      quick_retries());
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result->code, KvCode::kCommitted);
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(requests_of<wire::TxStart>(node).size(), 3u);
  EXPECT_EQ(requests_of<wire::TxCommit>(node).size(), 3u);
}

TEST(WithTransactionTest, ACallAnsweringAlreadyLockedRollsTheAttemptBackAndRunsItAgain) {
  FakeNode node(1, answering<wire::TxKvSet>({FakeNode::Action::reply(kv_reply(KvCode::kAlreadyLocked)),
                                             FakeNode::Action::reply(kv_reply(KvCode::kSet))}));
  Client client(options_for(node));
  int runs = 0;
  auto result = client.with_transaction(
      "accounts",
      [&runs](Transaction& tx) {
        ++runs;
        (void)tx.set("accounts/alice", "90");
      },
      quick_retries());
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result->code, KvCode::kCommitted);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(requests_of<wire::TxRollback>(node).size(), 1u) << "the conflicted attempt";
  EXPECT_EQ(requests_of<wire::TxCommit>(node).size(), 1u) << "only the clean attempt commits";
}

TEST(WithTransactionTest, AttemptsAreBoundedAndTheLastConflictIsReturned) {
  FakeNode node(1, answering<wire::TxKvGet>({FakeNode::Action::reply(kv_reply(KvCode::kAborted))}));
  Client client(options_for(node));
  int runs = 0;
  auto result = client.with_transaction(
      "accounts",
      [&runs](Transaction& tx) {
        ++runs;
        (void)tx.get("accounts/alice");
      },
      quick_retries(3));
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result->code, KvCode::kAborted);
  EXPECT_EQ(runs, 3);
  EXPECT_TRUE(requests_of<wire::TxCommit>(node).empty());
}

TEST(WithTransactionTest, AnUnknownOutcomeIsNeverRunAgain) {
  FakeNode node(
      1, answering<wire::TxCommit>({FakeNode::Action::reply(session_reply(KvCode::kOutcomeUnknown, "a"))}));
  Client client(options_for(node));
  int runs = 0;
  auto result = client.with_transaction(
      "accounts", [&runs](Transaction&) { ++runs; }, quick_retries());
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result->code, KvCode::kOutcomeUnknown);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(requests_of<wire::TxStart>(node).size(), 1u);
}

TEST(WithTransactionTest, AFailedCallIsNeverCommittedOver) {
  // A write whose every attempt is answered must-retry fails at its deadline.
  FakeNode node(1, answering<wire::TxKvSet>({FakeNode::Action::reply(kv_reply(KvCode::kMustRetry))}));
  ClientOptions options = options_for(node, 300ms);
  Client client(options);
  int runs = 0;
  auto result = client.with_transaction(
      "accounts",
      [&runs](Transaction& tx) {
        ++runs;
        EXPECT_FALSE(tx.set("accounts/alice", "90"));
        EXPECT_TRUE(tx.failure().has_value());
      },
      quick_retries());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kDeadline) << result.error().to_string();
  EXPECT_EQ(runs, 1);
  EXPECT_TRUE(requests_of<wire::TxCommit>(node).empty());
  EXPECT_EQ(requests_of<wire::TxRollback>(node).size(), 1u);
}

TEST(WithTransactionTest, ABodyThatRollsBackEndsItThere) {
  FakeNode node(1, always(Answer::kSuccess));
  Client client(options_for(node));
  auto result = client.with_transaction("accounts", [](Transaction& tx) { (void)tx.rollback(); });
  ASSERT_TRUE(result);
  EXPECT_EQ(result->code, KvCode::kRolledBack);
  EXPECT_TRUE(requests_of<wire::TxCommit>(node).empty());
}

TEST(WithTransactionTest, AnExceptionRollsBackAndPropagates) {
  FakeNode node(1, always(Answer::kSuccess));
  Client client(options_for(node));
  EXPECT_THROW(
      (void)client.with_transaction("accounts", [](Transaction&) { throw std::runtime_error("no"); }),
      std::runtime_error);
  EXPECT_EQ(requests_of<wire::TxRollback>(node).size(), 1u);
  EXPECT_TRUE(requests_of<wire::TxCommit>(node).empty());
}

TEST(WithTransactionTest, TheCoroutineFlavourRetriesAlike) {
  FakeNode node(1, answering<wire::TxCommit>({FakeNode::Action::reply(session_reply(KvCode::kAborted)),
                                              FakeNode::Action::reply(session_reply(KvCode::kCommitted))}));
  Client client(options_for(node));
  AsyncClient& async = client.async();
  auto runs = std::make_shared<int>(0);
  auto done = asio::co_spawn(
      client.executor(),
      [&async, runs]() -> asio::awaitable<Result<TxResult>> {
        auto body = [runs](AsyncTransaction& tx) -> asio::awaitable<void> {
          ++*runs;
          asio::awaitable<Result<KvResult>> writing = tx.set("accounts/alice", "90");
          Result<KvResult> written = co_await std::move(writing);
          (void)written;
        };
        asio::awaitable<Result<TxResult>> running = async.with_transaction("accounts", body, quick_retries());
        co_return co_await std::move(running);
      },
      asio::use_future);
  Result<TxResult> result = done.get();
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result->code, KvCode::kCommitted);
  EXPECT_EQ(*runs, 2);
}

}  // namespace
}  // namespace kahuna::client::testing
