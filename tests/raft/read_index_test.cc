// Linearizable reads: ReadIndex with a heartbeat round, and the optional leader lease.
#include <gtest/gtest.h>

#include "raft_test_support.h"

namespace kahuna::raft {
namespace {

using namespace testing;

// Node 1 leads, its lease confirmed by a heartbeat round. The nodes refuse
// votes for an election timeout after they boot, so that passes first.
void elect_1_with_a_confirmed_lease(TestCluster& c) {
  c.tick_all(10);
  c.elect(1);
  c.tick_all(1);
}

TEST(ReadIndex, LeaderAnswersAfterQuorumConfirmsLeadership) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.core(1).propose("x");
  c.stabilize();
  const Index commit = c.core(1).commit_index();
  ASSERT_TRUE(c.core(1).read_index("r1").ok());
  std::vector<Message> out = c.take_messages();
  std::vector<Message> beats = filter(out, MessageType::kHeartbeat);
  ASSERT_EQ(beats.size(), 2u);
  EXPECT_TRUE(c.node(1).read_states.empty());
  // One follower's answer plus the leader itself make a quorum.
  c.deliver(beats[0]);
  std::vector<Message> answers = filter(c.take_messages(), MessageType::kHeartbeatResponse);
  ASSERT_EQ(answers.size(), 1u);
  c.deliver(answers[0]);
  ASSERT_EQ(c.node(1).read_states.size(), 1u);
  EXPECT_EQ(c.node(1).read_states[0], (ReadState{"r1", commit}));
}

TEST(ReadIndex, StaleHeartbeatAnswersDoNotConfirm) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.core(1).tick();  // periodic heartbeat, round 1
  std::vector<Message> old_beats = filter(c.take_messages(), MessageType::kHeartbeat);
  ASSERT_TRUE(c.core(1).read_index("r").ok());  // round 2
  c.take_messages();
  for (const Message& b : old_beats) c.deliver(b);
  for (const Message& r : filter(c.take_messages(), MessageType::kHeartbeatResponse)) c.deliver(r);
  EXPECT_TRUE(c.node(1).read_states.empty());
}

TEST(ReadIndex, NewLeaderWaitsForAnEntryOfItsTerm) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.stabilize();
  // Node 2 becomes leader but its empty entry is not replicated yet.
  c.core(2).campaign();
  std::vector<Message> votes = c.take_messages();
  for (const Message& m : votes) c.deliver(m);
  for (const Message& m : filter(c.take_messages(), MessageType::kVoteResponse)) c.deliver(m);
  ASSERT_EQ(c.core(2).role(), Role::kLeader);
  ASSERT_LT(c.core(2).commit_index(), c.core(2).last_index());
  c.take_messages();
  ASSERT_TRUE(c.core(2).read_index("early").ok());
  EXPECT_TRUE(c.take_messages().empty());  // parked, no heartbeat round yet
  c.core(2).tick();
  c.stabilize();
  c.tick_all(1);
  ASSERT_EQ(c.node(2).read_states.size(), 1u);
  EXPECT_EQ(c.node(2).read_states[0].index, c.core(2).last_index());
}

TEST(ReadIndex, FollowerForwardsToLeader) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.core(1).propose("x");
  c.stabilize();
  ASSERT_TRUE(c.core(3).read_index("f").ok());
  c.stabilize();
  ASSERT_EQ(c.node(3).read_states.size(), 1u);
  EXPECT_EQ(c.node(3).read_states[0], (ReadState{"f", c.core(1).commit_index()}));
}

TEST(ReadIndex, FollowerWithoutLeaderRefuses) {
  TestCluster c({1, 2, 3});
  Status s = c.core(2).read_index("x");
  EXPECT_EQ(s.code, StatusCode::kNotLeader);
}

TEST(ReadIndex, SingleVoterAnswersAtOnce) {
  TestCluster c({1});
  c.elect(1);
  ASSERT_TRUE(c.core(1).read_index("solo").ok());
  c.collect();
  ASSERT_EQ(c.node(1).read_states.size(), 1u);
}

TEST(ReadIndex, PendingReadsAreDroppedWhenLeadershipIsLost) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.isolate(1);
  ASSERT_TRUE(c.core(1).read_index("lost").ok());
  c.stabilize();
  c.heal();
  c.elect(2);
  c.tick_all(2);
  EXPECT_EQ(c.core(1).role(), Role::kFollower);
  EXPECT_TRUE(c.node(1).read_states.empty());
}

TEST(LeaseRead, ServedWithoutRoundTripWhileLeaseHolds) {
  TestCluster c({1, 2, 3}, lease_on);
  c.tick_all(10);  // boot: nodes refuse votes for one election timeout
  c.elect(1);
  ASSERT_EQ(c.core(1).role(), Role::kLeader);
  c.tick_all(1);  // a heartbeat round confirms the lease
  ASSERT_TRUE(c.core(1).lease_valid());
  ASSERT_TRUE(c.core(1).read_index("fast").ok());
  EXPECT_TRUE(filter(c.take_messages(), MessageType::kHeartbeat).empty());
  ASSERT_EQ(c.node(1).read_states.size(), 1u);
}

TEST(LeaseRead, LeaseExpiresWithoutAcknowledgements) {
  TestCluster c({1, 2, 3}, lease_on);
  elect_1_with_a_confirmed_lease(c);
  ASSERT_TRUE(c.core(1).lease_valid());
  c.isolate(1);
  // Last confirmed round was sent one tick ago; the lease lasts election_ticks - drift.
  c.tick(1, 6);
  EXPECT_TRUE(c.core(1).lease_valid());
  c.tick(1, 2);
  EXPECT_FALSE(c.core(1).lease_valid());
  ASSERT_TRUE(c.core(1).read_index("slow").ok());
  c.stabilize();
  EXPECT_TRUE(c.node(1).read_states.empty());  // must wait for a quorum now
}

TEST(LeaseRead, NoOtherLeaderCanBeElectedWhileLeaseHolds) {
  TestCluster c({1, 2, 3}, lease_on);
  elect_1_with_a_confirmed_lease(c);
  c.isolate(1);
  bool elected = false;
  for (int i = 0; i < 30 && !elected; ++i) {
    c.tick(1);
    c.tick(2);
    c.tick(3);
    c.core(2).campaign();  // as eager as possible
    c.stabilize();
    elected = c.core(2).role() == Role::kLeader;
    if (elected) {
      EXPECT_FALSE(c.core(1).lease_valid()) << "new leader while the old lease holds, tick " << i;
    }
  }
  EXPECT_TRUE(elected);
}

TEST(LeaseRead, TransferEndsTheLease) {
  TestCluster c({1, 2, 3}, lease_on);
  elect_1_with_a_confirmed_lease(c);
  ASSERT_TRUE(c.core(1).lease_valid());
  c.set_drop([](const Message& m) { return m.type == MessageType::kTimeoutNow; });
  ASSERT_TRUE(c.core(1).transfer_leader(2).ok());
  c.stabilize();
  EXPECT_FALSE(c.core(1).lease_valid());
}

TEST(LeaseRead, RestartedNodeRefusesVotesForAnElectionTimeout) {
  TestNode n = make_node(2, {1, 2, 3}, {}, HardState{1, kNoNode, 0}, lease_on);
  n.core->step(vote_request(3, 2, 2, 0, 0));
  EXPECT_TRUE(n.drain().empty());
  for (int i = 0; i < 10; ++i) n.core->tick();
  expect_vote_granted(n, vote_request(3, 2, 2, 0, 0));
}

}  // namespace
}  // namespace kahuna::raft
