// What leader changes must not break: fencing tokens only go up, and no
// sequence value is handed out twice.
#include <kahuna/placement.h>

#include <set>

#include "started_cluster.h"

namespace kahuna::testing {
namespace {

// The leader of a sequence created as `name`; 0 when it could not be made.
int leader_of_new_sequence(ClusterClient& client, const std::string& name) {
  const auto code = as<Routed<SequenceReply>>(client.call_until_served(1, sequence_create(name))).reply.code;
  EXPECT_EQ(code, SequenceCode::kSuccess) << "creating " << name;
  if (code != SequenceCode::kSuccess) return 0;
  return static_cast<int>(client.leader_of(partition_for_sequence(name, {4, 1}), 1));
}

TEST(Failover, FencingTokensKeepIncreasingAfterTheLeaderIsKilled) {
  StartedCluster started;
  auto& [cluster, client] = started;
  auto first = client.call_until_served(1, try_lock("jobs/1", "alice", 1000));
  const auto& alice = as<Routed<LockReply>>(first).reply;
  ASSERT_EQ(alice.code, LockCode::kLocked);

  const int leader = static_cast<int>(client.leader_of(partition_for_key("jobs/1", {4, 1}), 1));
  cluster.kill(leader);
  const int survivor = leader % 3 + 1;
  // Alice's lease runs out; bob's grant comes from the new leader.
  std::int64_t bob_token = 0;
  ASSERT_TRUE(eventually([&] {
    auto response = client.call_until_served(survivor, try_lock("jobs/1", "bob", 60000));
    const auto& reply = as<Routed<LockReply>>(response).reply;
    bob_token = reply.fencing_token;
    return reply.code == LockCode::kLocked;
  }));
  EXPECT_GT(bob_token, alice.fencing_token);

  cluster.start(leader);
  client.wait_for_leaders();
  ASSERT_EQ(as<Routed<LockReply>>(client.call_until_served(leader, unlock("jobs/1", "bob"))).reply.code,
            LockCode::kUnlocked);
  auto carol = client.call_until_served(leader, try_lock("jobs/1", "carol", 60000));
  EXPECT_GT(as<Routed<LockReply>>(carol).reply.fencing_token, bob_token);
}

TEST(Failover, SequenceValuesStayUniqueAndAscendingAcrossALeaderKill) {
  StartedCluster started;
  auto& [cluster, client] = started;
  const int leader = leader_of_new_sequence(client, "ids");
  ASSERT_NE(leader, 0);
  std::vector<std::int64_t> values;
  for (int i = 0; i < 400; ++i) {
    if (i == 200) cluster.kill(leader);
    int first = i % 3 + 1;
    if (!cluster.running(first)) first = first % 3 + 1;
    auto response = client.call_until_served(first, sequence_next("ids"));
    const auto& reply = as<Routed<SequenceReply>>(response).reply;
    ASSERT_EQ(reply.code, SequenceCode::kSuccess) << i;
    values.push_back(reply.allocation.start);
  }
  for (std::size_t i = 1; i < values.size(); ++i) {
    ASSERT_GT(values[i], values[i - 1]) << "value " << i << " after a leader kill";
  }
  EXPECT_EQ(std::set<std::int64_t>(values.begin(), values.end()).size(), values.size());
}

TEST(Failover, ARequestForADeadLeaderWaitsForTheNewOneInsteadOfFailing) {
  StartedCluster started;
  auto& [cluster, client] = started;
  const int leader = leader_of_new_sequence(client, "orders");
  ASSERT_NE(leader, 0);
  cluster.kill(leader);
  // One request, no client retry: sequence clients do not retry must-retry
  // (HTTP-API.md §3), so the node asked must wait for the election.
  const int survivor = leader % 3 + 1;
  const auto sent = std::chrono::steady_clock::now();
  auto response = client.call(survivor, sequence_next("orders"));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(as<Routed<SequenceReply>>(*response).reply.code, SequenceCode::kSuccess);
  EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(4));
}

}  // namespace
}  // namespace kahuna::testing
