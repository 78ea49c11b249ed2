// How a call ends when the cluster cannot say whether a write was applied:
// an outcome-unknown reply (98) is resent with the same request id like a
// lost reply; when the deadline passes and some attempt may have been
// applied, the call returns ErrorKind::kOutcomeUnknown. kDeadline stays for
// writes no attempt of which was applied (must-retry throughout), and
// kUnreachable for those never sent.
#include <gtest/gtest.h>

#include <kahuna/client/client.h>

#include "fake_node.h"
#include "fake_node_client.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Every request `node` received carries the same present request id.
void expect_one_id(const FakeNode& node) {
  const std::vector<wire::Request> seen = node.requests();
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(seen.front().settings.request_id.present());
  for (const wire::Request& request : seen)
    EXPECT_EQ(request.settings.request_id, seen.front().settings.request_id);
}

TEST(OutcomeUnknownTest, AnUnknownReplyIsResentWithTheSameIdUntilTheClusterKnows) {
  FakeNode node(1, first_then_success(2, Answer::kUnknown));
  Client client(options_for(node));
  auto reply = client.set("k", "v", SetOptions::if_revision(3));
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->code, KvCode::kSet);
  EXPECT_EQ(node.requests().size(), 3u);
  expect_one_id(node);
  const ClientMetrics metrics = client.metrics();
  EXPECT_EQ(metrics.outcome_unknown_replies, 2u);
  EXPECT_EQ(metrics.must_retry_replies, 0u);
  EXPECT_EQ(metrics.retries, 2u);
}

TEST(OutcomeUnknownTest, UnknownUntilTheDeadlineIsOutcomeUnknownInEveryFamily) {
  FakeNode node(1, always(Answer::kUnknown));
  Client client(options_for(node, 300ms));
  const auto started = Clock::now();
  auto lock = client.try_lock("r", "o", 10s);
  auto set = client.set("k", "v");
  auto next = client.next("s");
  EXPECT_LT(Clock::now() - started, 5s);
  ASSERT_FALSE(lock);
  ASSERT_FALSE(set);
  ASSERT_FALSE(next);
  EXPECT_EQ(lock.error().kind, ErrorKind::kOutcomeUnknown) << lock.error().to_string();
  EXPECT_EQ(set.error().kind, ErrorKind::kOutcomeUnknown) << set.error().to_string();
  EXPECT_EQ(next.error().kind, ErrorKind::kOutcomeUnknown) << next.error().to_string();
  EXPECT_EQ(to_string(ErrorKind::kOutcomeUnknown), "outcomeUnknown");
  EXPECT_NE(set.error().message.find("answered unknown"), std::string::npos) << set.error().message;
  EXPECT_GT(node.requests().size(), 3u) << "each call was resent";
}

TEST(OutcomeUnknownTest, ResentAttemptsOfOneCallShareItsId) {
  FakeNode node(1, always(Answer::kUnknown));
  Client client(options_for(node, 200ms));
  auto reply = client.unlock("r", "o");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, ErrorKind::kOutcomeUnknown);
  EXPECT_GT(node.requests().size(), 1u);
  expect_one_id(node);
}

TEST(OutcomeUnknownTest, MustRetryUntilTheDeadlineIsStillDeadline) {
  FakeNode node(1, always(Answer::kMustRetry));
  Client client(options_for(node, 200ms));
  auto reply = client.set("k", "v");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, ErrorKind::kDeadline) << reply.error().to_string();
  EXPECT_EQ(client.metrics().outcome_unknown_replies, 0u);
}

TEST(OutcomeUnknownTest, ALaterMustRetryDoesNotUndoAnEarlierUnknown) {
  // The first attempt's proposal may still commit after the second attempt
  // was refused: the call cannot claim it was not applied.
  FakeNode node(1, [](const wire::Request& request, std::size_t nth) {
    return FakeNode::Action::reply(reply_to(request, nth == 0 ? Answer::kUnknown : Answer::kMustRetry));
  });
  Client client(options_for(node, 200ms));
  auto reply = client.create_sequence(SequenceCreateRequest{"s"});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, ErrorKind::kOutcomeUnknown) << reply.error().to_string();
  expect_one_id(node);
}

TEST(OutcomeUnknownTest, AWriteSentAndNeverAnsweredIsOutcomeUnknownAndAReadUnreachable) {
  FakeNode node(1, [](const wire::Request&, std::size_t) { return FakeNode::Action::ignore(); });
  ClientOptions options = options_for(node, 300ms);
  options.attempt_timeout = 100ms;
  Client client(options);
  auto write = client.set("k", "v");
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().kind, ErrorKind::kOutcomeUnknown) << write.error().to_string();
  auto read = client.get("k");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().kind, ErrorKind::kUnreachable) << read.error().to_string();
  EXPECT_GT(client.metrics().transport_failures, 0u);
}

TEST(OutcomeUnknownTest, AWriteWhoseConnectionBrokeEachTimeIsOutcomeUnknown) {
  FakeNode node(1, [](const wire::Request&, std::size_t) { return FakeNode::Action::drop(); });
  Client client(options_for(node, 300ms));
  auto reply = client.extend_lock("r", "o", 10s);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, ErrorKind::kOutcomeUnknown) << reply.error().to_string();
  expect_one_id(node);
}

TEST(OutcomeUnknownTest, AWriteNeverSentIsUnreachable) {
  ClientOptions options;
  options.endpoints = {endpoint_nobody_listens_on()};
  options.call_deadline = 300ms;
  Client client(options);
  auto reply = client.set("k", "v");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, ErrorKind::kUnreachable) << reply.error().to_string();
}

}  // namespace
}  // namespace kahuna::client::testing
