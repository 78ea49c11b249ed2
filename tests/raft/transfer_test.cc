// Leadership transfer.
#include <gtest/gtest.h>

#include "raft_test_support.h"

namespace kahuna::raft {
namespace {

using namespace testing;

TEST(Transfer, CaughtUpTargetIsToldToCampaignAndWins) {
  TestCluster c({1, 2, 3}, pre_vote_and_check_quorum);
  c.elect(1);
  c.core(1).propose("x");
  c.stabilize();
  ASSERT_TRUE(c.core(1).transfer_leader(3).ok());
  std::vector<Message> out = c.take_messages();
  ASSERT_EQ(filter(out, MessageType::kTimeoutNow).size(), 1u);
  for (const Message& m : out) c.deliver(m);
  c.stabilize();
  EXPECT_TRUE(in_role_at(c.core(3), Role::kLeader, 2));
  EXPECT_TRUE(follows(c.core(1), 3));
}

TEST(Transfer, LaggingTargetCatchesUpFirst) {
  TestCluster c({1, 2, 3}, pre_vote_and_check_quorum);
  c.elect(1);
  c.stop(3);
  for (int i = 0; i < 4; ++i) c.core(1).propose("x");
  c.stabilize();
  c.resume(3);
  ASSERT_TRUE(c.core(1).transfer_leader(3).ok());
  std::vector<Message> first = c.take_messages();
  EXPECT_TRUE(filter(first, MessageType::kTimeoutNow).empty());
  for (const Message& m : first) c.deliver(m);
  c.stabilize();
  EXPECT_EQ(c.core(3).role(), Role::kLeader);
  EXPECT_EQ(c.core(3).last_index(), c.core(1).last_index());
}

TEST(Transfer, ProposalsAreRefusedWhileTransferring) {
  TestCluster c({1, 2, 3}, pre_vote_and_check_quorum);
  c.elect(1);
  c.stop(2);
  ASSERT_TRUE(c.core(1).transfer_leader(2).ok());
  ProposeResult r = c.core(1).propose("blocked");
  EXPECT_EQ(r.status.code, StatusCode::kTransferInProgress);
  EXPECT_EQ(c.core(1).transfer_target(), 2u);
}

TEST(Transfer, AbortedAfterAnElectionTimeout) {
  TestCluster c({1, 2, 3}, pre_vote_and_check_quorum);
  c.elect(1);
  c.stop(2);
  ASSERT_TRUE(c.core(1).transfer_leader(2).ok());
  c.tick(1, 9);
  EXPECT_EQ(c.core(1).transfer_target(), 2u);
  c.tick(1, 1);
  EXPECT_EQ(c.core(1).transfer_target(), kNoNode);
  EXPECT_TRUE(c.core(1).propose("after").status.ok());
  EXPECT_EQ(c.core(1).role(), Role::kLeader);
}

TEST(Transfer, RejectsNonVotersAndSelfAndFollowers) {
  TestCluster c({1, 2, 3}, pre_vote_and_check_quorum, {4});
  c.elect(1);
  EXPECT_EQ(c.core(1).transfer_leader(4).code, StatusCode::kInvalidArgument);
  EXPECT_EQ(c.core(1).transfer_leader(1).code, StatusCode::kInvalidArgument);
  EXPECT_EQ(c.core(1).transfer_leader(9).code, StatusCode::kInvalidArgument);
  Status s = c.core(2).transfer_leader(3);
  EXPECT_EQ(s.code, StatusCode::kNotLeader);
  EXPECT_EQ(s.leader_hint, 1u);
}

TEST(Transfer, LearnerIgnoresTimeoutNow) {
  TestNode n = make_node(4, {1, 2, 3});
  n.core->step(make_message(MessageType::kTimeoutNow, 1, 4, 0));
  EXPECT_EQ(n.core->role(), Role::kFollower);
}

}  // namespace
}  // namespace kahuna::raft
