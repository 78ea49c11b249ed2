// Reading segments back: a torn last write is cut, damage elsewhere refuses.
#include "raftlog/segment_scan.h"

#include <gtest/gtest.h>

#include "raftlog/log_record.h"

namespace kahuna::raftlog {
namespace {

std::string payload(std::uint32_t group, std::uint64_t sequence, std::size_t size = 100) {
  std::string bytes =
      encode_group_record(group, SnapshotKind::kNone, {}, std::nullopt,
                          {raft::Entry{1, 1, raft::EntryType::kNormal, std::string(size, 'v')}});
  stamp_write_sequence(bytes, sequence);
  return bytes;
}

// A segment with one frame per sequence, zero-filled to 8 KiB; `offsets`
// receives each frame's offset.
std::string segment(const std::vector<std::uint64_t>& sequences,
                    std::vector<std::size_t>* offsets = nullptr) {
  std::string bytes = segment_header(1);
  std::uint32_t group = 0;
  for (std::uint64_t sequence : sequences) {
    if (offsets) offsets->push_back(bytes.size());
    append_frame(bytes, payload(group++, sequence));
  }
  bytes.resize(8192, '\0');
  return bytes;
}

TEST(SegmentScan, ACompleteSegmentReadsWhole) {
  SegmentScan scan;
  const std::string bytes = segment({1, 2, 3});
  ASSERT_TRUE(scan_segment(bytes, 1, false, 0, "s", scan));
  EXPECT_EQ(scan.frames.size(), 3u);
  EXPECT_FALSE(scan.torn);
  EXPECT_EQ(scan.last_sequence, 3u);
}

TEST(SegmentScan, ATornLastWriteIsCut) {
  std::vector<std::size_t> offsets;
  std::string bytes = segment({1, 2, 3}, &offsets);
  bytes[offsets[2] + 20] ^= 0x5a;  // the last write reached the disk in part
  SegmentScan scan;
  ASSERT_TRUE(scan_segment(bytes, 1, true, 0, "s", scan));
  EXPECT_EQ(scan.frames.size(), 2u);
  EXPECT_TRUE(scan.torn);
  EXPECT_EQ(scan.end, offsets[2]);
}

TEST(SegmentScan, AHoleFollowedByTheSameWriteIsATornWrite) {
  // One write of three frames; its middle sector never reached the disk.
  std::vector<std::size_t> offsets;
  std::string bytes = segment({1, 2, 2, 2}, &offsets);
  std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(offsets[2]),
            bytes.begin() + static_cast<std::ptrdiff_t>(offsets[3]), '\0');
  SegmentScan scan;
  ASSERT_TRUE(scan_segment(bytes, 1, true, 0, "s", scan));
  EXPECT_EQ(scan.frames.size(), 2u);
  EXPECT_TRUE(scan.torn);
}

TEST(SegmentScan, DamageBeforeALaterWriteRefusesToStart) {
  std::vector<std::size_t> offsets;
  std::string bytes = segment({1, 2, 3, 4}, &offsets);
  bytes[offsets[1] + 30] ^= 0x01;  // a bit flipped in a synced record
  SegmentScan scan;
  const Status status = scan_segment(bytes, 1, true, 0, "seg-1", scan);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("seg-1"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find(std::to_string(offsets[1])), std::string::npos) << status.message();
}

TEST(SegmentScan, DamageInAnOlderSegmentRefusesToStart) {
  std::vector<std::size_t> offsets;
  std::string bytes = segment({1, 2, 3}, &offsets);
  bytes[offsets[2] + 20] ^= 0x5a;
  SegmentScan scan;
  EXPECT_EQ(scan_segment(bytes, 1, false, 0, "s", scan).code(), StatusCode::kCorruption);
}

TEST(SegmentScan, ASegmentWhoseHeaderNeverReachedTheDiskIsEmpty) {
  SegmentScan scan;
  EXPECT_TRUE(scan_segment(std::string(4096, '\0'), 1, true, 0, "s", scan));
  EXPECT_TRUE(scan.frames.empty());
  EXPECT_EQ(scan_segment(std::string(4096, '\0'), 1, false, 0, "s", scan).code(), StatusCode::kCorruption);
  // Its first commit reached the disk in part, but not the header.
  std::string bytes = segment({1, 2});
  std::fill_n(bytes.begin(), kSegmentHeaderBytes, '\0');
  ASSERT_TRUE(scan_segment(bytes, 1, true, 0, "s", scan));
  EXPECT_TRUE(scan.frames.empty());
  EXPECT_TRUE(scan.torn);
}

TEST(SegmentScan, AFileOfAnotherSegmentIsRefused) {
  SegmentScan scan;
  EXPECT_EQ(scan_segment(segment({1}), 2, true, 0, "s", scan).code(), StatusCode::kCorruption);
  std::string bytes = segment({1});
  bytes[0] = 'X';
  EXPECT_EQ(scan_segment(bytes, 1, true, 0, "s", scan).code(), StatusCode::kCorruption);
}

TEST(SegmentScan, RecordsOutOfOrderAreDamage) {
  SegmentScan scan;
  EXPECT_EQ(scan_segment(segment({5}), 1, true, 9, "s", scan).code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace kahuna::raftlog
