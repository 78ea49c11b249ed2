// Batches resend their rows answered must-retry or outcome-unknown without
// ever letting the server apply a row twice: the server tells a request's
// rows apart by position under the request's id, so rows that may have been
// applied are resent only in their place, in the same request under the
// same id; rows certainly not applied go alone under a new id.
#include <gtest/gtest.h>

#include <kahuna/client/client.h>

#include "fake_node.h"
#include "fake_node_client.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

// A batch reply with one row per code, each with revision `revision`.
wire::Response rows(const std::vector<KvCode>& codes, std::int64_t revision) {
  std::vector<Routed<KvReply>> out;
  for (KvCode code : codes) {
    KvReply row;
    row.code = code;
    row.revision = revision;
    out.push_back(Routed<KvReply>{row, Route{1, 1, RouteProvenance::kLocal}});
  }
  return out;
}

// A script answering its nth request with rows of `answers[min(nth, last)]`.
FakeNode::Script row_script(std::vector<std::vector<KvCode>> answers) {
  return [answers](const wire::Request&, std::size_t nth) {
    const std::size_t at = std::min(nth, answers.size() - 1);
    return FakeNode::Action::reply(rows(answers[at], static_cast<std::int64_t>(at) + 1));
  };
}

std::vector<std::string> keys_of(const wire::Request& request) {
  std::vector<std::string> keys;
  for (const KvSetRequest& item : std::get<wire::KvSetMany>(request.body).items) keys.push_back(item.key);
  return keys;
}

std::vector<KvSetRequest> three_items() {
  return {KvSetRequest{"b/1", std::string("1")}, KvSetRequest{"b/2", std::string("2")},
          KvSetRequest{"b/3", std::string("3")}};
}

TEST(BatchRetryTest, RowsOnlyAnsweredMustRetryGoAgainAloneUnderANewId) {
  FakeNode node(1, row_script({{KvCode::kSet, KvCode::kMustRetry, KvCode::kSet}, {KvCode::kSet}}));
  Client client(options_for(node));
  auto reply = client.set_many(three_items());
  ASSERT_TRUE(reply) << reply.error().to_string();
  ASSERT_EQ(reply->size(), 3u);
  for (const KvReply& row : *reply) EXPECT_EQ(row.code, KvCode::kSet);
  EXPECT_EQ((*reply)[1].revision, 2) << "the second round's row";

  const std::vector<wire::Request> seen = node.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(keys_of(seen[1]), std::vector<std::string>{"b/2"});
  const RequestId& first = seen[0].settings.request_id;
  const RequestId& second = seen[1].settings.request_id;
  EXPECT_TRUE(first.present());
  EXPECT_EQ(second.client, first.client);
  EXPECT_NE(second.sequence, first.sequence);
  EXPECT_EQ(client.metrics().must_retry_replies, 1u);
}

TEST(BatchRetryTest, AnUnknownRowResendsTheWholeRequestUnderTheSameId) {
  FakeNode node(1, row_script({{KvCode::kSet, KvCode::kOutcomeUnknown, KvCode::kMustRetry},
                               {KvCode::kSet, KvCode::kSet, KvCode::kSet}}));
  Client client(options_for(node));
  auto reply = client.set_many(three_items());
  ASSERT_TRUE(reply) << reply.error().to_string();
  ASSERT_EQ(reply->size(), 3u);
  for (const KvReply& row : *reply) EXPECT_EQ(row.code, KvCode::kSet);
  EXPECT_EQ((*reply)[0].revision, 1) << "a row answered in the first round keeps that answer";
  EXPECT_EQ((*reply)[1].revision, 2);
  EXPECT_EQ((*reply)[2].revision, 2);

  const std::vector<wire::Request> seen = node.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(keys_of(seen[1]), keys_of(seen[0])) << "every row in its place";
  EXPECT_EQ(seen[1].settings.request_id, seen[0].settings.request_id);
  EXPECT_EQ(client.metrics().outcome_unknown_replies, 1u);
}

TEST(BatchRetryTest, ARowUnknownUntilTheDeadlineKeepsCode98) {
  FakeNode node(1, row_script({{KvCode::kSet, KvCode::kOutcomeUnknown, KvCode::kMustRetry}}));
  Client client(options_for(node, 200ms));
  auto reply = client.set_many(three_items());
  ASSERT_TRUE(reply) << reply.error().to_string();
  ASSERT_EQ(reply->size(), 3u);
  EXPECT_EQ((*reply)[0].code, KvCode::kSet);
  EXPECT_EQ((*reply)[1].code, KvCode::kOutcomeUnknown);
  EXPECT_EQ((*reply)[2].code, KvCode::kMustRetry);

  const std::vector<wire::Request> seen = node.requests();
  ASSERT_GT(seen.size(), 1u);
  for (const wire::Request& request : seen) {
    EXPECT_EQ(keys_of(request), keys_of(seen[0]));
    EXPECT_EQ(request.settings.request_id, seen[0].settings.request_id);
  }
}

TEST(BatchRetryTest, ARowOnceUnknownStaysUnknownThoughLaterAnsweredMustRetry) {
  FakeNode node(1, row_script({{KvCode::kSet, KvCode::kOutcomeUnknown}, {KvCode::kSet, KvCode::kMustRetry}}));
  Client client(options_for(node, 200ms));
  auto reply = client.remove_many({KvKeyRequest{"b/1"}, KvKeyRequest{"b/2"}});
  ASSERT_TRUE(reply) << reply.error().to_string();
  ASSERT_EQ(reply->size(), 2u);
  EXPECT_EQ((*reply)[1].code, KvCode::kOutcomeUnknown);

  const std::vector<wire::Request> seen = node.requests();
  ASSERT_GT(seen.size(), 1u);
  for (const wire::Request& request : seen) {
    EXPECT_EQ(std::get<wire::KvDeleteMany>(request.body).items.size(), 2u);
    EXPECT_EQ(request.settings.request_id, seen[0].settings.request_id);
  }
}

TEST(BatchRetryTest, AReadBatchCarriesNoId) {
  FakeNode node(1, row_script({{KvCode::kGet, KvCode::kMustRetry}, {KvCode::kGet}}));
  Client client(options_for(node));
  auto reply = client.get_many({KvGetRequest{}, KvGetRequest{}});
  ASSERT_TRUE(reply) << reply.error().to_string();
  const std::vector<wire::Request> seen = node.requests();
  ASSERT_EQ(seen.size(), 2u);
  for (const wire::Request& request : seen) EXPECT_FALSE(request.settings.request_id.present());
}

}  // namespace
}  // namespace kahuna::client::testing
