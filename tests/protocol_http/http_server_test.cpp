// The plugin inside a real single-node kahuna server: round trips with the
// exact reply shapes of HTTP-API.md, the §11 examples, and the cluster
// views and metrics of a real kernel.
#include <kahuna/placement.h>

#include <set>

#include "contract_examples.h"
#include "real_server_util.h"

namespace kahuna::testing {
namespace {

constexpr std::uint32_t kPartitions = 4;
constexpr const char* kOwnerA = "b3duZXItYQ==";  // owner-a
constexpr const char* kOwnerB = "b3duZXItYg==";  // owner-b

std::uint32_t partition_of_key(const std::string& key) {
  return partition_for_key(key, PlacementPool{kPartitions, 1});
}
std::uint32_t partition_of_sequence(const std::string& name) {
  return partition_for_sequence(name, PlacementPool{kPartitions, 1});
}

// The object's member names, in order.
std::vector<std::string> names_of(const rapidjson::Value& object) {
  std::vector<std::string> names;
  if (!object.IsObject()) return names;
  for (const auto& member : object.GetObject()) names.emplace_back(member.name.GetString());
  return names;
}

std::set<std::string> name_set(const rapidjson::Value& object) {
  const auto names = names_of(object);
  return {names.begin(), names.end()};
}

std::string route_json(std::uint32_t partition, const std::string& endpoint, int provenance) {
  return R"({"partitionId":)" + std::to_string(partition) + R"(,"endpoint":")" + endpoint +
         R"(","provenance":)" + std::to_string(provenance) + R"(,"generation":0})";
}

class HttpServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new LocalCluster(http_cluster_dir("HttpServerTest"),
                                ClusterOptions{1, kPartitions, "rocksdb", 10000, true});
    cluster_->start_all();
    auto client = connect_http(cluster_->http_endpoint(1));
    const auto leaders = wait_for_leaders(*client, kPartitions);
    for (const std::string& leader : leaders) EXPECT_EQ(leader, cluster_->http_endpoint(1));
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    node = cluster_->http_endpoint(1);
    client = connect_http(node);
  }

  // POSTs and parses; lock and key/value calls are retried on mustRetry, as
  // clients do; sequences are not (clients do not retry them either).
  rapidjson::Document call(const std::string& path, const std::string& body) {
    if (path.rfind("/v1/sequences/", 0) == 0) {
      const HttpReply reply = client->post(path, body);
      EXPECT_EQ(reply.status, 200) << path << " " << body << " -> " << reply.body;
      return reply.json();
    }
    return post_retrying(*client, path, body);
  }

  static LocalCluster* cluster_;
  std::string node;
  std::unique_ptr<HttpTestClient> client;
};

LocalCluster* HttpServerTest::cluster_ = nullptr;

TEST_F(HttpServerTest, LockRoundTripHasTheContractsExactShape) {
  const std::uint32_t partition = partition_of_key("rt/lock");
  auto locked = call("/v1/locks/try-lock", R"({"resource":"rt/lock","owner":")" + std::string(kOwnerA) +
                                               R"(","expiresMs":10000,"durability":1})");
  EXPECT_EQ(to_json(locked), R"({"type":0,"typeName":"locked","fencingToken":0,"servedFrom":"","route":)" +
                                 route_json(partition, node, 1) + "}");

  auto info = call("/v1/locks/get-info", R"({"resource":"rt/lock","durability":1})");
  EXPECT_EQ(name_set(info), (std::set<std::string>{"type", "typeName", "owner", "expires", "fencingToken",
                                                   "servedFrom", "route"}));
  EXPECT_EQ(int_of(info, "type"), 4);
  EXPECT_EQ(string_of(info, "owner"), kOwnerA);
  EXPECT_EQ(int_of(info, "fencingToken"), 0);
  EXPECT_EQ(to_json(info["route"]), route_json(partition, node, 1));
  const std::int64_t expiry = int_of(info["expires"], "l");
  EXPECT_GT(expiry, 1700000000000);

  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto extended = call("/v1/locks/try-extend", R"({"resource":"rt/lock","owner":")" + std::string(kOwnerA) +
                                                   R"(","expiresMs":20000,"durability":1})");
  EXPECT_EQ(to_json(extended),
            R"({"type":2,"typeName":"extended","fencingToken":0,"servedFrom":"","route":)" +
                route_json(partition, node, 1) + "}");
  EXPECT_GT(int_of(call("/v1/locks/get-info", R"({"resource":"rt/lock","durability":1})")["expires"], "l"),
            expiry);

  auto unlocked = call("/v1/locks/try-unlock",
                       R"({"resource":"rt/lock","owner":")" + std::string(kOwnerA) + R"(","durability":1})");
  EXPECT_EQ(int_of(unlocked, "type"), 3);
  EXPECT_EQ(string_of(unlocked, "typeName"), "unlocked");
  EXPECT_EQ(to_json(unlocked["route"]), route_json(partition, node, 1));

  auto gone = call("/v1/locks/get-info", R"({"resource":"rt/lock","durability":1})");
  EXPECT_EQ(int_of(gone, "type"), 102);
  EXPECT_TRUE(is_null(gone, "owner"));
  EXPECT_EQ(hlc_of(gone, "expires"), "0,0,0");

  auto relocked = call("/v1/locks/try-lock", R"({"resource":"rt/lock","owner":")" + std::string(kOwnerB) +
                                                 R"(","expiresMs":10000,"durability":1})");
  EXPECT_EQ(int_of(relocked, "type"), 0);
  EXPECT_EQ(int_of(relocked, "fencingToken"), 1);  // a new holder: the previous token + 1
}

