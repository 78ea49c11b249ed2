// Raft across real processes: thousands of writes replicate to every node
// on every partition; a killed leader loses no acknowledged write and
// catches up on return, by log and by snapshot after compaction.
#include <kahuna/placement.h>

#include "cluster_test_util.h"

namespace kahuna::testing {
namespace {

std::string key_of(int i) { return "bucket" + std::to_string(i % 40) + "/key" + std::to_string(i); }

// Every key in [from, to) reads back as written on node `id`'s own replica.
bool replica_has(ClusterClient& client, int id, int from, int to) {
  for (int i = from; i < to; ++i) {
    auto response = client.call(id, kv_get(key_of(i), ReadConsistency::kLocal));
    if (!response) return false;
    const auto& reply = as<Routed<KvReply>>(*response).reply;
    if (reply.code != KvCode::kGet || reply.value != "v" + std::to_string(i)) return false;
  }
  return true;
}

void write_keys(ClusterClient& client, LocalCluster& cluster, int from, int to) {
  for (int i = from; i < to; ++i) {
    int first = i % cluster.size() + 1;
    while (!cluster.running(first)) first = first % cluster.size() + 1;
    auto response = client.call_until_served(first, kv_set(key_of(i), "v" + std::to_string(i)));
    ASSERT_EQ(as<Routed<KvReply>>(response).reply.code, KvCode::kSet) << key_of(i);
  }
}

class Replication : public ::testing::TestWithParam<std::string> {};

TEST_P(Replication, ThousandsOfWritesReachEveryReplicaOfEveryPartition) {
  LocalCluster cluster(test_dir(), ClusterOptions{3, 4, GetParam()});
  cluster.start_all();
  ClusterClient client(cluster);
  client.wait_for_leaders();
  write_keys(client, cluster, 0, 1500);
  for (int id = 1; id <= 3; ++id) {
    EXPECT_TRUE(eventually([&] { return replica_has(client, id, 0, 1500); })) << "node " << id;
  }
  // Every data partition took part.
  const ClusterStatus status = client.status(1);
  ASSERT_EQ(status.partitions.size(), 5u);
  for (std::uint32_t p = 1; p <= 4; ++p) EXPECT_GT(status.partitions[p].commit_index, 100u) << p;
}

INSTANTIATE_TEST_SUITE_P(Engines, Replication, ::testing::Values("rocksdb", "lmdb"));

TEST(Failover, AKilledLeaderLosesNoAcknowledgedWriteAndCatchesUpByLog) {
  LocalCluster cluster(test_dir(), ClusterOptions{3, 4});
  cluster.start_all();
  ClusterClient client(cluster);
  client.wait_for_leaders();
  write_keys(client, cluster, 0, 300);

  const int leader = static_cast<int>(client.leader_of(partition_for_key(key_of(0), {4, 1}), 1));
  ASSERT_NE(leader, 0);
  cluster.kill(leader);
  write_keys(client, cluster, 300, 600);
  // A survivor serves every acknowledged write, linearizably.
  const int survivor = leader % 3 + 1;
  for (int i = 0; i < 600; ++i) {
    auto response = client.call_until_served(survivor, kv_get(key_of(i)));
    ASSERT_EQ(as<Routed<KvReply>>(response).reply.value, "v" + std::to_string(i)) << key_of(i);
  }
  cluster.start(leader);
  EXPECT_TRUE(eventually([&] { return replica_has(client, leader, 0, 600); }));
}

TEST(Failover, ANodeFarBehindCatchesUpBySnapshotAfterCompaction) {
  ClusterOptions options{3, 2};
  options.compact_after_entries = 50;
  LocalCluster cluster(test_dir(), options);
  cluster.start_all();
  ClusterClient client(cluster);
  client.wait_for_leaders();
  write_keys(client, cluster, 0, 50);
  cluster.kill(3);
  write_keys(client, cluster, 50, 600);
  // The others have compacted their logs past what node 3 holds.
  const ClusterStatus before = client.status(1);
  for (std::uint32_t p = 1; p <= 2; ++p) EXPECT_GT(before.partitions[p].first_index, 60u) << p;

  cluster.start(3);
  EXPECT_TRUE(eventually([&] { return replica_has(client, 3, 0, 600); }));
  // Node 3 keeps serving after its own restart from the snapshot it got.
  cluster.stop(3);
  cluster.start(3);
  EXPECT_TRUE(eventually([&] { return replica_has(client, 3, 0, 600); }));
}

}  // namespace
}  // namespace kahuna::testing
