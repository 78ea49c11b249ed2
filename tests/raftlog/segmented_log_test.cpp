// SegmentedLog: what is written is read back, after a reopen too; segments
// roll, idle groups are rewritten and old segments go.
#include "raftlog/segmented_log.h"

#include <gtest/gtest.h>
#include <asio/use_future.hpp>

#include "fault_injection_file_system.h"

namespace kahuna::raftlog {
namespace {

const raft::ConfState kVoters{{1, 2, 3}, {}};

std::vector<raft::Entry> entries(raft::Index first, raft::Index last, raft::Term term,
                                 std::size_t size = 10) {
  std::vector<raft::Entry> out;
  for (raft::Index index = first; index <= last; ++index) {
    out.push_back(raft::Entry{term, index, raft::EntryType::kNormal,
                              std::string(size, static_cast<char>('a' + index % 26))});
  }
  return out;
}

class SegmentedLogTest : public testing::Test {
 protected:
  void open(std::size_t segment_bytes = 1 << 20, std::size_t cache_bytes = 1 << 20) {
    log_.reset();
    SegmentedLog::Options options;
    options.directory = "/log";
    options.segment_bytes = segment_bytes;
    options.cache_bytes_per_group = cache_bytes;
    options.rewrite_after_segments = 3;
    const Status opened = SegmentedLog::open(fs_, options, 3, kVoters, log_);
    ASSERT_TRUE(opened) << opened.to_string();
  }

  Status write(std::uint32_t group, SnapshotKind kind, raft::SnapshotMetadata snapshot,
               std::optional<raft::HardState> hard_state, const std::vector<raft::Entry>& list) {
    std::string payload = encode_group_record(group, kind, snapshot, hard_state, list);
    return log_->async_write(group, std::move(payload), nullptr, asio::use_future).get();
  }
  Status compact(std::uint32_t group, raft::SnapshotMetadata snapshot) {
    return log_->async_compact(group, snapshot, nullptr, asio::use_future).get();
  }
  Status append(std::uint32_t group, const std::vector<raft::Entry>& list) {
    return write(group, SnapshotKind::kNone, {}, std::nullopt, list);
  }

  FaultInjectionFileSystem fs_;
  std::unique_ptr<SegmentedLog> log_;
};

TEST_F(SegmentedLogTest, ANewLogIsEmptyWithTheInitialMembership) {
  open();
  const GroupLog& group = log_->group(1);
  EXPECT_EQ(group.first_index(), 1u);
  EXPECT_EQ(group.last_index(), 0u);
  EXPECT_EQ(group.snapshot_metadata().conf_state, kVoters);
  EXPECT_EQ(group.hard_state(), raft::HardState{});
}

TEST_F(SegmentedLogTest, WritesShowAtOnceAndSurviveAReopen) {
  open();
  ASSERT_TRUE(write(1, SnapshotKind::kNone, {}, raft::HardState{2, 1, 3}, entries(1, 5, 2)));
  ASSERT_TRUE(append(2, entries(1, 2, 1)));
  for (int round = 0; round < 2; ++round) {
    const GroupLog& one = log_->group(1);
    EXPECT_EQ(one.last_index(), 5u);
    EXPECT_EQ(one.hard_state(), (raft::HardState{2, 1, 3}));
    EXPECT_EQ(one.entries(1, 6, 1 << 20), entries(1, 5, 2));
    EXPECT_EQ(one.term(4), 2u);
    EXPECT_EQ(log_->group(2).entries(1, 3, 1 << 20), entries(1, 2, 1));
    EXPECT_EQ(log_->group(0).last_index(), 0u);
    open();
  }
}

TEST_F(SegmentedLogTest, NewEntriesReplaceAConflictingTail) {
  open();
  ASSERT_TRUE(append(1, entries(1, 5, 1)));
  ASSERT_TRUE(append(1, entries(3, 4, 2)));
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(log_->group(1).last_index(), 4u);
    EXPECT_EQ(log_->group(1).term(2), 1u);
    EXPECT_EQ(log_->group(1).term(3), 2u);
    open();
  }
}

TEST_F(SegmentedLogTest, ACompactionDropsTheEntriesItCoversAndAReplacingSnapshotDropsAll) {
  open();
  ASSERT_TRUE(append(1, entries(1, 10, 1)));
  ASSERT_TRUE(compact(1, {6, 1, kVoters}));
  ASSERT_TRUE(compact(1, {3, 1, kVoters}));  // not past the current one: nothing
  ASSERT_TRUE(append(2, entries(1, 10, 1)));
  ASSERT_TRUE(write(2, SnapshotKind::kReplace, {20, 3, kVoters}, std::nullopt, {}));
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(log_->group(1).first_index(), 7u);
    EXPECT_EQ(log_->group(1).last_index(), 10u);
    EXPECT_EQ(log_->group(1).term(6), 1u);
    EXPECT_EQ(log_->group(1).entries(7, 11, 1 << 20), entries(7, 10, 1));
    EXPECT_EQ(log_->group(2).first_index(), 21u);
    EXPECT_EQ(log_->group(2).last_index(), 20u);
    EXPECT_EQ(log_->group(2).term(20), 3u);
    open();
  }
}