TEST_F(HttpServerTest, KeyValueRoundTripHasTheContractsExactShape) {
  const std::uint32_t partition = partition_of_key("rt/key");
  const std::string route = route_json(partition, node, 1);
  auto set =
      call("/v1/kv/try-set",
           std::string("{") + kTx +
               R"(,"key":"rt/key","value":"c29tZS12YWx1ZQ==","expiresMs":0,"flags":1,"durability":1})");
  EXPECT_EQ(names_of(set), (std::vector<std::string>{"type", "typeName", "revision", "lastModified",
                                                     "servedFrom", "route"}));
  EXPECT_EQ(int_of(set, "type"), 0);
  EXPECT_EQ(string_of(set, "typeName"), "set");
  EXPECT_EQ(int_of(set, "revision"), 0);
  EXPECT_EQ(int_of(set["lastModified"], "n"), 1);  // this node's id
  EXPECT_GT(int_of(set["lastModified"], "l"), 1700000000000);
  EXPECT_EQ(string_of(set, "servedFrom"), "");
  EXPECT_EQ(to_json(set["route"]), route);

  const std::string get_body =
      std::string("{") + kTx +
      R"(,"key":"rt/key","revision":-1,"readTimestamp":{"n":0,"l":0,"c":0},"durability":1})";
  auto got = call("/v1/kv/try-get", get_body);
  EXPECT_EQ(names_of(got), (std::vector<std::string>{"type", "typeName", "value", "revision", "expires",
                                                     "lastModified", "servedFrom", "route"}));
  EXPECT_EQ(int_of(got, "type"), 3);
  EXPECT_EQ(string_of(got, "typeName"), "get");
  EXPECT_EQ(string_of(got, "value"), "c29tZS12YWx1ZQ==");
  EXPECT_EQ(int_of(got, "revision"), 0);
  EXPECT_EQ(hlc_of(got, "expires"), "0,0,0");
  EXPECT_EQ(hlc_of(got, "lastModified"), hlc_of(set, "lastModified"));
  EXPECT_EQ(to_json(got["route"]), route);

  auto exists = call("/v1/kv/try-exists", get_body);
  EXPECT_EQ(names_of(exists), (std::vector<std::string>{"type", "typeName", "revision", "expires",
                                                        "lastModified", "servedFrom", "route"}));
  EXPECT_EQ(int_of(exists, "type"), 10);
  EXPECT_EQ(string_of(exists, "typeName"), "exists");

  // null and "" are different values, and come back as written.
  EXPECT_EQ(int_of(call("/v1/kv/try-set", R"({"key":"rt/key","value":null,"durability":1})"), "revision"), 1);
  EXPECT_TRUE(is_null(call("/v1/kv/try-get", get_body), "value"));
  EXPECT_EQ(int_of(call("/v1/kv/try-set", R"({"key":"rt/key","value":"","durability":1})"), "revision"), 2);
  EXPECT_EQ(string_of(call("/v1/kv/try-get", get_body), "value"), "");

  auto deleted = call("/v1/kv/try-delete", std::string("{") + kTx + R"(,"key":"rt/key","durability":1})");
  EXPECT_EQ(names_of(deleted), (std::vector<std::string>{"type", "typeName", "revision", "lastModified",
                                                         "servedFrom", "route"}));
  EXPECT_EQ(int_of(deleted, "type"), 4);
  EXPECT_EQ(int_of(deleted, "revision"), 3);
  auto missing = call("/v1/kv/try-get", get_body);
  EXPECT_EQ(int_of(missing, "type"), 103);
  EXPECT_EQ(int_of(missing, "revision"), 0);
  EXPECT_TRUE(is_null(missing, "value"));
  EXPECT_EQ(to_json(missing["route"]), route);
}

