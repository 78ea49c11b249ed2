// The plugin in a real 3-node cluster: route hints for forwarded requests,
// data visible through every node, batches across leaders, and writes that
// succeed through a survivor after the leader is killed.
#include <kahuna/placement.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "real_server_util.h"

namespace kahuna::testing {
namespace {

constexpr int kNodes = 3;
constexpr std::uint32_t kPartitions = 4;

ClusterOptions three_nodes() { return ClusterOptions{kNodes, kPartitions, "rocksdb", 10000, true}; }

std::uint32_t partition_of_key(const std::string& key) {
  return partition_for_key(key, PlacementPool{kPartitions, 1});
}

// A key of key space "<stem><n>" that lands on `partition`.
std::string key_on(std::uint32_t partition, const std::string& stem) {
  for (int n = 0;; ++n) {
    const std::string key = stem + std::to_string(n) + "/k";
    if (partition_of_key(key) == partition) return key;
  }
}

// The node whose HTTP endpoint is `url` (0 when none).
int node_of(const LocalCluster& cluster, const std::string& url) {
  for (int id = 1; id <= cluster.size(); ++id) {
    if (cluster.http_endpoint(id) == url) return id;
  }
  return 0;
}

std::string set_body(const std::string& key, const std::string& value) {
  return R"({"key":")" + key + R"(","value":")" + value + R"(","flags":1,"durability":1})";
}

std::string get_body(const std::string& key) { return R"({"key":")" + key + R"(","durability":1})"; }

class HttpClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new LocalCluster(http_cluster_dir("HttpClusterTest"), three_nodes());
    cluster_->start_all();
    leaders_ = wait_for_settled_leaders(*cluster_, kPartitions);
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(leaders_.size(), kPartitions + 1);
    for (int id = 1; id <= kNodes; ++id) clients_[id] = connect_http(cluster_->http_endpoint(id));
  }

  HttpTestClient& client(int id) { return *clients_.at(id); }

  static LocalCluster* cluster_;
  static std::vector<std::string> leaders_;  // by partition
  std::map<int, std::unique_ptr<HttpTestClient>> clients_;
};

LocalCluster* HttpClusterTest::cluster_ = nullptr;
std::vector<std::string> HttpClusterTest::leaders_;

TEST_F(HttpClusterTest, AFollowerForwardsAndHintsTheLeadersEndpoint) {
  for (std::uint32_t partition = 1; partition <= kPartitions; ++partition) {
    const int leader = node_of(*cluster_, leaders_[partition]);
    ASSERT_NE(leader, 0) << leaders_[partition];
    const int follower = leader % kNodes + 1;
    const std::string key = key_on(partition, "fwd");

    auto forwarded = post_retrying(client(follower), "/v1/kv/try-set", set_body(key, "dmFsdWU="));
    EXPECT_EQ(int_of(forwarded, "type"), 0) << to_json(forwarded);
    ASSERT_TRUE(forwarded["route"].IsObject()) << to_json(forwarded);
    EXPECT_EQ(int_of(forwarded["route"], "partitionId"), partition);
    EXPECT_EQ(int_of(forwarded["route"], "provenance"), 2);
    EXPECT_EQ(string_of(forwarded["route"], "endpoint"), cluster_->http_endpoint(leader));

    auto local = post_retrying(client(leader), "/v1/kv/try-get", get_body(key));
    EXPECT_EQ(int_of(local["route"], "provenance"), 1);
    EXPECT_EQ(string_of(local["route"], "endpoint"), cluster_->http_endpoint(leader));

    for (int id = 1; id <= kNodes; ++id) {
      auto read = post_retrying(client(id), "/v1/kv/try-get", get_body(key));
      EXPECT_EQ(int_of(read, "type"), 3) << "node " << id << ": " << to_json(read);
      EXPECT_EQ(string_of(read, "value"), "dmFsdWU=") << "node " << id;
    }
  }
}

