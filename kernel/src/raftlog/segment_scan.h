// Reading a segment file back at open: which frames are whole, where the
// written part ends, and whether what follows is a torn last write (cut it)
// or damage (refuse to start).
//
// A write that was cut by a power loss can leave any of its sectors behind:
// zeros, old bytes or part of a frame, with whole frames of the same write
// after a hole. So a bad frame is the torn tail when no whole frame after it
// belongs to a later write than the last one that could have been torn;
// only the last segment can hold it. Anything else is damage to data that
// was synced, which the log must not paper over.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/status.h>

namespace kahuna::raftlog {

struct ScannedFrame {
  std::uint64_t offset = 0;  // of the frame in the file
  std::uint64_t write_sequence = 0;
  std::string_view payload;  // into the scanned bytes
};

struct SegmentScan {
  std::vector<ScannedFrame> frames;  // the whole frames, in order
  std::uint64_t end = 0;             // where the written part ends (after a cut, where it was cut)
  bool torn = false;                 // a torn last write was found after `end`
  std::uint64_t last_sequence = 0;   // the highest write sequence read (or the one passed in)
};

// Scans `bytes`, the content of segment `segment_id` named `name` (for
// messages). `last`: it is the newest segment, the only one a torn write
// can be in. `previous_sequence`: the highest write sequence of the
// segments before it. kCorruption, naming the file and offset, when the
// segment is damaged.
Status scan_segment(std::string_view bytes, std::uint64_t segment_id, bool last,
                    std::uint64_t previous_sequence, const std::string& name, SegmentScan& out);

}  // namespace kahuna::raftlog
