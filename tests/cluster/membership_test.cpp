// The cluster changing shape while it serves, with real processes: a node
// joins and takes its share of replicas, a dead member is removed and its
// replicas are re-created on the others, a member leaves on its own, and a
// smaller replication factor trims every group — no acknowledged write lost.
#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "membership_view.h"
#include "started_cluster.h"

namespace kahuna::testing {
namespace {

std::string key_of(int i) { return "members" + std::to_string(i % 10) + "/key" + std::to_string(i); }

void write_keys(ClusterClient& client, int via, int from, int to) {
  for (int i = from; i < to; ++i) {
    auto response = client.call_until_served(via, kv_set(key_of(i), "v" + std::to_string(i)));
    ASSERT_EQ(as<Routed<KvReply>>(response).reply.code, KvCode::kSet) << key_of(i);
  }
}

// Every key in [from, to) reads back as written, through node `via`.
void expect_keys(ClusterClient& client, int via, int from, int to) {
  for (int i = from; i < to; ++i) {
    auto response = client.call_until_served(via, kv_get(key_of(i)));
    const KvReply& reply = as<Routed<KvReply>>(response).reply;
    EXPECT_EQ(reply.code, KvCode::kGet) << key_of(i);
    EXPECT_EQ(reply.value, "v" + std::to_string(i)) << key_of(i);
  }
}

wire::Request admin(wire::RequestBody body) {
  wire::Request request;
  request.body = std::move(body);
  request.settings.timeout_ms = 10000;
  return request;
}

ClusterChangeReply change(ClusterClient& client, int via, wire::RequestBody body) {
  return as<ClusterChangeReply>(client.call_until_served(via, admin(std::move(body))));
}

// Node `asked` sees `members` as the cluster's voters and every group
// holding exactly the replicas its placement wants, each with a leader.
bool settled(ClusterClient& client, int asked, const std::set<std::uint64_t>& members) {
  std::set<std::uint64_t> voters;
  ClusterStatus status;
  return members_settled(client, asked, voters, status) && voters == members;
}

// How many data partitions place a replica on `node`, as node `asked` sees it.
std::size_t replicas_on(ClusterClient& client, int asked, std::uint64_t node) {
  std::size_t count = 0;
  for (const PartitionInfo& partition : client.status(asked).partitions) {
    if (partition.id != 0 && as_set(partition.voters).contains(node)) ++count;
  }
  return count;
}

TEST(Membership, ANodeJoinsTakesItsShareOfReplicasAndCanStandInForAFailedOne) {
  ClusterOptions options{4, 4};
  options.first_members = 3;
  StartedCluster started(options);
  auto& [cluster, client] = started;
  write_keys(client, 1, 0, 100);

  cluster.start(4);
  ASSERT_TRUE(eventually(
      [&] {
        return settled(client, 1, {1, 2, 3, 4});
      },
      std::chrono::seconds(60)))
      << seen_by(client, 1);
  // 4 partitions x 3 replicas over 4 nodes: 3 each, as the placement spreads them.
  for (std::uint64_t node = 1; node <= 4; ++node) EXPECT_EQ(replicas_on(client, 1, node), 3u) << node;
  EXPECT_TRUE(eventually([&] { return settled(client, 4, {1, 2, 3, 4}); }));
  expect_keys(client, 4, 0, 100);
  const ClusterStatus status = client.status(4);
  EXPECT_GT(status.metadata_version, 1u);

  // With node 1 gone every partition still has a majority of its replicas.
  cluster.kill(1);
  write_keys(client, 4, 100, 150);
  expect_keys(client, 2, 0, 150);
  for (int id = 2; id <= 4; ++id) EXPECT_FALSE(cluster.crashed(id)) << cluster.output(id);
}

TEST(Membership, ADeadMemberIsRemovedAndItsReplicasAreRecreatedFromTheSurvivors) {
  ClusterOptions options{4, 4};
  options.replication_factor = 3;
  StartedCluster started(options);
  auto& [cluster, client] = started;
  // Four first members, three replicas a partition: the groups shrink to the placement.
  ASSERT_TRUE(eventually(
      [&] {
        return settled(client, 1, {1, 2, 3, 4});
      },
      std::chrono::seconds(60)))
      << seen_by(client, 1);
  write_keys(client, 1, 0, 100);

  cluster.kill(2);
  const ClusterChangeReply removed = change(client, 3, wire::ClusterRemove{ClusterMemberRequest{2}});
  EXPECT_EQ(removed.code, ClusterCode::kApplied) << removed.message;
  ASSERT_TRUE(eventually(
      [&] {
        return settled(client, 1, {1, 3, 4});
      },
      std::chrono::seconds(60)))
      << seen_by(client, 1);
  for (std::uint64_t node : {1, 3, 4}) EXPECT_EQ(replicas_on(client, 1, node), 4u) << node;
  expect_keys(client, 3, 0, 100);
  // Asked again, nobody is there to remove.
  EXPECT_EQ(change(client, 1, wire::ClusterRemove{ClusterMemberRequest{2}}).code, ClusterCode::kNotFound);
}

TEST(Membership, AMemberLeavesOnItsOwnAndTheOthersServeItsData) {
  ClusterOptions options{4, 4};
  StartedCluster started(options);
  auto& [cluster, client] = started;
  write_keys(client, 1, 0, 100);

  // Asked of node 4 alone: sent to another node, leave would drain that one.
  ClusterChangeReply left;
  ASSERT_TRUE(eventually([&] {
    const std::optional<wire::Response> response =
        client.call(4, admin(wire::ClusterLeave{ClusterMemberRequest{}}));
    if (!response || must_retry(*response)) return false;
    left = as<ClusterChangeReply>(*response);
    return true;
  }));
  EXPECT_EQ(left.code, ClusterCode::kApplied) << left.message;
  ASSERT_TRUE(eventually(
      [&] {
        return settled(client, 1, {1, 2, 3});
      },
      std::chrono::seconds(60)))
      << seen_by(client, 1);
  EXPECT_EQ(replicas_on(client, 1, 4), 0u);
  cluster.stop(4);
  write_keys(client, 2, 100, 120);
  expect_keys(client, 3, 0, 120);
}

TEST(Membership, TheReplicationFactorChangesWhileTheClusterServes) {
  StartedCluster started(ClusterOptions{3, 4});
  auto& [cluster, client] = started;
  ASSERT_TRUE(eventually(
      [&] {
        return settled(client, 1, {1, 2, 3});
      },
      std::chrono::seconds(60)))
      << seen_by(client, 1);
  write_keys(client, 1, 0, 50);

  ClusterChangeReply reply = change(client, 2, wire::SetReplicationFactor{ReplicationFactorRequest{1, 0}});
  EXPECT_EQ(reply.code, ClusterCode::kApplied) << reply.message;
  ASSERT_TRUE(eventually(
      [&] {
        if (!settled(client, 1, {1, 2, 3})) return false;
        for (const PartitionInfo& partition : client.status(1).partitions) {
          if (partition.id != 0 && partition.voters.size() != 1) return false;
        }
        return true;
      },
      std::chrono::seconds(60)));
  // One partition keeps three replicas of its own.
  reply = change(client, 3, wire::SetReplicationFactor{ReplicationFactorRequest{3, 2}});
  EXPECT_EQ(reply.code, ClusterCode::kApplied) << reply.message;
  ASSERT_TRUE(eventually(
      [&] {
        return settled(client, 1, {1, 2, 3}) && client.status(1).partitions[2].voters.size() == 3;
      },
      std::chrono::seconds(60)));
  write_keys(client, 3, 50, 80);
  expect_keys(client, 1, 0, 80);
}

// Writes go on, from a client of their own, while a node joins and a first
// member leaves: every write the cluster acknowledged is there afterwards
// with its value, and every answer told the truth (a must-retry write is
// absent, unless a later write of the same key set it — none does here).
TEST(Membership, NoAcknowledgedWriteIsLostWhileReplicasMove) {
  ClusterOptions options{4, 4};
  options.first_members = 3;
  StartedCluster started(options);
  auto& [cluster, client] = started;

  std::atomic<bool> stop{false};
  std::map<int, KvCode> outcomes;  // by key index; the writer's own
  std::thread writer([&] {
    ClusterClient own(cluster);
    for (int i = 0; !stop; ++i) {
      const int via = 2 + i % 2;  // nodes 2 and 3 stay throughout
      const std::optional<wire::Response> response =
          own.call(via, kv_set(key_of(i), "v" + std::to_string(i)), std::chrono::seconds(10));
      outcomes[i] = response ? as<Routed<KvReply>>(*response).reply.code : KvCode::kOutcomeUnknown;
    }
  });
  cluster.start(4);
  const bool joined = eventually([&] { return settled(client, 2, {1, 2, 3, 4}); }, std::chrono::seconds(60));
  std::optional<wire::Response> left;
  if (joined) {
    eventually([&] {
      left = client.call(1, admin(wire::ClusterLeave{ClusterMemberRequest{}}));
      return left && !must_retry(*left);
    });
  }
  const bool drained = joined && eventually(
                                     [&] {
                                       return settled(client, 2, {2, 3, 4});
                                     },
                                     std::chrono::seconds(60));
  stop = true;
  writer.join();
  ASSERT_TRUE(joined) << seen_by(client, 2);
  ASSERT_TRUE(drained) << seen_by(client, 2);
  cluster.stop(1);

  std::size_t acknowledged = 0;
  for (const auto& [i, code] : outcomes) {
    auto response = client.call_until_served(3, kv_get(key_of(i)));
    const KvReply& reply = as<Routed<KvReply>>(response).reply;
    if (code == KvCode::kSet) {
      ++acknowledged;
      EXPECT_EQ(reply.code, KvCode::kGet) << key_of(i);
      EXPECT_EQ(reply.value, "v" + std::to_string(i)) << key_of(i);
    } else if (code == KvCode::kMustRetry) {
      EXPECT_EQ(reply.code, KvCode::kDoesNotExist) << key_of(i) << " was answered must-retry but applied";
    }
  }
  EXPECT_GT(acknowledged, 20u);
  for (int id = 2; id <= 4; ++id) EXPECT_FALSE(cluster.crashed(id)) << cluster.output(id);
}

TEST(Membership, BadChangesAreRefusedWithAReason) {
  StartedCluster started(ClusterOptions{3, 2});
  auto& [cluster, client] = started;
  EXPECT_EQ(change(client, 1, wire::ClusterRemove{ClusterMemberRequest{9}}).code, ClusterCode::kNotFound);
  EXPECT_EQ(change(client, 1, wire::ClusterRemove{ClusterMemberRequest{0}}).code, ClusterCode::kInvalidInput);
  EXPECT_EQ(change(client, 1, wire::ClusterLeave{ClusterMemberRequest{2}}).code, ClusterCode::kInvalidInput);
  EXPECT_EQ(change(client, 1, wire::SetReplicationFactor{ReplicationFactorRequest{6, 0}}).code,
            ClusterCode::kInvalidInput);
  EXPECT_EQ(change(client, 1, wire::SetReplicationFactor{ReplicationFactorRequest{0, 0}}).code,
            ClusterCode::kInvalidInput);
  EXPECT_EQ(change(client, 1, wire::SetReplicationFactor{ReplicationFactorRequest{2, 3}}).code,
            ClusterCode::kInvalidInput);
  const ClusterChangeReply join = change(client, 1, wire::ClusterJoin{ClusterJoinRequest{{"127.0.0.1:1"}}});
  EXPECT_EQ(join.code, ClusterCode::kRefused);
  EXPECT_NE(join.message.find("cluster.join"), std::string::npos) << join.message;
  for (int id = 1; id <= 3; ++id) EXPECT_FALSE(cluster.crashed(id)) << cluster.output(id);
}

}  // namespace
}  // namespace kahuna::testing
