// The Ready cycle with asynchronous storage writes (ready.h, "Pipelining"): Readies
// handed out while earlier ones are still being written, persisted() and applied().
#include <gtest/gtest.h>

#include "raft_test_node.h"

namespace kahuna::raft {
namespace {

using namespace testing;

void async_writes(Config& c) { c.async_storage_writes = true; }

void persist(TestNode& n, const Ready& rd) {
  if (rd.snapshot) n.storage->apply_snapshot(*rd.snapshot);
  n.storage->append(rd.entries);
  if (rd.hard_state) n.storage->set_hard_state(*rd.hard_state);
  n.core->persisted(rd);
}

// A single-voter leader: the simplest group whose commit waits for its own disk.
TestNode single_leader() {
  TestNode n = make_node(1, {1}, {}, {}, async_writes);
  n.core->campaign();
  Ready rd = n.core->ready();
  persist(n, rd);
  while (n.core->has_ready()) {
    Ready more = n.core->ready();
    persist(n, more);
    if (!more.committed_entries.empty()) n.core->applied(more.committed_entries.back().index);
  }
  return n;
}

TEST(ReadyAsync, EntriesAreHandedOutOnceWhileEarlierOnesAreInFlight) {
  TestNode n = make_node(2, {1, 2, 3}, {}, {}, async_writes);
  n.core->step(append_request(1, 2, 1, 0, 0, entries_with_terms(1, {1, 1}), 0));
  Ready first = n.core->ready();
  ASSERT_EQ(first.entries.size(), 2u);
  // More entries arrive before the first write is done: the next Ready carries only them.
  n.core->step(append_request(1, 2, 1, 2, 1, entries_with_terms(3, {1}), 0));
  Ready second = n.core->ready();
  ASSERT_EQ(second.entries.size(), 1u);
  EXPECT_EQ(second.entries[0].index, 3u);
  // The acknowledgement of entry 3 is in the second Ready; it must not go out before
  // the first Ready is durable (ready.h), which is the application's side of the contract.
  bool acks_three = false;
  for (const Message& m : second.messages)
    if (m.type == MessageType::kAppendResponse && m.index == 3) acks_three = true;
  EXPECT_TRUE(acks_three);
  persist(n, first);
  persist(n, second);
  EXPECT_FALSE(n.core->has_ready());
}

TEST(ReadyAsync, HardStateIsHandedOutOnce) {
  TestNode n = make_node(2, {1, 2, 3}, {}, {}, async_writes);
  n.core->step(append_request(1, 2, 1, 0, 0, entries_with_terms(1, {1}), 0));
  Ready first = n.core->ready();
  ASSERT_TRUE(first.hard_state.has_value());
  EXPECT_EQ(first.hard_state->term, 1u);
  n.core->step(append_request(1, 2, 1, 1, 1, {}, 0));  // nothing new
  if (n.core->has_ready()) {
    Ready second = n.core->ready();
    EXPECT_FALSE(second.hard_state.has_value());
  }
}

TEST(ReadyAsync, CommittedEntriesWaitForTheirOwnPersist) {
  TestNode n = make_node(2, {1, 2, 3}, {}, {}, async_writes);
  // The leader says entries 1 and 2 are committed; this node has not written them yet.
  n.core->step(append_request(1, 2, 1, 0, 0, entries_with_terms(1, {1, 1}), 2));
  Ready first = n.core->ready();
  EXPECT_EQ(first.entries.size(), 2u);
  EXPECT_TRUE(first.committed_entries.empty());
  EXPECT_FALSE(n.core->has_ready());
  persist(n, first);
  ASSERT_TRUE(n.core->has_ready());
  Ready second = n.core->ready();
  ASSERT_EQ(second.committed_entries.size(), 2u);
  EXPECT_EQ(second.committed_entries.back().index, 2u);
  // Handed out once, even before they are reported applied.
  EXPECT_FALSE(n.core->has_ready());
  n.core->applied(2);
  EXPECT_EQ(n.core->applied_index(), 2u);
}

TEST(ReadyAsync, LeaderCommitsItsOwnEntryOnlyAfterPersisting) {
  TestNode n = single_leader();
  const Index before = n.core->commit_index();
  ASSERT_TRUE(n.core->propose("x").status.ok());
  Ready rd = n.core->ready();
  ASSERT_EQ(rd.entries.size(), 1u);
  EXPECT_EQ(n.core->commit_index(), before);  // the only voter has not written it yet
  // A second proposal while the first write is in flight is handed out on its own.
  ASSERT_TRUE(n.core->propose("y").status.ok());
  Ready next = n.core->ready();
  ASSERT_EQ(next.entries.size(), 1u);
  EXPECT_EQ(next.entries[0].index, rd.entries[0].index + 1);
  persist(n, rd);
  EXPECT_EQ(n.core->commit_index(), rd.entries[0].index);
  persist(n, next);
  EXPECT_EQ(n.core->commit_index(), next.entries[0].index);
  Ready apply = n.core->ready();
  ASSERT_EQ(apply.committed_entries.size(), 2u);
  EXPECT_EQ(apply.committed_entries[0].data, "x");
  EXPECT_EQ(apply.committed_entries[1].data, "y");
}

TEST(ReadyAsync, AStalePersistOfReplacedEntriesDoesNotMarkTheNewOnesDurable) {
  TestNode n = make_node(2, {1, 2, 3}, {}, {}, async_writes);
  n.core->step(append_request(1, 2, 1, 0, 0, entries_with_terms(1, {1, 1, 1}), 0));
  Ready first = n.core->ready();
  ASSERT_EQ(first.entries.size(), 3u);
  // A new leader replaces entries 2 and 3 while the first write is in flight.
  n.core->step(append_request(3, 2, 2, 1, 1, entries_with_terms(2, {2, 2}), 3));
  Ready second = n.core->ready();
  ASSERT_FALSE(second.entries.empty());
  EXPECT_LE(second.entries.front().index, 2u);
  EXPECT_EQ(second.entries.back().term, 2u);
  // The old write finishing says nothing about entries 2 and 3 of term 2.
  persist(n, first);
  EXPECT_TRUE(n.core->ready().committed_entries.size() <= 1u);
  persist(n, second);
  Ready third = n.core->ready();
  ASSERT_FALSE(third.committed_entries.empty());
  EXPECT_EQ(third.committed_entries.back().index, 3u);
  EXPECT_EQ(third.committed_entries.back().term, 2u);
  EXPECT_EQ(n.storage->term(3), 2u);
}

}  // namespace
}  // namespace kahuna::raft
