// MemoryLogStorage and RaftLog: index arithmetic, truncation, compaction, the unstable
// tail, and the follower-side append rules.
#include <gtest/gtest.h>

#include "kahuna/raft/memory_log_storage.h"
#include "kahuna/raft/raft_log.h"
#include "raft_test_cluster.h"

namespace kahuna::raft {
namespace {

using testing::entries_with_terms;

TEST(MemoryLogStorage, StartsEmptyWithInitialMembership) {
  MemoryLogStorage s(ConfState{{1, 2, 3}, {}});
  EXPECT_EQ(s.first_index(), 1u);
  EXPECT_EQ(s.last_index(), 0u);
  EXPECT_EQ(s.term(0), 0u);
  EXPECT_FALSE(s.term(1).has_value());
  EXPECT_EQ(s.snapshot_metadata().conf_state.voters, (std::vector<NodeId>{1, 2, 3}));
}

TEST(MemoryLogStorage, AppendTruncatesConflictingSuffix) {
  MemoryLogStorage s;
  s.append(entries_with_terms(1, {1, 1, 2, 2}));
  s.append(entries_with_terms(3, {3}));
  EXPECT_EQ(s.last_index(), 3u);
  EXPECT_EQ(s.term(3), 3u);
  EXPECT_EQ(s.term(2), 1u);
}

TEST(MemoryLogStorage, EntriesRespectByteLimitButReturnAtLeastOne) {
  MemoryLogStorage s;
  s.append(entries_with_terms(1, {1, 1, 1, 1}));
  EXPECT_EQ(s.entries(1, 5, 0).size(), 1u);
  EXPECT_EQ(s.entries(1, 5, 2 * entry_size(s.entries(1, 2, 100)[0])).size(), 2u);
  EXPECT_EQ(s.entries(2, 5, SIZE_MAX).size(), 3u);
  EXPECT_TRUE(s.entries(3, 3, SIZE_MAX).empty());
}

TEST(MemoryLogStorage, CompactKeepsLaterEntriesAndSnapshotTerm) {
  MemoryLogStorage s;
  s.append(entries_with_terms(1, {1, 1, 2, 2, 3}));
  Snapshot snap;
  snap.metadata = SnapshotMetadata{3, 2, ConfState{{1}, {}}};
  snap.data = "img";
  s.compact(snap);
  EXPECT_EQ(s.first_index(), 4u);
  EXPECT_EQ(s.last_index(), 5u);
  EXPECT_EQ(s.term(3), 2u);
  EXPECT_FALSE(s.term(2).has_value());
  EXPECT_EQ(s.snapshot().data, "img");
  s.compact(snap);  // not newer: ignored
  EXPECT_EQ(s.first_index(), 4u);
}

TEST(RaftLog, MaybeAppendFollowsFigure2) {
  MemoryLogStorage s;
  s.append(entries_with_terms(1, {1, 1, 2}));
  RaftLog log(s);
  // Rule 2: no entry (3, 3) -> reject.
  EXPECT_FALSE(log.maybe_append(3, 3, 0, {}).has_value());
  // Rule 3+4: conflict at 3 deletes it and what follows, then appends.
  auto r = log.maybe_append(2, 1, 10, entries_with_terms(3, {3, 3}));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->last_new_index, 4u);
  EXPECT_EQ(r->first_written_index, 3u);
  EXPECT_EQ(log.term(3), 3u);
  // Rule 5: commit = min(leader commit, index of last new entry).
  EXPECT_EQ(log.committed(), 4u);
  EXPECT_EQ(log.unstable_entries().size(), 2u);
}

TEST(RaftLog, MaybeAppendDoesNotCommitUnverifiedTail) {
  MemoryLogStorage s;
  s.append(entries_with_terms(1, {1, 1, 1, 1, 1}));
  RaftLog log(s);
  // The leader only vouches for entries up to index 2 in this message.
  auto r = log.maybe_append(1, 1, 5, entries_with_terms(2, {1}));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->first_written_index, 0u);  // nothing new
  EXPECT_EQ(log.committed(), 2u);
  EXPECT_EQ(log.last_index(), 5u);  // matching tail kept
}

TEST(RaftLog, FindConflictByTermSkipsWholeTerms) {
  MemoryLogStorage s;
  s.append(entries_with_terms(1, {1, 1, 2, 2, 2, 4, 4}));
  RaftLog log(s);
  EXPECT_EQ(log.find_conflict_by_term(7, 3), (std::pair<Index, Term>{5, 2}));
  EXPECT_EQ(log.find_conflict_by_term(7, 4), (std::pair<Index, Term>{7, 4}));
  EXPECT_EQ(log.find_conflict_by_term(5, 1), (std::pair<Index, Term>{2, 1}));
  EXPECT_EQ(log.find_conflict_by_term(5, 0), (std::pair<Index, Term>{0, 0}));
}

TEST(RaftLog, StableToIgnoresReplacedEntries) {
  MemoryLogStorage s;
  RaftLog log(s);
  log.append(entries_with_terms(1, {1, 1}));
  // The tail is replaced before the application acknowledges the first version.
  ASSERT_TRUE(log.maybe_append(0, 0, 0, entries_with_terms(1, {2})).has_value());
  log.stable_to(2, 1);
  EXPECT_EQ(log.unstable_entries().size(), 1u);
  s.append(log.unstable_entries());
  log.stable_to(1, 2);
  EXPECT_TRUE(log.unstable_entries().empty());
  EXPECT_EQ(log.last_index(), 1u);
}

TEST(RaftLog, RestoreHidesOldStorage) {
  MemoryLogStorage s;
  s.append(entries_with_terms(1, {1, 1, 1}));
  RaftLog log(s);
  Snapshot snap;
  snap.metadata = SnapshotMetadata{10, 3, ConfState{{1}, {}}};
  log.restore(snap);
  EXPECT_EQ(log.first_index(), 11u);
  EXPECT_EQ(log.last_index(), 10u);
  EXPECT_EQ(log.committed(), 10u);
  EXPECT_EQ(log.term(10), 3u);
  EXPECT_FALSE(log.term(2).has_value());
  EXPECT_FALSE(log.entries(5, 11, SIZE_MAX).has_value());
  EXPECT_FALSE(log.has_next_committed_entries());
}

}  // namespace
}  // namespace kahuna::raft
