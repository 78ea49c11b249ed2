// The SDK's cluster administration calls against fake nodes: join and leave
// go to the node they are about and nowhere else, remove and the replication
// factor to any member; replies come back whole; a must-retry is resent with
// the same request id. And the map: a reply from a node that applied newer
// cluster metadata than the map's makes the client read the cluster status
// again, once per version.
#include <atomic>

#include <gtest/gtest.h>

#include <kahuna/client/client.h>

#include "fake_node.h"
#include "fake_node_client.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

// Answers every cluster change with `reply`, everything else with success.
FakeNode::Script changes_answer(ClusterChangeReply reply) {
  return [reply](const wire::Request& request, std::size_t) {
    if (std::holds_alternative<wire::ClusterJoin>(request.body) ||
        std::holds_alternative<wire::ClusterLeave>(request.body) ||
        std::holds_alternative<wire::ClusterRemove>(request.body) ||
        std::holds_alternative<wire::SetReplicationFactor>(request.body)) {
      return FakeNode::Action::reply(reply);
    }
    return FakeNode::Action::reply(reply_to(request, Answer::kSuccess));
  };
}

TEST(ClusterAdminTest, JoinAndLeaveGoToTheNodeTheyAreAbout) {
  const ClusterChangeReply applied{ClusterCode::kApplied, 4, ""};
  FakeNode first(1, changes_answer(applied));
  FakeNode second(2, changes_answer(applied));
  first.set_status(status_of({&first, &second}, 1));
  second.set_status(status_of({&first, &second}, 1));
  ClientOptions options = options_for(first);
  options.endpoints = {first.endpoint(), second.endpoint()};
  Client client(options);

  auto joined = client.cluster_join({"10.0.0.1:7001", "[::1]:7002"});
  ASSERT_TRUE(joined) << joined.error().to_string();
  EXPECT_EQ(joined->code, ClusterCode::kApplied);
  EXPECT_EQ(joined->metadata_version, 4u);
  ASSERT_EQ(first.requests().size(), 1u);
  const wire::ClusterJoin join = std::get<wire::ClusterJoin>(first.requests()[0].body);
  EXPECT_EQ(join.request.seeds, (std::vector<std::string>{"10.0.0.1:7001", "[::1]:7002"}));

  ASSERT_TRUE(client.cluster_leave());
  ASSERT_EQ(first.requests().size(), 2u);
  EXPECT_EQ(std::get<wire::ClusterLeave>(first.requests()[1].body).request.node_id, 0u);
  EXPECT_TRUE(second.requests().empty());

  NodeOptions there;
  there.endpoint = second.endpoint();
  ASSERT_TRUE(client.cluster_leave(there));
  ASSERT_TRUE(client.cluster_join({"10.0.0.1:7001"}, there));
  EXPECT_EQ(first.requests().size(), 2u);
  ASSERT_EQ(second.requests().size(), 2u);
  EXPECT_TRUE(std::holds_alternative<wire::ClusterLeave>(second.requests()[0].body));
  EXPECT_TRUE(std::holds_alternative<wire::ClusterJoin>(second.requests()[1].body));
}

TEST(ClusterAdminTest, RemoveAndReplicationFactorCarryTheirFieldsAndEveryOutcomeComesBack) {
  FakeNode node(1, changes_answer({ClusterCode::kNotFound, 3, "node 9 is not a member"}));
  Client client(options_for(node));

  auto removed = client.cluster_remove(9);
  ASSERT_TRUE(removed) << removed.error().to_string();
  EXPECT_EQ(removed->code, ClusterCode::kNotFound);  // an outcome, not an error
  EXPECT_EQ(removed->metadata_version, 3u);
  EXPECT_EQ(removed->message, "node 9 is not a member");

  ASSERT_TRUE(client.set_replication_factor(3));
  ASSERT_TRUE(client.set_replication_factor(0, 2));
  const auto requests = node.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(std::get<wire::ClusterRemove>(requests[0].body).request.node_id, 9u);
  const auto& cluster_factor = std::get<wire::SetReplicationFactor>(requests[1].body).request;
  EXPECT_EQ(cluster_factor.replication_factor, 3u);
  EXPECT_EQ(cluster_factor.partition, 0u);
  const auto& partition_factor = std::get<wire::SetReplicationFactor>(requests[2].body).request;
  EXPECT_EQ(partition_factor.replication_factor, 0u);
  EXPECT_EQ(partition_factor.partition, 2u);
  // Writes: each call its own request id.
  EXPECT_TRUE(requests[0].settings.request_id.present());
  EXPECT_NE(requests[0].settings.request_id, requests[1].settings.request_id);
}

TEST(ClusterAdminTest, AMustRetryIsResentToTheSameNodeUnderTheSameRequestId) {
  FakeNode node(1, first_then_success(2, Answer::kMustRetry));
  Client client(options_for(node));
  auto left = client.cluster_leave();
  ASSERT_TRUE(left) << left.error().to_string();
  EXPECT_EQ(left->code, ClusterCode::kApplied);
  const auto requests = node.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& request : requests) {
    EXPECT_TRUE(std::holds_alternative<wire::ClusterLeave>(request.body));
    EXPECT_EQ(request.settings.request_id, requests[0].settings.request_id);
  }
  EXPECT_EQ(client.metrics().must_retry_replies, 2u);
}

