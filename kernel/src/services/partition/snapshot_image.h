// The byte image of a partition's state, carried by a Raft snapshot.
//
//   u8 format (1) | varint partition id
//   { u8 1 | bytes relative key | bytes value }*   keys strictly ascending
//   u8 0 | varint entry count | u32 LE xxh32 (seed 0) of every byte before it
//
// Relative keys are storage keys without the partition prefix (family byte
// first; see storage/key_layout.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/status.h>

#include "services/codec/byte_writer.h"

namespace kahuna::services {

class SnapshotImageWriter {
 public:
  explicit SnapshotImageWriter(std::uint32_t partition_id);
  // Keys must come in strictly ascending order.
  void add(std::string_view relative_key, std::string_view value);
  // The finished image; the writer must not be used afterwards.
  std::string finish();

 private:
  ByteWriter out_;
  std::uint64_t count_ = 0;
};

// An entry of a decoded image; views into the image.
struct SnapshotEntry {
  std::string_view relative_key;
  std::string_view value;
};

// Decodes and checks an image made for `partition_id`. kCorruption for a bad
// checksum, a truncated image, unordered or unknown keys, or another partition.
Status decode_snapshot_image(std::string_view image, std::uint32_t partition_id,
                             std::vector<SnapshotEntry>& out);

}  // namespace kahuna::services
