#include "raftlog/segment_scan.h"

#include "raftlog/crc32c.h"
#include "raftlog/little_endian.h"
#include "raftlog/log_record.h"

namespace kahuna::raftlog {
namespace {

std::uint64_t read_u64(const char* in) { return get_le<std::uint64_t>(in); }
std::uint32_t read_u32(const char* in) { return get_le<std::uint32_t>(in); }

// The whole frame at `offset`, if there is one.
bool frame_at(std::string_view bytes, std::uint64_t offset, ScannedFrame& frame) {
  if (offset + kFrameHeaderBytes > bytes.size()) return false;
  const std::uint32_t length = read_u32(bytes.data() + offset);
  if (length < 8 || length > bytes.size() - offset - kFrameHeaderBytes) return false;
  const std::string_view payload = bytes.substr(offset + kFrameHeaderBytes, length);
  if (crc32c(bytes.substr(offset, 4), payload) != read_u32(bytes.data() + offset + 4)) return false;
  frame.offset = offset;
  frame.write_sequence = read_u64(payload.data());
  frame.payload = payload;
  return true;
}

bool all_zero(std::string_view bytes) {
  for (char c : bytes) {
    if (c != 0) return false;
  }
  return true;
}

}  // namespace

Status scan_segment(std::string_view bytes, std::uint64_t segment_id, bool last,
                    std::uint64_t previous_sequence, const std::string& name, SegmentScan& out) {
  out = SegmentScan{};
  out.last_sequence = previous_sequence;
  const auto damaged = [&](std::uint64_t offset, const std::string& what) {
    return Status::corruption("raft log segment " + name + " is damaged at offset " + std::to_string(offset) +
                              ": " + what +
                              "; the node cannot start from it (restore the node from its peers)");
  };
  if (bytes.size() < kSegmentHeaderBytes || all_zero(bytes.substr(0, kSegmentHeaderBytes))) {
    // Created, but its header never reached the disk. The header is synced
    // before anything is written after it, so nothing in it was
    // acknowledged: whatever else reached the disk is a torn write.
    if (!last) return damaged(0, "missing segment header");
    out.torn = !all_zero(bytes);
    return Status::ok();
  }
  if (bytes.substr(0, kSegmentMagic.size()) != kSegmentMagic || read_u64(bytes.data() + 8) != segment_id) {
    return damaged(0, "not a raft log segment, or not the one its name says");
  }

  std::uint64_t offset = kSegmentHeaderBytes;
  std::uint64_t sequence = previous_sequence;
  while (true) {
    ScannedFrame frame;
    if (frame_at(bytes, offset, frame)) {
      if (frame.write_sequence < sequence) return damaged(offset, "a record out of order");
      sequence = frame.write_sequence;
      out.frames.push_back(frame);
      offset += frame_bytes(frame.payload.size());
      continue;
    }
    // The written part ends here: cleanly (zeros to the end), or with a bad
    // frame. Look for whole frames beyond it.
    const bool clean = all_zero(bytes.substr(offset));
    if (clean) break;
    if (!last) return damaged(offset, "an unreadable record in a segment that was complete");
    for (std::uint64_t later = offset + 8; later + kFrameHeaderBytes + 8 <= bytes.size(); later += 8) {
      // Only a frame of a write after the one being made when the power
      // went matters: that write was synced, so the hole before it is
      // damage. Its sequence is checked first; the CRC only then.
      const std::uint64_t candidate = read_u64(bytes.data() + later + kFrameHeaderBytes);
      if (candidate <= sequence + 1 || candidate > sequence + (std::uint64_t{1} << 32)) continue;
      ScannedFrame after;
      if (frame_at(bytes, later, after))
        return damaged(offset, "an unreadable record with later records after it");
    }
    out.torn = true;
    break;
  }
  out.end = offset;
  out.last_sequence = sequence;
  return Status::ok();
}

}  // namespace kahuna::raftlog
