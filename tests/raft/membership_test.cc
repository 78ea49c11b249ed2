// Membership changes with learners, one node at a time.
#include <gtest/gtest.h>

#include "raft_test_support.h"

namespace kahuna::raft {
namespace {

using namespace testing;

ProposeResult change(Core& core, ConfChangeType type, NodeId node) {
  return core.propose_conf_change(ConfChange{type, node});
}

// Node 1 leads a group whose other voters are gone: nothing it appends can
// commit.
void elect_1_alone(TestCluster& c) {
  c.elect(1);
  for (NodeId follower : {NodeId{2}, NodeId{3}}) c.stop(follower);
}

TEST(Membership, AddedLearnerReplicatesButDoesNotCount) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  ASSERT_TRUE(change(c.core(1), ConfChangeType::kAddLearner, 4).status.ok());
  c.add_node(4, ConfState{});  // joins with an empty log and no membership
  c.stabilize();
  c.tick_all(2);
  EXPECT_EQ(c.core(4).conf_state().learners, (std::vector<NodeId>{4}));
  EXPECT_EQ(c.core(4).last_index(), c.core(1).last_index());
  // With both other voters gone, the learner's acknowledgement does not commit anything.
  c.stop(2);
  c.stop(3);
  const Index commit = c.core(1).commit_index();
  c.core(1).propose("no quorum");
  c.stabilize();
  EXPECT_EQ(c.core(4).last_index(), c.core(1).last_index());
  EXPECT_EQ(c.core(1).commit_index(), commit);
}

TEST(Membership, ConfigurationTakesEffectWhenAppended) {
  TestCluster c({1, 2, 3});
  elect_1_alone(c);
  ASSERT_TRUE(change(c.core(1), ConfChangeType::kAddLearner, 4).status.ok());
  // Not committed, but already in force on the leader.
  EXPECT_EQ(c.core(1).conf_state().learners, (std::vector<NodeId>{4}));
  EXPECT_TRUE(c.core(1).progress(4).has_value());
}

TEST(Membership, PromotedLearnerVotesAndCounts) {
  TestCluster c({1, 2}, {}, {3});
  c.elect(1);
  c.tick_all(2);
  ASSERT_TRUE(change(c.core(1), ConfChangeType::kPromoteLearner, 3).status.ok());
  c.stabilize();
  c.tick_all(1);
  EXPECT_EQ(c.core(3).conf_state().voters, (std::vector<NodeId>{1, 2, 3}));
  // 1 and 3 now form a majority without 2.
  c.stop(2);
  c.core(1).propose("with 3");
  c.stabilize();
  c.tick_all(1);
  EXPECT_EQ(c.node(3).applied_data().back(), "with 3");
  // And 3 can be elected.
  c.stop(1);
  c.resume(2);
  c.elect(3);
  EXPECT_EQ(c.core(3).role(), Role::kLeader);
}

TEST(Membership, OneChangeAtATime) {
  TestCluster c({1, 2, 3});
  elect_1_alone(c);
  ASSERT_TRUE(change(c.core(1), ConfChangeType::kAddLearner, 4).status.ok());
  EXPECT_EQ(change(c.core(1), ConfChangeType::kAddLearner, 5).status.code, StatusCode::kBusy);
  c.resume(2);
  c.tick_all(2);
  EXPECT_TRUE(change(c.core(1), ConfChangeType::kAddLearner, 5).status.ok());
}

TEST(Membership, LeaderMustCommitInItsTermBeforeChanging) {
  TestCluster c({1, 2, 3});
  elect_1_alone(c);
  c.core(1).step(make_message(MessageType::kHeartbeat, 2, 1, 2));  // deposed
  c.collect();
  c.resume(2);
  c.resume(3);
  // Node 1 campaigns again and wins, but its empty entry is not committed yet.
  c.core(1).campaign();
  for (const Message& m : c.take_messages()) c.deliver(m);
  for (const Message& m : filter(c.take_messages(), MessageType::kVoteResponse)) c.deliver(m);
  ASSERT_EQ(c.core(1).role(), Role::kLeader);
  c.take_messages();
  EXPECT_EQ(change(c.core(1), ConfChangeType::kAddLearner, 4).status.code, StatusCode::kBusy);
}

TEST(Membership, InvalidChangesAreRejected) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  EXPECT_EQ(change(c.core(1), ConfChangeType::kAddLearner, 2).status.code, StatusCode::kInvalidArgument);
  EXPECT_EQ(change(c.core(1), ConfChangeType::kPromoteLearner, 9).status.code, StatusCode::kInvalidArgument);
  EXPECT_EQ(change(c.core(2), ConfChangeType::kAddLearner, 9).status.code, StatusCode::kNotLeader);
}

