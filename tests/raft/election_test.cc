// Pre-vote and check-quorum.
#include <gtest/gtest.h>

#include "raft_test_support.h"

namespace kahuna::raft {
namespace {

using namespace testing;

void pre_vote_on(Config& c) { c.pre_vote = true; }

TEST(PreVote, PreCandidateKeepsTermAndVote) {
  TestNode n = make_node(1, {1, 2, 3}, {}, HardState{4, 3, 0}, pre_vote_on);
  n.core->campaign();
  EXPECT_EQ(n.core->role(), Role::kPreCandidate);
  EXPECT_EQ(n.core->term(), 4u);
  EXPECT_EQ(n.core->vote(), 3u);
  Ready rd = n.core->ready();
  EXPECT_FALSE(rd.hard_state.has_value());  // nothing durable changed
  std::vector<Message> pre = filter(rd.messages, MessageType::kPreVote);
  ASSERT_EQ(pre.size(), 2u);
  EXPECT_EQ(pre[0].term, 5u);  // the term it would campaign at
  n.core->advance(rd);
}

TEST(PreVote, GrantingAPreVoteChangesNothing) {
  TestNode n = make_node(2, {1, 2, 3}, {}, HardState{4, kNoNode, 0}, pre_vote_on);
  n.core->step(vote_request(1, 2, 5, 0, 0, MessageType::kPreVote));
  Ready rd = n.core->ready();
  EXPECT_FALSE(rd.hard_state.has_value());
  ASSERT_EQ(rd.messages.size(), 1u);
  EXPECT_EQ(rd.messages[0].type, MessageType::kPreVoteResponse);
  EXPECT_FALSE(rd.messages[0].reject);
  EXPECT_EQ(rd.messages[0].term, 5u);
  n.core->advance(rd);
  EXPECT_EQ(n.core->term(), 4u);
  EXPECT_EQ(n.core->vote(), kNoNode);
}

TEST(PreVote, WinningPreVoteStartsRealElection) {
  TestCluster c({1, 2, 3}, pre_vote_on);
  c.elect(1);
  EXPECT_TRUE(in_role_at(c.core(1), Role::kLeader, 1));
}

TEST(PreVote, PartitionedNodeDoesNotRaiseTermsOrDisruptOnReturn) {
  TestCluster c({1, 2, 3}, pre_vote_on);
  c.elect(1);
  c.isolate(3);
  c.tick(3, 100);  // many election timeouts without a reply
  EXPECT_EQ(c.core(3).term(), 1u);
  EXPECT_EQ(c.core(3).role(), Role::kPreCandidate);
  c.heal();
  c.tick_all(1);
  EXPECT_TRUE(in_role_at(c.core(1), Role::kLeader, 1));
  EXPECT_TRUE(follows(c.core(3), 1));
}

TEST(PreVote, WithoutPreVoteAReturningNodeDisrupts) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.isolate(3);
  c.tick(3, 25);
  EXPECT_GT(c.core(3).term(), 1u);
  c.heal();
  c.tick_all(1);
  EXPECT_GT(c.core(1).term(), 1u);  // the old leader saw the higher term
}

TEST(PreVote, RejectedByMajorityWithNewerLog) {
  TestCluster c({1, 2, 3}, pre_vote_on);
  c.elect(1);
  c.isolate(3);
  c.core(1).propose("x");
  c.stabilize();
  c.heal();
  c.core(3).campaign();
  c.stabilize();
  EXPECT_NE(c.core(3).role(), Role::kLeader);
  EXPECT_EQ(c.core(3).term(), 1u);
}

TEST(CheckQuorum, LeaderStepsDownWithoutQuorum) {
  TestCluster c({1, 2, 3}, pre_vote_and_check_quorum);
  c.elect(1);
  c.isolate(1);
  c.tick(1, 9);
  EXPECT_EQ(c.core(1).role(), Role::kLeader);
  c.tick(1, 11);  // at most two check-quorum rounds
  EXPECT_TRUE(in_role_at(c.core(1), Role::kFollower, 1));
}

TEST(CheckQuorum, LeaderWithActiveQuorumStays) {
  TestCluster c({1, 2, 3}, pre_vote_and_check_quorum);
  c.elect(1);
  c.cut(1, 3);
  c.tick_all(50);
  EXPECT_TRUE(in_role_at(c.core(1), Role::kLeader, 1));
}

TEST(CheckQuorum, FollowerIgnoresVotesWhileItHearsFromLeader) {
  TestNode n = make_node(2, {1, 2, 3}, {}, {}, pre_vote_and_check_quorum);
  n.core->step(make_message(MessageType::kHeartbeat, 1, 2, 1));
  n.drain();
  n.core->tick();
  n.core->step(vote_request(3, 2, 2, 5, 1));
  n.core->step(vote_request(3, 2, 2, 5, 1, MessageType::kPreVote));
  EXPECT_TRUE(n.drain().empty());
  EXPECT_EQ(n.core->term(), 1u);
  // After a full election timeout without the leader, votes are considered again.
  n.core->tick();
  for (int i = 0; i < 9; ++i) n.core->tick();
  expect_vote_granted(n, vote_request(3, 2, 5, 5, 1));
}

TEST(CheckQuorum, TransferVoteBypassesLease) {
  TestNode n = make_node(2, {1, 2, 3}, {}, {}, pre_vote_and_check_quorum);
  n.core->step(make_message(MessageType::kHeartbeat, 1, 2, 1));
  Message vote = vote_request(3, 2, 2, 0, 0);
  vote.context = kTransferContext;
  expect_vote_granted(n, vote);
}

TEST(CheckQuorum, StaleLeaderLearnsHigherTermFromAppendResponse) {
  TestNode n = make_node(2, {1, 2, 3}, {}, HardState{5, kNoNode, 0}, pre_vote_and_check_quorum);
  n.core->step(make_message(MessageType::kHeartbeat, 1, 2, 3));
  std::vector<Message> out = n.drain();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, MessageType::kAppendResponse);
  EXPECT_EQ(out[0].term, 5u);
}

TEST(Election, LearnersNeverCampaign) {
  TestCluster c({1, 2}, {}, {3});
  c.tick(3, 100);
  EXPECT_TRUE(in_role_at(c.core(3), Role::kFollower, 0));
}

}  // namespace
}  // namespace kahuna::raft