TEST_F(HttpServerTest, SequenceRoundTripHasTheContractsExactShape) {
  const std::string route = route_json(partition_of_sequence("rt-seq"), node, 1);
  const std::string empty_allocation = R"({"name":"","start":0,"end":0,"count":0,"revision":0})";
  auto created =
      call("/v1/sequences/create", R"({"name":"rt-seq","initialValue":0,"increment":1,"durability":1})");
  EXPECT_EQ(to_json(created), R"({"type":0,"typeName":"success","revision":0,"sequence":null,"allocation":)" +
                                  empty_allocation + R"(,"servedFrom":"","route":)" + route + "}");

  auto next = call("/v1/sequences/next", R"({"name":"rt-seq","durability":1})");
  EXPECT_EQ(int_of(next, "type"), 0);
  EXPECT_EQ(int_of(next["allocation"], "start"), 1);
  EXPECT_EQ(int_of(next["allocation"], "end"), 1);
  EXPECT_EQ(int_of(next["allocation"], "count"), 1);
  EXPECT_EQ(string_of(next["allocation"], "name"), "rt-seq");
  EXPECT_EQ(to_json(next["route"]), route);

  auto reserved = call("/v1/sequences/reserve", R"({"name":"rt-seq","count":5,"durability":1})");
  EXPECT_EQ(int_of(reserved["allocation"], "start"), 2);
  EXPECT_EQ(int_of(reserved["allocation"], "end"), 6);

  auto got = call("/v1/sequences/get", R"({"name":"rt-seq","durability":1})");
  EXPECT_EQ(int_of(got, "type"), 0);
  EXPECT_EQ(to_json(got["allocation"]), empty_allocation);
  const auto& sequence = got["sequence"];
  EXPECT_EQ(names_of(sequence), (std::vector<std::string>{"name", "currentValue", "initialValue", "increment",
                                                          "maxValue", "blockSize", "incarnation", "revision",
                                                          "durability", "createdAt", "updatedAt"}));
  EXPECT_GE(int_of(sequence, "currentValue"), 6);  // a high-water mark: blocks may be reserved ahead
  EXPECT_EQ(int_of(sequence, "durability"), 1);

  EXPECT_EQ(int_of(call("/v1/sequences/delete", R"({"name":"rt-seq","durability":1})"), "type"), 0);
  auto gone = call("/v1/sequences/get", R"({"name":"rt-seq","durability":1})");
  EXPECT_EQ(int_of(gone, "type"), 1);
  EXPECT_EQ(string_of(gone, "typeName"), "notFound");
  EXPECT_EQ(int_of(gone, "revision"), -1);
}

TEST_F(HttpServerTest, ReproducesTheContractsLockExamples) {
  auto locked = call("/v1/locks/try-lock",
                     R"({"resource":"orders/42","owner":"b3duZXItYQ==","expiresMs":10000,"durability":1})");
  EXPECT_EQ(to_json(locked), R"({"type":0,"typeName":"locked","fencingToken":0,"servedFrom":"","route":)" +
                                 route_json(partition_of_key("orders/42"), node, 1) + "}");
  auto busy = call("/v1/locks/try-lock",
                   R"({"resource":"orders/42","owner":"b3duZXItYg==","expiresMs":10000,"durability":1})");
  EXPECT_EQ(int_of(busy, "type"), 1);
  EXPECT_EQ(string_of(busy, "typeName"), "busy");
  EXPECT_EQ(int_of(busy, "fencingToken"), 0);
  auto info = call("/v1/locks/get-info", R"({"resource":"orders/42","durability":1})");
  EXPECT_EQ(int_of(info, "type"), 4);
  EXPECT_EQ(string_of(info, "owner"), kOwnerA);
  EXPECT_EQ(int_of(info["expires"], "n"), 1);
  EXPECT_EQ(int_of(info, "fencingToken"), 0);
  auto not_owner =
      call("/v1/locks/try-unlock", R"({"resource":"orders/42","owner":"b3duZXItYg==","durability":1})");
  EXPECT_EQ(int_of(not_owner, "type"), 103);
  EXPECT_EQ(string_of(not_owner, "typeName"), "invalidOwner");
  EXPECT_EQ(string_of(not_owner, "servedFrom"), "");
  EXPECT_TRUE(not_owner["route"].IsObject());
}

