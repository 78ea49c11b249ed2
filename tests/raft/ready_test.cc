// The Ready cycle: what a Ready carries, inputs between ready() and advance(), and what
// a restart hands out again.
#include <gtest/gtest.h>

#include "raft_test_node.h"

namespace kahuna::raft {
namespace {

using namespace testing;

TEST(Ready, EverythingIsHandedOutOnce) {
  TestNode n = make_node(2, {1, 2, 3});
  n.core->step(append_request(1, 2, 1, 0, 0, entries_with_terms(1, {1, 1}), 2));
  ASSERT_TRUE(n.core->has_ready());
  Ready rd = n.core->ready();
  EXPECT_TRUE(rd.soft_state.has_value());
  EXPECT_EQ(rd.entries.size(), 2u);
  EXPECT_EQ(rd.committed_entries.size(), 2u);  // applied only after persisting (ready.h)
  n.storage->append(rd.entries);
  n.storage->set_hard_state(*rd.hard_state);
  n.core->advance(rd);
  EXPECT_FALSE(n.core->has_ready());
  EXPECT_EQ(n.core->applied_index(), 2u);
}

TEST(Ready, InputsBetweenReadyAndAdvanceShowUpInTheNextReady) {
  TestNode n = make_node(2, {1, 2, 3});
  n.core->step(append_request(1, 2, 1, 0, 0, entries_with_terms(1, {1, 1, 1}), 0));
  Ready first = n.core->ready();
  ASSERT_EQ(first.entries.size(), 3u);
  // Before the first Ready is persisted, a new leader overwrites entries 2 and 3.
  n.core->step(append_request(3, 2, 2, 1, 1, entries_with_terms(2, {2}), 0));
  n.storage->append(first.entries);
  n.storage->set_hard_state(*first.hard_state);
  n.core->advance(first);
  Ready second = n.core->ready();
  // The new tail; entry 1 may come again (an idempotent rewrite) because the tail it was
  // handed out with was replaced before it was acknowledged.
  ASSERT_FALSE(second.entries.empty());
  EXPECT_LE(second.entries.front().index, 2u);
  EXPECT_EQ(second.entries.back().index, 2u);
  EXPECT_EQ(second.entries.back().term, 2u);
  ASSERT_TRUE(second.hard_state.has_value());
  EXPECT_EQ(second.hard_state->term, 2u);
  n.storage->append(second.entries);
  n.core->advance(second);
  EXPECT_EQ(n.storage->last_index(), 2u);
  EXPECT_EQ(n.storage->term(2), 2u);
  EXPECT_EQ(n.core->last_index(), 2u);
}

TEST(Ready, ReadyBeforeAdvanceIsAProgrammingError) {
  TestNode n = make_node(1, {1, 2, 3});
  n.core->campaign();
  Ready rd = n.core->ready();
  EXPECT_DEATH(n.core->ready(), "advance");
  n.core->advance(rd);
}

TEST(Ready, RestartHandsOutUnappliedCommittedEntriesAgain) {
  TestNode n = make_node(2, {1, 2, 3});
  n.core->step(append_request(1, 2, 1, 0, 0, entries_with_terms(1, {1, 1, 1}), 3));
  n.drain();
  ASSERT_EQ(n.applied.size(), 3u);
  n.restart();  // a volatile state machine starts over from the snapshot (index 0)
  n.drain();
  EXPECT_EQ(n.applied.size(), 3u);
  // A durable state machine says how far it got.
  n.config.applied = 2;
  n.restart();
  n.drain();
  ASSERT_EQ(n.applied.size(), 1u);
  EXPECT_EQ(n.applied[0].index, 3u);
}

TEST(Ready, ReadsArrivingTogetherShareOneHeartbeatRound) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.core(1).read_index("a");
  c.core(1).read_index("b");
  c.core(1).read_index("c");
  std::vector<Message> beats = filter(c.take_messages(), MessageType::kHeartbeat);
  EXPECT_EQ(beats.size(), 2u);  // one round, one heartbeat per follower
  for (const Message& m : beats) c.deliver(m);
  c.stabilize();
  EXPECT_EQ(c.node(1).read_states.size(), 3u);
}

}  // namespace
}  // namespace kahuna::raft
