// The services across a cluster: forwarding from followers, scans that span
// partitions led by different nodes, leaders spread over the nodes, and TTL
// expiry seen by every replica.
#include <kahuna/placement.h>

#include <map>

#include "started_cluster.h"

namespace kahuna::testing {
namespace {

TEST(Cluster, AFollowerForwardsToTheLeaderAndSaysSo) {
  StartedCluster started;
  auto& [cluster, client] = started;
  const std::uint32_t partition = partition_for_key("orders/7", {4, 1});
  const int leader = static_cast<int>(client.leader_of(partition, 1));
  const int follower = leader % 3 + 1;
  auto set = client.call_until_served(follower, kv_set("orders/7", "paid"));
  const auto& routed = as<Routed<KvReply>>(set);
  EXPECT_EQ(routed.reply.code, KvCode::kSet);
  EXPECT_EQ(routed.route.partition, partition);
  EXPECT_EQ(routed.route.leader, static_cast<std::uint64_t>(leader));
  EXPECT_EQ(routed.route.provenance, RouteProvenance::kForwarded);
  auto get = client.call_until_served(leader, kv_get("orders/7"));
  EXPECT_EQ(as<Routed<KvReply>>(get).route.provenance, RouteProvenance::kLocal);
  EXPECT_EQ(as<Routed<KvReply>>(get).reply.value, "paid");
}

TEST(Cluster, APrefixScanGathersEveryPartitionWhoeverLeadsIt) {
  StartedCluster started(ClusterOptions{3, 6});
  auto& [cluster, client] = started;
  for (int i = 0; i < 60; ++i) {
    const std::string key = "scan" + std::to_string(i) + "/k";
    ASSERT_EQ(as<Routed<KvReply>>(client.call_until_served(1, kv_set(key, "v"))).reply.code, KvCode::kSet);
  }
  for (int id = 1; id <= 3; ++id) {
    wire::Request scan{wire::KvScanPrefix{KvPrefixRequest{"scan", {}, Durability::kPersistent}}, {}};
    auto response = client.call_until_served(id, scan);
    const auto& reply = as<KvScanReply>(response);
    EXPECT_EQ(reply.code, KvCode::kGet);
    EXPECT_EQ(reply.items.size(), 60u) << "asked node " << id;
  }
}

TEST(Cluster, LeadersSpreadEvenlyOverTheNodesAndComeBackToAReturningNode) {
  LocalCluster cluster(test_dir(), ClusterOptions{3, 5});  // 6 groups with the metadata one
  cluster.start_all();
  ClusterClient client(cluster);
  std::map<std::uint64_t, int> led;
  auto count_leaders = [&](int asked) {
    led.clear();
    for (const auto& partition : client.status(asked).partitions) ++led[partition.leader];
  };
  auto spread_evenly = [&] {
    count_leaders(1);
    return led[1] == 2 && led[2] == 2 && led[3] == 2;
  };
  EXPECT_TRUE(eventually(spread_evenly, std::chrono::seconds(30)))
      << "leaders per node: 1->" << led[1] << " 2->" << led[2] << " 3->" << led[3];

  cluster.kill(3);
  EXPECT_TRUE(eventually(
      [&] {
        count_leaders(1);
        return led[1] + led[2] == 6;
      },
      std::chrono::seconds(30)))
      << "the survivors must take over node 3's partitions";
  cluster.start(3);
  EXPECT_TRUE(eventually(spread_evenly, std::chrono::seconds(30)))
      << "after node 3 returns: 1->" << led[1] << " 2->" << led[2] << " 3->" << led[3];
}

TEST(Cluster, AnExpiredKeyIsGoneOnEveryReplica) {
  StartedCluster started;
  auto& [cluster, client] = started;
  wire::Request set = kv_set("ttl/key", "short-lived");
  std::get<wire::KvSet>(set.body).request.expires_ms = 300;
  ASSERT_EQ(as<Routed<KvReply>>(client.call_until_served(1, set)).reply.code, KvCode::kSet);
  ASSERT_EQ(as<Routed<KvReply>>(client.call_until_served(1, kv_set("ttl/other", "stays"))).reply.code,
            KvCode::kSet);
  for (int id = 1; id <= 3; ++id) {
    EXPECT_TRUE(eventually([&] {
      auto response = client.call(id, kv_get("ttl/key", ReadConsistency::kLocal));
      return response && as<Routed<KvReply>>(*response).reply.code == KvCode::kDoesNotExist;
    })) << "node "
        << id;
    EXPECT_TRUE(eventually([&] {
      auto response = client.call(id, kv_get("ttl/other", ReadConsistency::kLocal));
      return response && as<Routed<KvReply>>(*response).reply.value == "stays";
    })) << "node "
        << id;
  }
}

}  // namespace
}  // namespace kahuna::testing