TEST_F(HttpServerTest, ReproducesTheContractsKeyValueExamples) {
  const std::string set_body =
      std::string("{") + kTx +
      R"(,"key":"users/7","value":"c29tZS12YWx1ZQ==","expiresMs":0,"flags":8,"durability":1})";
  auto set = call("/v1/kv/try-set", set_body);
  EXPECT_EQ(int_of(set, "type"), 0);
  EXPECT_EQ(string_of(set, "typeName"), "set");
  EXPECT_EQ(int_of(set, "revision"), 0);
  EXPECT_EQ(int_of(set["lastModified"], "n"), 1);
  auto again = call("/v1/kv/try-set", set_body);
  expect_not_set_again(again);

  auto missing = call("/v1/kv/try-get", get_missing_key_body());
  EXPECT_EQ(
      to_json(missing),
      R"({"type":103,"typeName":"doesNotExist","value":null,"revision":0,"expires":{"n":0,"l":0,"c":0},)"
      R"("lastModified":{"n":0,"l":0,"c":0},"servedFrom":"","route":)" +
          route_json(partition_of_key("users/8"), node, 1) + "}");

  auto batch = call("/v1/kv/try-delete-many", kDeleteManyBody);
  EXPECT_EQ(int_of(batch, "type"), 4);
  EXPECT_GE(int_of(batch, "timeElapsedMs"), 0);
  ASSERT_TRUE(batch["items"].IsArray());
  ASSERT_EQ(batch["items"].Size(), 2u);
  EXPECT_EQ(
      to_json(batch["items"][0]),
      R"({"key":"","type":100,"typeName":"invalidInput","revision":0,"lastModified":{"n":0,"l":0,"c":0},"durability":1,"routeIndex":0})");
  expect_users_7_deleted(batch["items"][1]);
  ASSERT_TRUE(batch["routes"].IsArray());
  ASSERT_EQ(batch["routes"].Size(), 1u);
  EXPECT_EQ(to_json(batch["routes"][0]), route_json(partition_of_key("users/7"), node, 1));

  call("/v1/kv/try-set", R"({"key":"users/1","value":"djE=","durability":1})");
  call("/v1/kv/try-set", R"({"key":"users/2","value":null,"durability":1})");
  call("/v1/kv/try-set", R"({"key":"users/3","value":"djM=","durability":1})");
  auto range = call("/v1/kv/get-by-range", std::string("{") + kTx +
                                               R"(,"prefix":"users","startKey":null,"startInclusive":true,
      "endKey":null,"endInclusive":false,"limit":2,"readTimestamp":{"n":0,"l":0,"c":0},"durability":1,"cursor":null})");
  EXPECT_EQ(int_of(range, "type"), 3);
  ASSERT_TRUE(range["items"].IsArray());
  ASSERT_EQ(range["items"].Size(), 2u);
  EXPECT_EQ(string_of(range["items"][0], "key"), "users/1");
  EXPECT_EQ(string_of(range["items"][0], "value"), "djE=");
  EXPECT_EQ(int_of(range["items"][0], "revision"), 0);
  EXPECT_EQ(string_of(range["items"][1], "key"), "users/2");
  EXPECT_TRUE(is_null(range["items"][1], "value"));
  EXPECT_FALSE(string_of(range, "nextCursor").empty());
  EXPECT_TRUE(bool_of(range, "hasMore"));
}

TEST_F(HttpServerTest, ReproducesTheContractsSequenceAndHealthExamples) {
  auto created =
      call("/v1/sequences/create", R"({"name":"invoices","initialValue":0,"increment":1,"maxValue":null,
      "blockSize":null,"durability":1})");
  EXPECT_EQ(to_json(created),
            R"({"type":0,"typeName":"success","revision":0,"sequence":null,)"
            R"("allocation":{"name":"","start":0,"end":0,"count":0,"revision":0},"servedFrom":"",)"
            R"("route":)" +
                route_json(partition_of_sequence("invoices"), node, 1) + "}");
  auto reserved = call("/v1/sequences/reserve",
                       R"({"name":"invoices","count":10,"idempotencyKey":"req-81c2","durability":1})");
  EXPECT_EQ(int_of(reserved, "type"), 0);
  EXPECT_EQ(int_of(reserved, "revision"), 1);
  EXPECT_TRUE(is_null(reserved, "sequence"));
  EXPECT_EQ(to_json(reserved["allocation"]),
            R"({"name":"invoices","start":1,"end":10,"count":10,"revision":1})");
  auto repeated = call("/v1/sequences/reserve",
                       R"({"name":"invoices","count":10,"idempotencyKey":"req-81c2","durability":1})");
  EXPECT_EQ(to_json(repeated["allocation"]), to_json(reserved["allocation"]));

  auto got = call("/v1/sequences/get", R"({"name":"invoices","durability":1})");
  EXPECT_EQ(int_of(got, "type"), 0);
  EXPECT_EQ(int_of(got, "revision"), 1);
  const auto& sequence = got["sequence"];
  ASSERT_TRUE(sequence.IsObject()) << to_json(got);
  expect_invoices_after_a_reservation(sequence);
  EXPECT_GE(int_of(sequence, "currentValue"), 10);
  EXPECT_EQ(int_of(sequence["createdAt"], "n"), 1);

  auto again =
      call("/v1/sequences/create", R"({"name":"invoices","initialValue":0,"increment":1,"durability":1})");
  EXPECT_EQ(int_of(again, "type"), 2);
  EXPECT_EQ(string_of(again, "typeName"), "alreadyExists");

  const HttpReply health = client->get("/v1/cluster/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"ready":true,"initialized":true,"localRole":"Voter","hostedPartitions":4})");
}

