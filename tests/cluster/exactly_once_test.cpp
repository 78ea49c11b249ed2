// Exactly-once writes on real server processes: a write whose fate the
// server cannot know is answered "outcome unknown", never must-retry; a
// resend with the same request id applies at most once, whichever node gets
// it; a node that forwarded a write to a leader that froze resends it to the
// next leader itself.
#include <kahuna/placement.h>

#include <thread>

#include "started_cluster.h"

namespace kahuna::testing {
namespace {

using namespace std::chrono_literals;

wire::Request set_with_id(std::string key, std::string value, RequestId id,
                          std::chrono::milliseconds timeout) {
  wire::Request request = kv_set(std::move(key), std::move(value));
  request.settings.request_id = id;
  request.settings.timeout_ms = static_cast<std::uint32_t>(timeout.count());
  return request;
}

// Resends `request` (same id) to the nodes in turn until one answers with a
// definite outcome (neither must-retry nor outcome unknown).
KvReply resend_until_definite(ClusterClient& client, LocalCluster& cluster, const wire::Request& request) {
  KvReply last{KvCode::kErrored};
  for (int attempt = 0; attempt < 200; ++attempt) {
    const int id = attempt % cluster.size() + 1;
    if (auto response = client.call(id, request)) {
      last = as<Routed<KvReply>>(*response).reply;
      if (last.code != KvCode::kMustRetry && last.code != KvCode::kOutcomeUnknown) return last;
    }
    std::this_thread::sleep_for(100ms);
  }
  ADD_FAILURE() << "no definite answer; last code " << static_cast<int>(last.code);
  return last;
}

std::int64_t revision_of(ClusterClient& client, const std::string& key) {
  return as<Routed<KvReply>>(client.call_until_served(1, kv_get(key))).reply.revision;
}

// The leader of `key`'s partition once `key` holds its first revision; 0
// when that write did not make it.
int leader_after_first_write(ClusterClient& client, const std::string& key) {
  const KvReply first = as<Routed<KvReply>>(client.call_until_served(1, kv_set(key, "v0"))).reply;
  EXPECT_EQ(first.revision, 0) << "the first write of " << key;
  if (first.revision != 0) return 0;
  return static_cast<int>(client.leader_of(partition_for_key(key, {4, 1}), 1));
}

// The leader appends the write but cannot commit it (its followers are
// frozen): it cannot know whether the entry will survive, so it must not
// say must-retry. Once the followers are back, the resend applies it at
// most once, whether the first copy committed or was lost to a new leader.
TEST(ExactlyOnce, AnUncommittableWriteIsOutcomeUnknownAndItsResendAppliesOnce) {
  StartedCluster started;
  auto& [cluster, client] = started;
  const int leader = leader_after_first_write(client, "once/k");
  ASSERT_NE(leader, 0);
  for (int id = 1; id <= 3; ++id) {
    if (id != leader) cluster.pause(id);
  }
  const wire::Request write = set_with_id("once/k", "v1", RequestId{0xABCDEF, 1, 0}, 1500ms);
  auto answer = client.call(leader, write, 10s);
  ASSERT_TRUE(answer.has_value()) << "the leader did not answer within its own timeout";
  const auto& routed = as<Routed<KvReply>>(*answer);
  EXPECT_EQ(routed.reply.code, KvCode::kOutcomeUnknown)
      << "a write appended but not committed was answered as if its fate were known: revision "
      << routed.reply.revision << ", asked node " << leader << ", route leader " << routed.route.leader
      << ", provenance " << static_cast<int>(routed.route.provenance);

  for (int id = 1; id <= 3; ++id) {
    if (id != leader) cluster.resume(id);
  }
  const KvReply resent = resend_until_definite(client, cluster, write);
  EXPECT_EQ(resent.code, KvCode::kSet);
  EXPECT_EQ(resent.revision, 1);
  // A second resend still reports the first outcome.
  EXPECT_EQ(resend_until_definite(client, cluster, write), resent);
  EXPECT_EQ(revision_of(client, "once/k"), 1) << "the write was applied more than once";
}

// A follower forwards the write; the leader freezes before answering. The
// follower must not give up with must-retry (the leader may have run it)
// nor leave the caller guessing: it resends the same request to the leader
// the others elect, within the caller's timeout.
TEST(ExactlyOnce, AForwardToALeaderThatFreezesIsResentToTheNextLeader) {
  StartedCluster started;
  auto& [cluster, client] = started;
  const int leader = leader_after_first_write(client, "fwd/k");
  ASSERT_NE(leader, 0);
  const int follower = leader % 3 + 1;

  cluster.pause(leader);
  const wire::Request write = set_with_id("fwd/k", "v1", RequestId{0xABCDEF, 2, 0}, 8000ms);
  auto answer = client.call(follower, write, 15s);
  ASSERT_TRUE(answer.has_value());
  const KvReply& reply = as<Routed<KvReply>>(*answer).reply;
  EXPECT_EQ(reply.code, KvCode::kSet) << "code " << static_cast<int>(reply.code);
  EXPECT_EQ(reply.revision, 1);

  cluster.resume(leader);
  client.wait_for_leaders();
  EXPECT_EQ(resend_until_definite(client, cluster, write).revision, 1);
  EXPECT_EQ(revision_of(client, "fwd/k"), 1) << "the write was applied more than once";
}

}  // namespace
}  // namespace kahuna::testing
