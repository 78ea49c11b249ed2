// GET /v1/cluster/{health,membership,routing,placement,status}, /health, /metrics, /:
// HTTP-API.md §8.
#include "json_expect.h"
#include "plugin_fixture.h"

namespace kahuna::testing {
namespace {

class ClusterApiTest : public HttpApiTest {};

TEST_F(ClusterApiTest, Health) {
  auto reply = client->get("/v1/cluster/health");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("content-type"), "application/json");
  auto health = reply.json();
  EXPECT_TRUE(bool_of(health, "ready"));
  EXPECT_TRUE(bool_of(health, "initialized"));
  EXPECT_EQ(string_of(health, "localRole"), "Voter");
  EXPECT_EQ(int_of(health, "hostedPartitions"), FakeKernel::kDataPartitions);
}

TEST_F(ClusterApiTest, Membership) {
  auto membership = client->get("/v1/cluster/membership").json();
  EXPECT_EQ(int_of(membership, "membershipVersion"), 1);
  ASSERT_EQ(membership["members"].Size(), 2u);
  EXPECT_EQ(int_of(membership["members"][0], "nodeId"), 1);
  EXPECT_EQ(string_of(membership["members"][0], "endpoint"), host.server->endpoint());
  EXPECT_EQ(string_of(membership["members"][1], "endpoint"), FakeKernel::kOtherEndpoint);
  EXPECT_EQ(string_of(membership["members"][1], "role"), "Voter");
  EXPECT_EQ(int_of(membership["members"][1], "joinedVersion"), 1);
  EXPECT_EQ(string_of(membership, "localRole"), "Voter");
  EXPECT_TRUE(bool_of(membership, "initialized"));
}

TEST_F(ClusterApiTest, Routing) {
  host.kernel.set_leader(2, FakeKernel::kOther);
  host.kernel.set_leader(3, 0);
  auto reply = client->get("/v1/cluster/routing?keySpace=");
  EXPECT_EQ(reply.status, 200);
  auto routing = reply.json();
  EXPECT_TRUE(bool_of(routing, "initialized"));
  EXPECT_EQ(int_of(routing, "schemaVersion"), 1);
  EXPECT_EQ(string_of(routing, "hashAlgorithm"), "kahuna.placement-group-jump-xxh32-v1");
  EXPECT_EQ(string_of(routing, "prefixSeparator"), "/");
  EXPECT_EQ(string_of(routing, "groupSeparator"), "|");
  EXPECT_EQ(int_of(routing, "hashPoolSize"), FakeKernel::kDataPartitions);
  EXPECT_EQ(int_of(routing, "hashPartitionOffset"), 1);
  EXPECT_EQ(string_of(routing, "sequenceStorageKeyFormat"), "__kahuna:sequences:{0}");
  EXPECT_EQ(string_of(routing, "reservedKeyPrefix"), "__kahuna:");
  EXPECT_EQ(string_of(routing, "localEndpoint"), host.server->endpoint());
  EXPECT_TRUE(routing["snapshotVersion"].IsInt64());
  EXPECT_TRUE(bool_of(routing, "coherent"));
  EXPECT_TRUE(routing["keySpaces"].IsArray());
  EXPECT_EQ(routing["keySpaces"].Size(), 0u);
  std::map<std::int64_t, std::string> leaders;
  for (const auto& leader : routing["leaders"].GetArray())
    leaders[int_of(leader, "partitionId")] = string_of(leader, "endpoint");
  EXPECT_EQ(leaders[1], host.server->endpoint());
  EXPECT_EQ(leaders[2], FakeKernel::kOtherEndpoint);
  EXPECT_EQ(leaders[3], "");
  EXPECT_EQ(client->get("/v1/cluster/routing?keySpace=orders").status, 200);
}

// Both members hold a voting replica of every data partition; the leader's
// replica says so, and a partition without a known leader is degraded.
TEST_F(ClusterApiTest, Placement) {
  host.kernel.set_leader(2, FakeKernel::kOther);
  host.kernel.set_leader(3, 0);
  auto reply = client->get("/v1/cluster/placement");
  EXPECT_EQ(reply.status, 200);
  auto placement = reply.json();
  EXPECT_EQ(int_of(placement, "replicationFactor"), 2);
  EXPECT_TRUE(bool_of(placement, "rebalancerEnabled"));
  EXPECT_TRUE(bool_of(placement, "initialized"));
  EXPECT_EQ(string_of(placement, "localEndpoint"), host.server->endpoint());
  EXPECT_EQ(int_of(placement, "hostedPartitionCount"), FakeKernel::kDataPartitions);
  ASSERT_EQ(placement["partitions"].Size(), static_cast<unsigned>(FakeKernel::kDataPartitions));
  std::map<std::int64_t, const rapidjson::Value*> by_id;
  for (const auto& partition : placement["partitions"].GetArray())
    by_id[int_of(partition, "partitionId")] = &partition;
  EXPECT_FALSE(by_id.contains(0)) << "the metadata group is not a placed partition";
  const rapidjson::Value& second = *by_id.at(2);
  EXPECT_EQ(string_of(second, "state"), "Stable");
  EXPECT_EQ(int_of(second, "generation"), 1);
  EXPECT_EQ(int_of(second, "effectiveReplicationFactor"), 2);
  EXPECT_TRUE(bool_of(second, "hostedLocally"));
  ASSERT_EQ(second["replicas"].Size(), 2u);
  EXPECT_EQ(string_of(second["replicas"][0], "endpoint"), host.server->endpoint());
  EXPECT_EQ(string_of(second["replicas"][0], "role"), "Voter");
  EXPECT_EQ(string_of(second["replicas"][1], "endpoint"), FakeKernel::kOtherEndpoint);
  EXPECT_EQ(string_of(second["replicas"][1], "role"), "Leader");
  EXPECT_EQ(string_of(*by_id.at(3), "state"), "Degraded");
  EXPECT_EQ(string_of((*by_id.at(1))["replicas"][0], "role"), "Leader");
}

TEST_F(ClusterApiTest, StatusLivenessMetricsAndBanner) {
  auto status = client->get("/v1/cluster/status").json();
  EXPECT_EQ(int_of(status, "nodeId"), 1);
  EXPECT_EQ(int_of(status, "dataPartitions"), FakeKernel::kDataPartitions);
  ASSERT_EQ(status["nodes"].Size(), 2u);
  EXPECT_EQ(string_of(status["nodes"][1]["endpoints"], "http"), FakeKernel::kOtherEndpoint);
  EXPECT_TRUE(bool_of(status["nodes"][1], "connected"));
  ASSERT_EQ(status["partitions"].Size(), FakeKernel::kDataPartitions + 1);
  EXPECT_EQ(int_of(status["partitions"][1], "leader"), 1);
  EXPECT_EQ(string_of(status["partitions"][1], "role"), "leader");
  EXPECT_EQ(int_of(status["partitions"][1], "term"), 3);
  EXPECT_EQ(int_of(status["partitions"][1], "commitIndex"), 10);
  EXPECT_EQ(int_of(status["partitions"][1], "appliedIndex"), 10);

  auto live = client->get("/health");
  EXPECT_EQ(live.status, 200);

  call("/v1/kv/try-get", R"({"key":"m/1"})");
  auto metrics = client->get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find("kahuna_http_requests_total{operation=\"/v1/kv/try-get\",status=\"200\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find(
                "kahuna_http_request_duration_seconds_bucket{operation=\"/v1/kv/try-get\",le=\"+Inf\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("kahuna_http_connections_open 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("kahuna_fake_kernel_metric 42"), std::string::npos);

  auto banner = client->get("/");
  EXPECT_EQ(banner.status, 200);
  EXPECT_NE(banner.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_FALSE(banner.body.empty());
}

TEST_F(ClusterApiTest, RouteHintEndpointsAreCachedNotFetchedPerRequest) {
  host.kernel.set_leader(FakeKernel::partition_of_name("cache/1"), FakeKernel::kOther);
  const int before = host.kernel.cluster_status_calls();
  for (int i = 0; i < 20; ++i) call("/v1/kv/try-get", R"({"key":"cache/1"})");
  EXPECT_LE(host.kernel.cluster_status_calls() - before, 1);
  EXPECT_EQ(string_of(call("/v1/kv/try-get", R"({"key":"cache/1"})")["route"], "endpoint"),
            FakeKernel::kOtherEndpoint);
}

// A third node: one that is joining (a learner), or leaving.
NodeInfo third_node(std::string state) {
  return NodeInfo{3, "127.0.0.1:7003", {{"http", "http://10.0.0.3:7200"}}, true, std::move(state), 9};
}

TEST_F(ClusterApiTest, MembershipShowsEachMembersStateAndTheMetadataVersion) {
  host.kernel.edit_status([](ClusterStatus& status) {
    status.metadata_version = 9;
    status.nodes.push_back(third_node("joining"));
  });
  auto membership = client->get("/v1/cluster/membership").json();
  EXPECT_EQ(int_of(membership, "membershipVersion"), 9);
  ASSERT_EQ(membership["members"].Size(), 3u);
  EXPECT_EQ(string_of(membership["members"][0], "role"), "Voter");
  EXPECT_EQ(int_of(membership["members"][0], "joinedVersion"), 1);
  EXPECT_EQ(int_of(membership["members"][2], "nodeId"), 3);
  EXPECT_EQ(string_of(membership["members"][2], "role"), "Learner");
  EXPECT_EQ(int_of(membership["members"][2], "joinedVersion"), 9);
  EXPECT_EQ(string_of(membership, "localRole"), "Voter");

  host.kernel.edit_status([](ClusterStatus& status) {
    status.nodes[0].state = "leaving";
    status.nodes.push_back(third_node("leaving"));
  });
  membership = client->get("/v1/cluster/membership").json();
  EXPECT_EQ(string_of(membership["members"][2], "role"), "Leaving");
  EXPECT_EQ(string_of(membership, "localRole"), "Leaving");
  EXPECT_EQ(string_of(client->get("/v1/cluster/health").json(), "localRole"), "Leaving");

  // Removed: no longer a member, so not ready either.
  host.kernel.edit_status([](ClusterStatus& status) { status.nodes.erase(status.nodes.begin()); });
  membership = client->get("/v1/cluster/membership").json();
  EXPECT_EQ(string_of(membership, "localRole"), "NotMember");
  const HttpReply health = client->get("/v1/cluster/health");
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(string_of(health.json(), "localRole"), "NotMember");
}

TEST_F(ClusterApiTest, RoutingSnapshotVersionIsTheMetadataVersion) {
  host.kernel.edit_status([](ClusterStatus& status) { status.metadata_version = 12; });
  EXPECT_EQ(int_of(client->get("/v1/cluster/routing").json(), "snapshotVersion"), 12);
}

TEST_F(ClusterApiTest, HealthCountsTheHostedPartitions) {
  host.kernel.edit_status([](ClusterStatus& status) {
    status.nodes[0].state = "joining";
    for (PartitionInfo& partition : status.partitions) partition.hosted = partition.id % 2 == 1;
  });
  auto health = client->get("/v1/cluster/health").json();
  EXPECT_EQ(string_of(health, "localRole"), "Learner");
  EXPECT_EQ(int_of(health, "hostedPartitions"), 2);  // 1 and 3 of the data partitions 1..4
  EXPECT_EQ(int_of(client->get("/v1/cluster/placement").json(), "hostedPartitionCount"), 2);
}

// Replicas as the metadata records them: voters (the leader's one says so),
// then learners; Stable on target, Rebalancing while they move, Degraded
// without a leader or with a voter out of reach.
TEST_F(ClusterApiTest, PlacementFollowsTheRecordedReplicaSets) {
  host.kernel.set_leader(3, 0);
  host.kernel.edit_status([](ClusterStatus& status) {
    status.replication_factor = 3;
    NodeInfo down = third_node("voter");
    down.connected = false;
    status.nodes.push_back(down);
    for (PartitionInfo& partition : status.partitions) {
      if (partition.id == 2) {  // moving from {1, 2} to {2, 3}: node 3 catching up
        partition.learners = {3};
        partition.generation = 4;
        partition.target = {2, 3};
        partition.leader = FakeKernel::kOther;
      }
      if (partition.id == 4) {  // a voter that is down
        partition.voters = {2, 3};
        partition.target = {2, 3};
        partition.hosted = false;
      }
    }
  });
  auto placement = client->get("/v1/cluster/placement").json();
  EXPECT_EQ(int_of(placement, "replicationFactor"), 3);
  EXPECT_EQ(int_of(placement, "hostedPartitionCount"), 3);
  std::map<std::int64_t, const rapidjson::Value*> by_id;
  for (const auto& partition : placement["partitions"].GetArray())
    by_id[int_of(partition, "partitionId")] = &partition;

  const rapidjson::Value& first = *by_id.at(1);
  EXPECT_EQ(string_of(first, "state"), "Stable");
  EXPECT_EQ(int_of(first, "generation"), 1);

  const rapidjson::Value& moving = *by_id.at(2);
  EXPECT_EQ(string_of(moving, "state"), "Rebalancing");
  EXPECT_EQ(int_of(moving, "generation"), 4);
  EXPECT_EQ(int_of(moving, "effectiveReplicationFactor"), 2);
  EXPECT_TRUE(bool_of(moving, "hostedLocally"));
  ASSERT_EQ(moving["replicas"].Size(), 3u);
  EXPECT_EQ(string_of(moving["replicas"][0], "endpoint"), host.server->endpoint());
  EXPECT_EQ(string_of(moving["replicas"][0], "role"), "Voter");
  EXPECT_EQ(string_of(moving["replicas"][1], "endpoint"), FakeKernel::kOtherEndpoint);
  EXPECT_EQ(string_of(moving["replicas"][1], "role"), "Leader");
  EXPECT_EQ(string_of(moving["replicas"][2], "role"), "Learner");

  EXPECT_EQ(string_of(*by_id.at(3), "state"), "Degraded");  // no leader

  const rapidjson::Value& down = *by_id.at(4);
  EXPECT_EQ(string_of(down, "state"), "Degraded");  // voter 3 is not connected
  EXPECT_FALSE(bool_of(down, "hostedLocally"));
  ASSERT_EQ(down["replicas"].Size(), 2u);
  EXPECT_EQ(string_of(down["replicas"][0], "role"), "Voter");
  EXPECT_EQ(string_of(down["replicas"][1], "role"), "Voter");
}

TEST_F(ClusterApiTest, PlacementOnTargetButForALearnerIsStillRebalancing) {
  host.kernel.edit_status([](ClusterStatus& status) {
    status.nodes.push_back(third_node("joining"));
    status.partitions[1].learners = {3};
  });
  auto placement = client->get("/v1/cluster/placement").json();
  EXPECT_EQ(string_of(placement["partitions"][0], "state"), "Rebalancing");
  EXPECT_EQ(string_of(placement["partitions"][1], "state"), "Stable");
}

// Before the metadata is known (no version, no replica set reported),
// every configured member holds a voting replica of every partition.
TEST_F(ClusterApiTest, WithoutMetadataEveryMemberHoldsEveryPartition) {
  host.kernel.set_leader(2, FakeKernel::kOther);
  host.kernel.edit_status([](ClusterStatus& status) {
    status.metadata_version = 0;
    status.replication_factor = 0;
    for (NodeInfo& node : status.nodes) {
      node.state.clear();
      node.joined_version = 0;
    }
    for (PartitionInfo& partition : status.partitions)
      partition = PartitionInfo{partition.id, partition.leader};
  });
  auto placement = client->get("/v1/cluster/placement").json();
  EXPECT_EQ(int_of(placement, "replicationFactor"), 2);
  EXPECT_EQ(int_of(placement, "hostedPartitionCount"), FakeKernel::kDataPartitions);
  const rapidjson::Value& second = placement["partitions"][1];
  EXPECT_EQ(int_of(second, "partitionId"), 2);
  EXPECT_EQ(string_of(second, "state"), "Stable");
  EXPECT_EQ(int_of(second, "effectiveReplicationFactor"), 2);
  EXPECT_TRUE(bool_of(second, "hostedLocally"));
  ASSERT_EQ(second["replicas"].Size(), 2u);
  EXPECT_EQ(string_of(second["replicas"][1], "role"), "Leader");

  auto membership = client->get("/v1/cluster/membership").json();
  EXPECT_EQ(int_of(membership, "membershipVersion"), 0);
  EXPECT_EQ(string_of(membership["members"][1], "role"), "Voter");
  EXPECT_EQ(string_of(membership, "localRole"), "Voter");
  EXPECT_EQ(int_of(client->get("/v1/cluster/health").json(), "hostedPartitions"),
            FakeKernel::kDataPartitions);
}

TEST_F(ClusterApiTest, StatusCarriesTheMetadata) {
  host.kernel.edit_status([](ClusterStatus& status) {
    status.metadata_version = 5;
    status.replication_factor = 3;
    status.nodes.push_back(third_node("joining"));
    status.partitions[2].learners = {3};
    status.partitions[2].target = {1, 3};
    status.partitions[2].generation = 6;
    status.partitions[2].hosted = false;
  });
  auto status = client->get("/v1/cluster/status").json();
  EXPECT_EQ(int_of(status, "metadataVersion"), 5);
  EXPECT_EQ(int_of(status, "replicationFactor"), 3);
  ASSERT_EQ(status["nodes"].Size(), 3u);
  EXPECT_EQ(string_of(status["nodes"][0], "state"), "voter");
  EXPECT_EQ(int_of(status["nodes"][0], "joinedVersion"), 1);
  EXPECT_EQ(string_of(status["nodes"][2], "state"), "joining");
  EXPECT_EQ(int_of(status["nodes"][2], "joinedVersion"), 9);
  const rapidjson::Value& partition = status["partitions"][2];
  EXPECT_EQ(to_json(partition["voters"]), "[1,2]");
  EXPECT_EQ(to_json(partition["learners"]), "[3]");
  EXPECT_EQ(to_json(partition["target"]), "[1,3]");
  EXPECT_EQ(int_of(partition, "generation"), 6);
  EXPECT_FALSE(bool_of(partition, "hosted"));
  EXPECT_TRUE(bool_of(status["partitions"][1], "hosted"));
}

}  // namespace
}  // namespace kahuna::testing
