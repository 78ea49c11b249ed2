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

// Every member holds a voting replica of every data partition; the leader's
// replica says so, and a partition without a known leader is degraded.
TEST_F(ClusterApiTest, Placement) {
  host.kernel.set_leader(2, FakeKernel::kOther);
  host.kernel.set_leader(3, 0);
  auto reply = client->get("/v1/cluster/placement");
  EXPECT_EQ(reply.status, 200);
  auto placement = reply.json();
  EXPECT_EQ(int_of(placement, "replicationFactor"), 2);
  EXPECT_FALSE(bool_of(placement, "rebalancerEnabled"));
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

}  // namespace
}  // namespace kahuna::testing
