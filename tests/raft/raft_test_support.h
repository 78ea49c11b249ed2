// What the Raft unit tests share: the usual feature set, checks of a node's
// role, and granting a vote.
#pragma once

#include <gtest/gtest.h>

#include "raft_test_node.h"

namespace kahuna::raft::testing {

// Pre-vote and check-quorum, as production groups run.
inline void pre_vote_and_check_quorum(Config& c) {
  c.pre_vote = true;
  c.check_quorum = true;
}

// Leader leases on top, with a drift margin of two ticks.
inline void lease_on(Config& c) {
  pre_vote_and_check_quorum(c);
  c.lease_reads = true;
  c.max_clock_drift_ticks = 2;
}

// `core` holds `role` at `term`; checked together so that a failure shows
// both.
inline ::testing::AssertionResult in_role_at(const Core& core, Role role, Term term) {
  if (core.role() == role && core.term() == term) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "role " << static_cast<int>(core.role()) << " at term " << core.term();
}

// `core` follows `leader`.
inline ::testing::AssertionResult follows(const Core& core, NodeId leader) {
  if (core.role() == Role::kFollower && core.leader() == leader) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "role " << static_cast<int>(core.role()) << ", leader " << core.leader();
}

// `vote` reaches `n` after it has forgotten what it sent so far; it must
// answer with exactly one vote, granted.
inline void expect_vote_granted(TestNode& n, const Message& vote) {
  n.drain();
  n.core->step(vote);
  std::vector<Message> out = filter(n.drain(), MessageType::kVoteResponse);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].reject);
}

}  // namespace kahuna::raft::testing