TEST(ClusterAdminTest, AnUnreachableNodeIsNotReplacedByAnother) {
  FakeNode other(2, always(Answer::kSuccess));
  ClientOptions options = options_for(other, 300ms);
  NodeOptions gone;
  gone.endpoint = endpoint_nobody_listens_on();
  Client client(options);
  auto left = client.cluster_leave(gone);
  ASSERT_FALSE(left);
  EXPECT_EQ(left.error().kind, ErrorKind::kUnreachable);
  EXPECT_TRUE(other.requests().empty()) << "leave was sent to a node other than the one leaving";
}

// ---- The map follows the cluster metadata ------------------------------------

// A node whose replies (and cluster status) say metadata `version`.
struct VersionedNode {
  std::atomic<std::uint64_t> reply_version{1};
  FakeNode node{1, [this](const wire::Request& request, std::size_t) {
                  return FakeNode::Action::reply(
                      with_metadata_version(reply_to(request, Answer::kSuccess), reply_version.load()));
                }};

  void set_status_version(std::uint64_t version) {
    ClusterStatus status = status_of({&node}, node.id());
    status.metadata_version = version;
    node.set_status(status);
  }
};

TEST(ClusterMapTest, ANewerMetadataVersionInARouteMakesTheClientReadTheMapAgain) {
  VersionedNode versioned;
  versioned.set_status_version(1);
  Client client(options_for(versioned.node));

  ASSERT_TRUE(client.get("k"));
  EXPECT_EQ(client.metrics().map_refreshes, 1u);  // the first read of the map
  EXPECT_EQ(client.metrics().map_metadata_version, 1u);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.set("k", "v"));
  EXPECT_EQ(client.metrics().map_refreshes, 1u) << "replies of the map's own version change nothing";

  // A member joined: the node applied version 2.
  versioned.set_status_version(2);
  versioned.reply_version = 2;
  ASSERT_TRUE(client.get("k"));
  EXPECT_EQ(client.metrics().map_refreshes, 2u);
  EXPECT_EQ(client.metrics().map_metadata_version, 2u);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.get("k"));
  EXPECT_EQ(client.metrics().map_refreshes, 2u);

  // Batches show it through their rows.
  versioned.set_status_version(3);
  versioned.reply_version = 3;
  ASSERT_TRUE(client.get_many({KvGetRequest{}, KvGetRequest{}}));
  EXPECT_EQ(client.metrics().map_metadata_version, 3u);
}

// A status read from a node whose metadata lags the replies' must not make
// every call read the map again: once per version seen.
TEST(ClusterMapTest, AStatusOlderThanTheRepliesIsReadOncePerVersion) {
  VersionedNode versioned;
  versioned.set_status_version(1);
  Client client(options_for(versioned.node));
  ASSERT_TRUE(client.get("k"));
  const std::uint64_t before = client.metrics().map_refreshes;

  versioned.reply_version = 5;  // the status still says 1
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(client.get("k"));
  EXPECT_EQ(client.metrics().map_refreshes, before + 1);
  EXPECT_EQ(client.metrics().map_metadata_version, 1u);

  versioned.reply_version = 6;
  ASSERT_TRUE(client.get("k"));
  EXPECT_EQ(client.metrics().map_refreshes, before + 2);
}

// An applied change names the metadata version it made: the client's map
// is older by definition.
TEST(ClusterMapTest, AnAppliedChangeMakesTheClientReadTheMapAgain) {
  FakeNode node(1, changes_answer({ClusterCode::kApplied, 8, ""}));
  ClusterStatus status = status_of({&node}, 1);
  status.metadata_version = 7;
  node.set_status(status);
  Client client(options_for(node));
  ASSERT_TRUE(client.get("k"));
  EXPECT_EQ(client.metrics().map_metadata_version, 7u);
  const std::uint64_t before = client.metrics().map_refreshes;

  status.metadata_version = 8;
  node.set_status(status);
  ASSERT_TRUE(client.set_replication_factor(1));
  EXPECT_EQ(client.metrics().map_refreshes, before + 1);
  EXPECT_EQ(client.metrics().map_metadata_version, 8u);
}

TEST(ClusterMapTest, AClusterStatusCallSetsTheMapsVersion) {
  FakeNode node(1, always(Answer::kSuccess));
  ClusterStatus status = status_of({&node}, 1);
  status.metadata_version = 11;
  node.set_status(status);
  Client client(options_for(node));
  auto read = client.cluster_status();
  ASSERT_TRUE(read);
  EXPECT_EQ(read->metadata_version, 11u);
  EXPECT_EQ(client.metrics().map_metadata_version, 11u);
}

}  // namespace
}  // namespace kahuna::client::testing
