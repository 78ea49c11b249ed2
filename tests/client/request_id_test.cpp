// The SDK's request ids (kahuna/kernel_api.h RequestId) as a node sees them on
// the wire: every write carries one of its own, reads carry none, and every
// retry of a write — after must-retry, after a dropped connection, redirected
// to the leader — repeats its call's id unchanged.
#include <set>

#include <gtest/gtest.h>

#include <kahuna/client/client.h>

#include "fake_node.h"
#include "fake_node_client.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

const RequestId& id_of(const wire::Request& request) { return request.settings.request_id; }

// The reads, by this test's own account (the SDK has its own list).
bool is_read(const wire::Request& request) {
  return std::holds_alternative<wire::GetLock>(request.body) ||
         std::holds_alternative<wire::KvGet>(request.body) ||
         std::holds_alternative<wire::KvExists>(request.body) ||
         std::holds_alternative<wire::KvGetMany>(request.body) ||
         std::holds_alternative<wire::KvExistsMany>(request.body) ||
         std::holds_alternative<wire::KvGetByBucket>(request.body) ||
         std::holds_alternative<wire::KvScanPrefix>(request.body) ||
         std::holds_alternative<wire::KvGetRange>(request.body) ||
         std::holds_alternative<wire::SequenceGet>(request.body);
}

std::string name_of(const wire::Request& request) {
  return std::string(wire::to_string(wire::opcode_of(request.body)));
}

TEST(RequestIdTest, EveryWriteCarriesAnIdOfItsOwnAndNoReadCarriesOne) {
  FakeNode node(1, always(Answer::kSuccess));
  Client client(options_for(node));

  // Every write call of the SDK...
  ASSERT_TRUE(client.try_lock("locks/a", "o", 30s));
  ASSERT_TRUE(client.acquire_lock("locks/b", "o", 30s, 50ms));
  ASSERT_TRUE(client.extend_lock("locks/a", "o", 30s));
  ASSERT_TRUE(client.unlock("locks/a", "o"));
  {
    auto handle = client.lock("locks/c", 30s);
    ASSERT_TRUE(handle && handle->owns_lock());
    ASSERT_TRUE(handle->release());
  }
  ASSERT_TRUE(client.set("kv/a", "1"));
  ASSERT_TRUE(client.set("kv/a", "2", SetOptions::if_value("1")));
  ASSERT_TRUE(client.set("kv/a", "3", SetOptions::if_revision(4)));
  ASSERT_TRUE(client.set("kv/b", std::nullopt, SetOptions::if_not_exists()));
  ASSERT_TRUE(client.remove("kv/a"));
  ASSERT_TRUE(client.extend("kv/b", 10s));
  ASSERT_TRUE(
      client.set_many({KvSetRequest{"kv/c", std::string("x")}, KvSetRequest{"kv/d", std::string("y")}}));
  ASSERT_TRUE(client.remove_many({KvKeyRequest{"kv/c"}, KvKeyRequest{"kv/d"}}));
  SequenceCreateRequest create;
  create.name = "seq";
  ASSERT_TRUE(client.create_sequence(create));
  SequenceUpdateRequest update;
  update.name = "seq";
  update.increment = 2;
  ASSERT_TRUE(client.update_sequence(update));
  ASSERT_TRUE(client.next("seq"));
  ASSERT_TRUE(client.reserve("seq", 10));
  ASSERT_TRUE(client.delete_sequence("seq"));
  // ...and every read.
  ASSERT_TRUE(client.get_lock("locks/a"));
  ASSERT_TRUE(client.get("kv/a"));
  ASSERT_TRUE(client.exists("kv/a"));
  ASSERT_TRUE(client.get_many({KvGetRequest{}}));
  ASSERT_TRUE(client.exists_many({KvGetRequest{}}));
  ASSERT_TRUE(client.get_by_bucket("kv"));
  ASSERT_TRUE(client.scan_prefix("kv/"));
  ASSERT_TRUE(client.get_range("kv"));
  ASSERT_TRUE(client.get_sequence("seq"));

  const std::vector<wire::Request> seen = node.requests();
  ASSERT_EQ(seen.size(), 28u) << "one request per call, none retried";
  std::uint64_t client_number = 0;
  std::uint64_t last_sequence = 0;
  std::size_t writes = 0;
  for (const wire::Request& request : seen) {
    SCOPED_TRACE(name_of(request));
    if (is_read(request)) {
      EXPECT_FALSE(id_of(request).present());
      continue;
    }
    ++writes;
    ASSERT_TRUE(id_of(request).present());
    EXPECT_NE(id_of(request).client, 0u);
    if (client_number == 0) client_number = id_of(request).client;
    EXPECT_EQ(id_of(request).client, client_number) << "one client number per client";
    EXPECT_GT(id_of(request).sequence, last_sequence) << "a new sequence number per call";
    last_sequence = id_of(request).sequence;
    EXPECT_EQ(id_of(request).part, 0u) << "the server numbers the parts of a call";
  }
  EXPECT_EQ(writes, 19u);
}