TEST_F(HttpClusterTest, LocksAndSequencesAreForwardedToo) {
  const std::uint32_t partition = 1;
  const int leader = node_of(*cluster_, leaders_[partition]);
  const int follower = leader % kNodes + 1;
  const std::string resource = key_on(partition, "lock");
  auto locked = post_retrying(
      client(follower), "/v1/locks/try-lock",
      R"({"resource":")" + resource + R"(","owner":"b3duZXItYQ==","expiresMs":10000,"durability":1})");
  EXPECT_EQ(int_of(locked, "type"), 0) << to_json(locked);
  EXPECT_EQ(int_of(locked["route"], "provenance"), 2);
  EXPECT_EQ(string_of(locked["route"], "endpoint"), cluster_->http_endpoint(leader));
  for (int id = 1; id <= kNodes; ++id) {
    auto info = post_retrying(client(id), "/v1/locks/get-info",
                              R"({"resource":")" + resource + R"(","durability":1})");
    EXPECT_EQ(int_of(info, "type"), 4) << "node " << id;
    EXPECT_EQ(string_of(info, "owner"), "b3duZXItYQ==");
  }

  std::string name = "seq";
  while (partition_for_sequence(name, PlacementPool{kPartitions, 1}) != partition) name += "q";
  const HttpReply created =
      client(follower).post("/v1/sequences/create", R"({"name":")" + name + R"(","durability":1})");
  const rapidjson::Document create = created.json();
  EXPECT_EQ(int_of(create, "type"), 0) << created.body;
  EXPECT_EQ(int_of(create["route"], "provenance"), 2);
  EXPECT_EQ(string_of(create["route"], "endpoint"), cluster_->http_endpoint(leader));
  for (int id = 1; id <= kNodes; ++id) {
    const rapidjson::Document next =
        client(id).post("/v1/sequences/next", R"({"name":")" + name + R"("})").json();
    EXPECT_EQ(int_of(next, "type"), 0) << "node " << id;
    EXPECT_EQ(int_of(next["allocation"], "start"), id);  // one after the other, wherever asked
  }
}

TEST_F(HttpClusterTest, ABatchAcrossLeadersHasOneRowPerItemAndOneRoutePerPartition) {
  // One key on every data partition, a second key on partition 1, an invalid item.
  std::vector<std::string> keys;
  for (std::uint32_t partition = 1; partition <= kPartitions; ++partition)
    keys.push_back(key_on(partition, "batch"));
  keys.push_back(keys[0].substr(0, keys[0].size() - 1) + "second");
  keys.push_back("");
  std::set<std::string> leading;
  for (std::uint32_t partition = 1; partition <= kPartitions; ++partition)
    leading.insert(leaders_[partition]);
  ASSERT_GE(leading.size(), 2u) << "the data partitions need leaders on different nodes";

  std::string items;
  for (const std::string& key : keys) {
    if (!items.empty()) items += ",";
    items += R"({"key":")" + key + R"(","value":"Yg==","flags":1,"durability":1})";
  }
  const int asked = 1;
  auto reply = post_retrying(client(asked), "/v1/kv/try-set-many", R"({"items":[)" + items + "]}");
  EXPECT_EQ(int_of(reply, "type"), 0) << to_json(reply);
  ASSERT_TRUE(reply["items"].IsArray() && reply["routes"].IsArray()) << to_json(reply);
  ASSERT_EQ(reply["items"].Size(), keys.size());
  const auto& routes = reply["routes"];
  EXPECT_EQ(routes.Size(), kPartitions);  // partition 1's two keys share one route
  std::set<std::int64_t> route_partitions;
  for (const auto& route : routes.GetArray()) route_partitions.insert(int_of(route, "partitionId"));
  EXPECT_EQ(route_partitions.size(), routes.Size()) << "duplicate routes: " << to_json(routes);

  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto& row = reply["items"][static_cast<rapidjson::SizeType>(i)];
    EXPECT_EQ(string_of(row, "key"), keys[i]);
    EXPECT_EQ(int_of(row, "durability"), 1);
    if (keys[i].empty()) {
      EXPECT_EQ(int_of(row, "type"), 100);
      EXPECT_EQ(int_of(row, "routeIndex"), 0);
      continue;
    }
    EXPECT_EQ(int_of(row, "type"), 0) << to_json(row);
    const std::int64_t index = int_of(row, "routeIndex");
    ASSERT_GE(index, 1);
    ASSERT_LE(index, static_cast<std::int64_t>(routes.Size()));
    const auto& route = routes[static_cast<rapidjson::SizeType>(index - 1)];
    const std::uint32_t partition = partition_of_key(keys[i]);
    EXPECT_EQ(int_of(route, "partitionId"), partition) << keys[i];
    EXPECT_EQ(string_of(route, "endpoint"), leaders_[partition]);
    EXPECT_EQ(int_of(route, "provenance"), leaders_[partition] == cluster_->http_endpoint(asked) ? 1 : 2);
  }
  EXPECT_EQ(int_of(reply["items"][0], "routeIndex"), int_of(reply["items"][4], "routeIndex"));

  // Everything written is readable in one batch through another node.
  std::string reads;
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    if (!reads.empty()) reads += ",";
    reads += R"({"key":")" + keys[i] + R"(","revision":-1,"durability":1})";
  }
  auto read = post_retrying(client(2), "/v1/kv/try-get-many", R"({"items":[)" + reads + "]}");
  EXPECT_EQ(int_of(read, "type"), 3);
  ASSERT_EQ(read["items"].Size(), keys.size() - 1);
  for (const auto& row : read["items"].GetArray()) {
    EXPECT_EQ(int_of(row, "type"), 3) << to_json(row);
    EXPECT_EQ(string_of(row, "value"), "Yg==");
  }
}