TEST_F(SegmentedLogTest, EntriesBeyondTheCacheAreReadFromTheirSegment) {
  open(1 << 20, /*cache_bytes=*/300);
  ASSERT_TRUE(append(1, entries(1, 50, 1, 100)));
  EXPECT_EQ(log_->group(1).entries(1, 51, 1 << 20), entries(1, 50, 1, 100));
  // max_bytes stops early but always returns one.
  EXPECT_EQ(log_->group(1).entries(1, 51, 1).size(), 1u);
}

TEST_F(SegmentedLogTest, OldSegmentsGoAndIdleGroupsAreRewrittenIntoNewOnes) {
  open(/*segment_bytes=*/8192);
  ASSERT_TRUE(write(2, SnapshotKind::kNone, {}, raft::HardState{5, 2, 1}, entries(1, 1, 5)));  // then idle
  raft::Index last = 0;
  for (int round = 0; round < 60; ++round) {
    ASSERT_TRUE(append(1, entries(last + 1, last + 10, 1, 100)));
    last += 10;
    ASSERT_TRUE(compact(1, {last - 5, 1, kVoters}));
  }
  EXPECT_LE(log_->segments().size(), 4u);
  EXPECT_GT(log_->stats().segments_removed.load(), 5u);
  EXPECT_GT(log_->stats().rewritten_groups.load(), 0u);
  open(8192);
  EXPECT_EQ(log_->group(2).hard_state(), (raft::HardState{5, 2, 1}));
  EXPECT_EQ(log_->group(2).entries(1, 2, 1 << 20), entries(1, 1, 5));
  EXPECT_EQ(log_->group(1).first_index(), last - 4);
  EXPECT_EQ(log_->group(1).entries(last - 4, last + 1, 1 << 20), entries(last - 4, last, 1, 100));
}

TEST_F(SegmentedLogTest, AWriteLargerThanASegmentGetsASegmentOfItsOwn) {
  open(/*segment_bytes=*/4096);
  ASSERT_TRUE(append(1, entries(1, 3, 1, 10000)));
  open(4096);
  EXPECT_EQ(log_->group(1).entries(1, 4, 1 << 20), entries(1, 3, 1, 10000));
}

TEST_F(SegmentedLogTest, EveryCommitIsSyncedBeforeItIsAcknowledged) {
  open();
  const std::uint64_t before = fs_.syncs();
  ASSERT_TRUE(append(1, entries(1, 1, 1)));
  EXPECT_GT(fs_.syncs(), before);
  std::mt19937_64 random(1);
  fs_.power_cut(random, false);
  open();
  EXPECT_EQ(log_->group(1).last_index(), 1u);
}

}  // namespace
}  // namespace kahuna::raftlog