TEST(RequestIdTest, TwoClientsDrawDifferentClientNumbers) {
  FakeNode node(1, always(Answer::kSuccess));
  {
    Client first(options_for(node));
    ASSERT_TRUE(first.set("k", "1"));
  }
  {
    Client second(options_for(node));
    ASSERT_TRUE(second.set("k", "2"));
  }
  const std::vector<wire::Request> seen = node.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_NE(id_of(seen[0]).client, 0u);
  EXPECT_NE(id_of(seen[1]).client, 0u);
  EXPECT_NE(id_of(seen[0]).client, id_of(seen[1]).client);
}

TEST(RequestIdTest, AWriteResentAfterMustRetryCarriesTheSameId) {
  FakeNode node(1, first_then_success(2, Answer::kMustRetry));
  Client client(options_for(node));
  auto reply = client.set("k", "v", SetOptions::if_not_exists());
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->code, KvCode::kSet);
  ASSERT_TRUE(client.set("k", "w"));  // the next call: a new id

  const std::vector<wire::Request> seen = node.requests();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_TRUE(id_of(seen[0]).present());
  EXPECT_EQ(id_of(seen[1]), id_of(seen[0]));
  EXPECT_EQ(id_of(seen[2]), id_of(seen[0]));
  EXPECT_EQ(id_of(seen[3]).client, id_of(seen[0]).client);
  EXPECT_NE(id_of(seen[3]).sequence, id_of(seen[0]).sequence);
  const ClientMetrics metrics = client.metrics();
  EXPECT_EQ(metrics.must_retry_replies, 2u);
  EXPECT_EQ(metrics.retries, 2u);
}

TEST(RequestIdTest, AWriteResentAfterADroppedConnectionCarriesTheSameId) {
  FakeNode node(1, [](const wire::Request& request, std::size_t nth) {
    if (nth == 0) return FakeNode::Action::drop();  // it arrived; its reply is lost
    return FakeNode::Action::reply(reply_to(request, Answer::kSuccess));
  });
  Client client(options_for(node));
  auto reply = client.remove("k");
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->code, KvCode::kDeleted);

  const std::vector<wire::Request> seen = node.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(id_of(seen[0]).present());
  EXPECT_EQ(id_of(seen[1]), id_of(seen[0]));
  EXPECT_EQ(client.metrics().transport_failures, 1u);
  EXPECT_GE(client.metrics().connections_opened, 2u) << "the retry went on a new connection";
}

TEST(RequestIdTest, AWriteRedirectedToTheLeaderCarriesTheSameId) {
  // Node 1 is believed to lead, but answers must-retry naming node 2.
  FakeNode follower(1, always(Answer::kMustRetry, /*leader=*/2));
  FakeNode leader(2, always(Answer::kSuccess, /*leader=*/2));
  const ClusterStatus status = status_of({&follower, &leader}, /*leader=*/1);
  follower.set_status(status);
  leader.set_status(status);
  Client client(options_for(follower));
  auto reply = client.unlock("jobs/1", "me");
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->code, LockCode::kUnlocked);

  const std::vector<wire::Request> at_follower = follower.requests();
  const std::vector<wire::Request> at_leader = leader.requests();
  ASSERT_EQ(at_follower.size(), 1u);
  ASSERT_EQ(at_leader.size(), 1u);
  EXPECT_TRUE(id_of(at_follower[0]).present());
  EXPECT_EQ(id_of(at_leader[0]), id_of(at_follower[0]));
}

}  // namespace
}  // namespace kahuna::client::testing