TEST_F(HttpClusterTest, StatusAndMetricsOfARealNode) {
  const HttpReply reply = client(2).get("/v1/cluster/status");
  ASSERT_EQ(reply.status, 200);
  const rapidjson::Document status = reply.json();
  EXPECT_EQ(int_of(status, "nodeId"), 2);
  ASSERT_EQ(status["nodes"].Size(), static_cast<rapidjson::SizeType>(kNodes));
  for (const auto& node : status["nodes"].GetArray()) {
    const int id = static_cast<int>(int_of(node, "id"));
    EXPECT_EQ(string_of(node["endpoints"], "http"), cluster_->http_endpoint(id));
    EXPECT_TRUE(bool_of(node, "connected")) << "node " << id;
  }
  ASSERT_EQ(status["partitions"].Size(), kPartitions + 1);
  for (const auto& partition : status["partitions"].GetArray()) {
    const auto id = static_cast<std::size_t>(int_of(partition, "id"));
    EXPECT_EQ(cluster_->http_endpoint(static_cast<int>(int_of(partition, "leader"))), leaders_[id]);
    const bool leads = leaders_[id] == cluster_->http_endpoint(2);
    EXPECT_EQ(string_of(partition, "role"), leads ? "leader" : "follower");
  }
  const HttpReply health = client(3).get("/v1/cluster/health");
  EXPECT_EQ(health.status, 200) << health.body;
  const HttpReply metrics = client(3).get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("kahuna_raft_term"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("kahuna_http_requests_total{"), std::string::npos);
}

// Every node reports every data partition on the three nodes, with the
// partition's leader as its one Leader replica.
TEST_F(HttpClusterTest, PlacementOfARealCluster) {
  const HttpReply reply = client(1).get("/v1/cluster/placement");
  ASSERT_EQ(reply.status, 200);
  const rapidjson::Document placement = reply.json();
  EXPECT_EQ(int_of(placement, "replicationFactor"), kNodes);
  EXPECT_EQ(string_of(placement, "localEndpoint"), cluster_->http_endpoint(1));
  ASSERT_EQ(placement["partitions"].Size(), kPartitions);
  for (const auto& partition : placement["partitions"].GetArray()) {
    const auto id = static_cast<std::size_t>(int_of(partition, "partitionId"));
    SCOPED_TRACE("partition " + std::to_string(id));
    EXPECT_EQ(string_of(partition, "state"), "Stable");
    ASSERT_EQ(partition["replicas"].Size(), static_cast<rapidjson::SizeType>(kNodes));
    int leaders = 0;
    for (const auto& replica : partition["replicas"].GetArray()) {
      if (string_of(replica, "role") != "Leader") continue;
      ++leaders;
      EXPECT_EQ(string_of(replica, "endpoint"), leaders_[id]);
    }
    EXPECT_EQ(leaders, 1);
  }
}

