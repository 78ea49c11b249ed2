// execute_script against fake nodes: what it sends, and that a script which
// may have reached a node is never sent again — a lost connection, a late
// reply or an unknown answer come back as outcome unknown — while one that
// surely never left (no connection) or was refused unrun (must-retry) is.
#include <gtest/gtest.h>

#include <kahuna/client/client.h>

#include "fake_node.h"
#include "fake_node_client.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

FakeNode::Script first_then(FakeNode::Action first) {
  return [first](const wire::Request& request, std::size_t nth) {
    return nth == 0 ? first : FakeNode::Action::reply(reply_to(request, Answer::kSuccess));
  };
}

TEST(ScriptTest, SendsTheTextAndParametersAndReturnsTheReply) {
  ScriptReply answer{ScriptCode::kGet, "", {ScriptValueRow{"k", std::string("v"), 4, {}, {}}}};
  FakeNode node(1, [answer](const wire::Request&, std::size_t) { return FakeNode::Action::reply(answer); });
  Client client(options_for(node));
  auto reply = client.execute_script("GET @key", {{"@key", std::string("k")}, {"@none", std::nullopt}});
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(*reply, answer);

  const auto seen = node.requests();
  ASSERT_EQ(seen.size(), 1u);
  const ScriptRequest& sent = std::get<wire::KvExecuteScript>(seen[0].body).request;
  EXPECT_EQ(sent.script, "GET @key");
  ASSERT_EQ(sent.parameters.size(), 2u);
  EXPECT_EQ(sent.parameters[0].name, "@key");
  EXPECT_EQ(sent.parameters[0].value, "k");
  EXPECT_FALSE(sent.parameters[1].value.has_value());
}

TEST(ScriptTest, AConnectionLostAfterSendingIsAnUnknownOutcomeNotAResend) {
  FakeNode node(1, first_then(FakeNode::Action::drop()));
  Client client(options_for(node));
  auto reply = client.execute_script("SET k 1");
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->code, ScriptCode::kOutcomeUnknown);
  EXPECT_FALSE(reply->reason.empty());
  EXPECT_EQ(node.requests().size(), 1u);
}

TEST(ScriptTest, ALateReplyIsAnUnknownOutcomeNotAResend) {
  FakeNode node(1, first_then(FakeNode::Action::ignore()));
  Client client(options_for(node));
  auto reply = client.execute_script("SET k 1");
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->code, ScriptCode::kOutcomeUnknown);
  EXPECT_EQ(node.requests().size(), 1u);
}

TEST(ScriptTest, AnUnknownAnswerIsReturnedNotResent) {
  FakeNode node(1, always(Answer::kUnknown));
  Client client(options_for(node));
  auto reply = client.execute_script("SET k 1");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->code, ScriptCode::kOutcomeUnknown);
  EXPECT_EQ(node.requests().size(), 1u);
}

TEST(ScriptTest, AMustRetryIsResentAsTheScriptDidNotRun) {
  FakeNode node(1, first_then_success(2, Answer::kMustRetry));
  Client client(options_for(node));
  auto reply = client.execute_script("SET k 1");
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->code, ScriptCode::kSet);
  EXPECT_EQ(node.requests().size(), 3u);
}

TEST(ScriptTest, AScriptThatNeverLeftGoesToTheNextNode) {
  FakeNode node(1, always(Answer::kSuccess));
  ClientOptions options = options_for(node);
  options.endpoints = {endpoint_nobody_listens_on(), node.endpoint()};
  Client client(options);
  auto reply = client.execute_script("SET k 1");
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->code, ScriptCode::kSet);
  EXPECT_EQ(node.requests().size(), 1u);
}

}  // namespace
}  // namespace kahuna::client::testing