TEST(Membership, RemovedFollowerStopsReceivingAndQuorumShrinks) {
  TestCluster c({1, 2, 3, 4});
  c.elect(1);
  ASSERT_TRUE(change(c.core(1), ConfChangeType::kRemoveNode, 4).status.ok());
  c.stabilize();
  c.tick_all(1);
  EXPECT_EQ(c.core(1).conf_state().voters, (std::vector<NodeId>{1, 2, 3}));
  EXPECT_FALSE(c.core(1).progress(4).has_value());
  // {1, 2} is now a majority of three.
  c.stop(3);
  c.stop(4);
  c.core(1).propose("two of three");
  c.stabilize();
  EXPECT_EQ(c.node(1).applied_data().back(), "two of three");
}

TEST(Membership, RemovedLeaderHandsOverAndStepsDown) {
  TestCluster c({1, 2, 3}, [](Config& cfg) {
    cfg.pre_vote = true;
    cfg.check_quorum = true;
  });
  c.elect(1);
  c.core(1).propose("x");
  c.stabilize();
  c.tick_all(1);
  ASSERT_TRUE(change(c.core(1), ConfChangeType::kRemoveNode, 1).status.ok());
  // Until the change commits it still leads, without counting itself.
  EXPECT_EQ(c.core(1).role(), Role::kLeader);
  c.stabilize();
  EXPECT_NE(c.core(1).role(), Role::kLeader);
  c.tick_all(3);
  NodeId new_leader = c.core(2).leader();
  EXPECT_TRUE(new_leader == 2 || new_leader == 3);
  EXPECT_EQ(c.core(new_leader).conf_state().voters, (std::vector<NodeId>{2, 3}));
  // The removed node never campaigns.
  c.tick(1, 100);
  EXPECT_EQ(c.core(1).role(), Role::kFollower);
}

TEST(Membership, FollowerFallsBackWhenUncommittedChangeIsOverwritten) {
  TestNode n = make_node(2, {1, 2, 3});
  Entry add;
  add.term = 1;
  add.index = 1;
  add.type = EntryType::kConfChange;
  add.data =
      encode_conf_change_entry({ConfChange{ConfChangeType::kAddLearner, 4}, ConfState{{1, 2, 3}, {4}}});
  n.core->step(append_request(1, 2, 1, 0, 0, {add}, 0));
  n.drain();
  EXPECT_EQ(n.core->conf_state().learners, (std::vector<NodeId>{4}));
  // A leader of term 2 overwrites index 1 with an ordinary entry.
  n.core->step(append_request(3, 2, 2, 0, 0, entries_with_terms(1, {2}), 0));
  n.drain();
  EXPECT_TRUE(n.core->conf_state().learners.empty());
  // A restart finds the same membership in the log.
  n.restart();
  EXPECT_TRUE(n.core->conf_state().learners.empty());
}

TEST(Membership, RestartRebuildsMembershipFromLog) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  ASSERT_TRUE(change(c.core(1), ConfChangeType::kAddLearner, 4).status.ok());
  c.stabilize();
  c.node(2).restart();
  EXPECT_EQ(c.core(2).conf_state().learners, (std::vector<NodeId>{4}));
}

// A replica removed without learning it (the change never reached it) is told so by
// the application: it stops campaigning until a leader that counts it writes to it.
TEST(Membership, RetiredReplicaNeitherCampaignsNorTicksUntilALeaderContactsIt) {
  TestCluster c({1, 2, 3}, pre_vote_and_check_quorum);
  c.elect(1);
  c.isolate(3);
  c.core(3).retire();
  EXPECT_TRUE(c.core(3).retired());
  EXPECT_FALSE(c.core(3).wants_ticks());
  const Term term = c.core(3).term();
  for (int i = 0; i < 50; ++i) c.core(3).tick();
  EXPECT_TRUE(filter(c.take_messages(), MessageType::kPreVote).empty());
  EXPECT_EQ(c.core(3).term(), term);
  c.heal();
  c.tick_all(3);  // the leader's heartbeats reach it
  EXPECT_FALSE(c.core(3).retired());
  EXPECT_TRUE(c.core(3).wants_ticks());
}

}  // namespace
}  // namespace kahuna::raft