// The first leader of partition 0 records the three configured nodes as the
// cluster's first members (version 1; each group leader's report raises it
// after); every node applies it.
TEST_F(HttpClusterTest, EveryNodeAppliesTheBootstrappedMetadata) {
  for (int id = 1; id <= kNodes; ++id) {
    SCOPED_TRACE("node " + std::to_string(id));
    std::string metrics;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    const std::string voters = "kahuna_cluster_members{state=\"voter\"} 3\n";
    while (std::chrono::steady_clock::now() < deadline) {
      metrics = client(id).get("/metrics").body;
      if (metrics.find(voters) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_NE(metrics.find(voters), std::string::npos) << metrics;
    EXPECT_EQ(metrics.find("kahuna_cluster_metadata_version 0\n"), std::string::npos) << metrics;
  }
}

// Its own cluster: it kills a node.
TEST(HttpFailoverTest, WritesSucceedThroughASurvivorAfterTheLeaderIsKilled) {
  LocalCluster cluster(http_cluster_dir("HttpFailoverTest"), three_nodes());
  cluster.start_all();
  const auto leaders = wait_for_settled_leaders(cluster, kPartitions);
  ASSERT_EQ(leaders.size(), kPartitions + 1);
  const std::uint32_t partition = 2;
  const int leader = node_of(cluster, leaders[partition]);
  ASSERT_NE(leader, 0);
  const int survivor = leader % kNodes + 1;
  const int other_survivor = 1 + 2 + 3 - leader - survivor;
  const std::string key = key_on(partition, "failover");

  auto client = connect_http(cluster.http_endpoint(survivor));
  EXPECT_EQ(int_of(post_retrying(*client, "/v1/kv/try-set", set_body(key, "YmVmb3Jl")), "type"), 0);
  cluster.kill(leader);

  // Clients resend must-retry answers (HTTP-API.md §3); so does this test.
  auto after = post_retrying(*client, "/v1/kv/try-set", set_body(key, "YWZ0ZXI="));
  EXPECT_EQ(int_of(after, "type"), 0) << to_json(after);
  ASSERT_TRUE(after["route"].IsObject()) << to_json(after);
  EXPECT_NE(string_of(after["route"], "endpoint"), cluster.http_endpoint(leader));
  EXPECT_EQ(int_of(after, "revision"), 1);

  auto reader = connect_http(cluster.http_endpoint(other_survivor));
  auto read = post_retrying(*reader, "/v1/kv/try-get", get_body(key));
  EXPECT_EQ(int_of(read, "type"), 3) << to_json(read);
  EXPECT_EQ(string_of(read, "value"), "YWZ0ZXI=");

  auto locked = post_retrying(
      *client, "/v1/locks/try-lock",
      R"({"resource":")" + key + R"(","owner":"b3duZXItYQ==","expiresMs":10000,"durability":1})");
  EXPECT_EQ(int_of(locked, "type"), 0) << to_json(locked);

  // A clean stop closes the HTTP connections still open, and exits 0.
  EXPECT_EQ(cluster.stop(other_survivor), 0);
  EXPECT_TRUE(reader->closed_within(std::chrono::seconds(5)));
}

// The value of an unlabelled metric in Prometheus text; -1 when absent.
double metric_value(const std::string& metrics, const std::string& name) {
  const std::string line_start = name + " ";
  for (std::size_t at = metrics.find(line_start); at != std::string::npos;
       at = metrics.find(line_start, at + 1)) {
    if (at == 0 || metrics[at - 1] == '\n') return std::stod(metrics.substr(at + line_start.size()));
  }
  return -1;
}

// Idle groups stop ticking and heartbeating (raft.quiesce_ticks); the nodes'
// pings still tell a dead leader from an idle one, so a killed node's groups
// elect new leaders all the same.
TEST(HttpQuiescenceTest, AnIdleClusterGoesQuietAndStillReplacesADeadLeader) {
  LocalCluster cluster(http_cluster_dir("HttpQuiescenceTest"), three_nodes());
  cluster.start_all();
  const auto leaders = wait_for_settled_leaders(cluster, kPartitions);
  ASSERT_EQ(leaders.size(), kPartitions + 1);
  std::vector<std::unique_ptr<HttpTestClient>> clients;
  for (int id = 1; id <= kNodes; ++id) clients.push_back(connect_http(cluster.http_endpoint(id)));

  const double groups = kPartitions + 1;
  for (int id = 1; id <= kNodes; ++id) {
    SCOPED_TRACE("node " + std::to_string(id));
    double quiesced = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      quiesced = metric_value(clients[id - 1]->get("/metrics").body, "kahuna_raft_quiesced_groups");
      if (quiesced == groups) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(quiesced, groups);
  }
  // Quiet: no heartbeats for a second (the nodes tick every 50 ms, heartbeat
  // every 2 ticks: a group that still ticked would send 20 per follower).
  const double before = metric_value(clients[0]->get("/metrics").body, "kahuna_raft_heartbeats_sent_total");
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const double after = metric_value(clients[0]->get("/metrics").body, "kahuna_raft_heartbeats_sent_total");
  EXPECT_LT(after - before, 5) << "heartbeats sent by node 1 in a second while idle";

  // Kill the leader of partition 2: its followers, quiesced, learn from the
  // silence of its node that it is gone and elect another.
  const std::uint32_t partition = 2;
  const int leader = node_of(cluster, leaders[partition]);
  ASSERT_NE(leader, 0);
  const int survivor = leader % kNodes + 1;
  cluster.kill(leader);
  const auto killed_at = std::chrono::steady_clock::now();
  const auto after_kill = wait_for_leaders(
      *clients[survivor - 1], kPartitions,
      [&](const std::vector<std::string>& map) {
        for (const std::string& endpoint : map) {
          if (endpoint == cluster.http_endpoint(leader)) return false;
        }
        return true;
      },
      std::chrono::seconds(20));
  const auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - killed_at);
  for (const std::string& endpoint : after_kill) EXPECT_NE(endpoint, cluster.http_endpoint(leader));
  // Detection (an election timeout of silence, 0.5 s) and an election (0.5 to 1 s).
  EXPECT_LT(took, std::chrono::seconds(10));
  auto written = post_retrying(*clients[survivor - 1], "/v1/kv/try-set",
                               set_body(key_on(partition, "quiet"), "YWZ0ZXI="));
  EXPECT_EQ(int_of(written, "type"), 0) << to_json(written);
  const std::string metrics = clients[survivor - 1]->get("/metrics").body;
  EXPECT_GE(metric_value(metrics, "kahuna_peer_liveness_changes_total"), 1) << metrics;
}

}  // namespace
}  // namespace kahuna::testing