TEST_F(HttpServerTest, ClusterViewsAndMetricsComeFromTheRealKernel) {
  const HttpReply status_reply = client->get("/v1/cluster/status");
  ASSERT_EQ(status_reply.status, 200);
  const rapidjson::Document status = status_reply.json();
  EXPECT_EQ(int_of(status, "nodeId"), 1);
  EXPECT_EQ(int_of(status, "dataPartitions"), kPartitions);
  ASSERT_TRUE(status["nodes"].IsArray());
  ASSERT_EQ(status["nodes"].Size(), 1u);
  EXPECT_EQ(string_of(status["nodes"][0]["endpoints"], "http"), node);
  EXPECT_EQ(string_of(status["nodes"][0]["endpoints"], "binary"), cluster_->endpoint(1));
  EXPECT_TRUE(bool_of(status["nodes"][0], "connected"));
  ASSERT_TRUE(status["partitions"].IsArray());
  ASSERT_EQ(status["partitions"].Size(), kPartitions + 1);
  for (const auto& partition : status["partitions"].GetArray()) {
    EXPECT_EQ(int_of(partition, "leader"), 1);
    EXPECT_EQ(string_of(partition, "role"), "leader");
    EXPECT_GE(int_of(partition, "term"), 1);
    EXPECT_GE(int_of(partition, "commitIndex"), 1);
  }

  const HttpReply routing_reply = client->get("/v1/cluster/routing");
  const rapidjson::Document routing = routing_reply.json();
  EXPECT_EQ(string_of(routing, "hashAlgorithm"), std::string(kPlacementAlgorithm));
  EXPECT_EQ(int_of(routing, "hashPoolSize"), kPartitions);
  EXPECT_EQ(string_of(routing, "localEndpoint"), node);
  EXPECT_EQ(string_of(routing, "reservedKeyPrefix"), std::string(kReservedKeyPrefix));
  EXPECT_EQ(string_of(routing, "sequenceStorageKeyFormat"), std::string(kSequenceStorageKeyPrefix) + "{0}");

  const HttpReply membership = client->get("/v1/cluster/membership");
  EXPECT_EQ(string_of(membership.json()["members"][0], "endpoint"), node);

  EXPECT_EQ(client->get("/health").status, 200);
  const HttpReply metrics = client->get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-type").rfind("text/plain", 0), 0u);
  for (const char* series :
       {"kahuna_raft_term", "kahuna_http_requests_total{", "kahuna_http_connections_open"}) {
    EXPECT_NE(metrics.body.find(series), std::string::npos) << series << " missing from\n" << metrics.body;
  }
}

TEST_F(HttpServerTest, ConcurrentClientsAreServedInParallel) {
  // Replies come back from the kernel's threads to the plugin's; many
  // connections at once exercise every hop.
  constexpr int kClients = 8;
  constexpr int kRequests = 40;
  std::vector<std::thread> threads;
  std::vector<int> successes(kClients, 0);
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      auto own = connect_http(node);
      for (int i = 0; i < kRequests; ++i) {
        const std::string key = "par" + std::to_string(c) + "/" + std::to_string(i);
        const auto set = post_retrying(*own, "/v1/kv/try-set",
                                       R"({"key":")" + key + R"(","value":"YQ==","durability":1})");
        const auto got = post_retrying(*own, "/v1/kv/try-get", R"({"key":")" + key + R"(","durability":1})");
        if (int_of(set, "type") == 0 && int_of(got, "type") == 3) ++successes[c];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int c = 0; c < kClients; ++c) EXPECT_EQ(successes[c], kRequests) << "client " << c;
}

}  // namespace
}  // namespace kahuna::testing
