// The log's on-disk format.
//
// A segment file: a 16-byte header (the magic "KRLOG001", then the segment's
// id as u64), then frames, then zeros up to the preallocated size.
//
// A frame: payload length (u32), CRC32C of those four bytes and the payload
// (u32), the payload, zero padding to a multiple of 8 bytes. A length of 0
// marks the end of the written part. Integers are little-endian.
//
// A payload is one group's write, made whole or not at all:
//   write sequence u64      the log writer's commit counter; orders frames
//                           and tells a torn last write from damage
//   flags u8                kSnapshotReplace | kSnapshotCompact, kHardState, kEntries
//   group u32
//   [snapshot]              index u64, term u64, voters and learners (u32 count, u64 ids)
//   [hard state]            term u64, vote u64, commit u64
//   [entries]               first index u64, count u32, then per entry:
//                           term u64, type u8, data length u32, data
//
// Replaying a group's payloads in file order rebuilds its log: a replacing
// snapshot drops every entry (a leader's snapshot replaces the log), a
// compacting one drops the entries it covers; entries overwrite the log
// from their first index on; a hard state replaces the last one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/raft/types.h>

namespace kahuna::raftlog {

inline constexpr std::string_view kSegmentMagic = "KRLOG001";
inline constexpr std::size_t kSegmentHeaderBytes = 16;
inline constexpr std::size_t kFrameHeaderBytes = 8;

enum class SnapshotKind : std::uint8_t { kNone, kReplace, kCompact };

// Where one entry's data sits inside its payload.
struct EntryPlacement {
  raft::Index index = 0;
  raft::Term term = 0;
  raft::EntryType type = raft::EntryType::kNormal;
  std::uint32_t offset = 0;  // of the data, from the start of the payload
  std::uint32_t length = 0;
};

// A group write, decoded, with its entries' data left in the payload.
struct GroupRecord {
  std::uint64_t write_sequence = 0;
  std::uint32_t group = 0;
  SnapshotKind snapshot_kind = SnapshotKind::kNone;
  raft::SnapshotMetadata snapshot;
  std::optional<raft::HardState> hard_state;
  std::vector<EntryPlacement> entries;
};

// Encodes a group write. The write sequence is left zero: the log writer
// stamps it (stamp_write_sequence) when it takes the write.
std::string encode_group_record(std::uint32_t group, SnapshotKind snapshot_kind,
                                const raft::SnapshotMetadata& snapshot,
                                const std::optional<raft::HardState>& hard_state,
                                const std::vector<raft::Entry>& entries,
                                std::vector<EntryPlacement>* placements = nullptr);
void stamp_write_sequence(std::string& payload, std::uint64_t sequence);

// False when the payload does not decode (a bug or damage the CRC missed).
bool decode_group_record(std::string_view payload, GroupRecord& out);

// The bytes a frame of `payload_bytes` takes on disk, padding included.
inline std::size_t frame_bytes(std::size_t payload_bytes) {
  return (kFrameHeaderBytes + payload_bytes + 7) & ~std::size_t{7};
}
// Appends the frame of `payload` to `out`.
void append_frame(std::string& out, std::string_view payload);

std::string segment_header(std::uint64_t segment_id);
std::string segment_file_name(std::uint64_t segment_id);
// The id in a segment file name; nullopt for other files.
std::optional<std::uint64_t> parse_segment_file_name(std::string_view name);

}  // namespace kahuna::raftlog
