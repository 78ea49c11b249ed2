// The log's record format: what is encoded decodes to the same, and a
// damaged payload never decodes into something else.
#include "raftlog/log_record.h"

#include <gtest/gtest.h>

namespace kahuna::raftlog {
namespace {

raft::Entry entry(raft::Index index, raft::Term term, std::string data) {
  return raft::Entry{term, index, raft::EntryType::kNormal, std::move(data)};
}

TEST(LogRecord, AGroupWriteDecodesToWhatWasEncoded) {
  raft::SnapshotMetadata snapshot{7, 2, {{1, 2, 3}, {4}}};
  const std::vector<raft::Entry> entries{entry(8, 3, "a"), entry(9, 3, std::string(1000, 'b')),
                                         entry(10, 4, "")};
  std::vector<EntryPlacement> placements;
  std::string payload = encode_group_record(5, SnapshotKind::kCompact, snapshot, raft::HardState{4, 2, 9},
                                            entries, &placements);
  stamp_write_sequence(payload, 42);

  GroupRecord record;
  ASSERT_TRUE(decode_group_record(payload, record));
  EXPECT_EQ(record.write_sequence, 42u);
  EXPECT_EQ(record.group, 5u);
  EXPECT_EQ(record.snapshot_kind, SnapshotKind::kCompact);
  EXPECT_EQ(record.snapshot, snapshot);
  ASSERT_TRUE(record.hard_state);
  EXPECT_EQ(*record.hard_state, (raft::HardState{4, 2, 9}));
  ASSERT_EQ(record.entries.size(), 3u);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(record.entries[i].index, entries[i].index);
    EXPECT_EQ(record.entries[i].term, entries[i].term);
    EXPECT_EQ(payload.substr(record.entries[i].offset, record.entries[i].length), entries[i].data);
    EXPECT_EQ(record.entries[i].offset, placements[i].offset);
  }
}

TEST(LogRecord, ATruncatedOrExtendedPayloadDoesNotDecode) {
  const std::string payload =
      encode_group_record(1, SnapshotKind::kNone, {}, raft::HardState{1, 1, 1}, {entry(1, 1, "value")});
  GroupRecord record;
  ASSERT_TRUE(decode_group_record(payload, record));
  for (std::size_t size = 0; size < payload.size(); ++size) {
    EXPECT_FALSE(decode_group_record(payload.substr(0, size), record)) << size;
  }
  EXPECT_FALSE(decode_group_record(payload + "x", record));
}

TEST(LogRecord, AFrameIsPaddedToEightBytes) {
  std::string out;
  append_frame(out, std::string(13, 'x'));
  EXPECT_EQ(out.size(), frame_bytes(13));
  EXPECT_EQ(out.size() % 8, 0u);
}

TEST(LogRecord, SegmentFileNamesRoundTrip) {
  EXPECT_EQ(parse_segment_file_name(segment_file_name(0x1234)), 0x1234u);
  EXPECT_FALSE(parse_segment_file_name("0000000000001234.tmp"));
  EXPECT_FALSE(parse_segment_file_name("zz00000000001234.log"));
}

}  // namespace
}  // namespace kahuna::raftlog
