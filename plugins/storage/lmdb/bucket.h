// The value of a bucket record (see key_layout.h): every long raw key that
// shares one T-byte prefix, as (suffix, value) pairs sorted by suffix.
//
// Encoding: the format byte 0x01, then for each entry
//   varint(suffix size) suffix varint(value size) value
// with LEB128 varints. Suffixes are non-empty and strictly increasing; a
// bucket holds at least one entry (an emptied bucket is deleted).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/status.h>

namespace kahuna::lmdb_storage {

// A decoded entry; both views point into the encoded bytes.
struct BucketEntry {
  std::string_view suffix;
  std::string_view value;
};

// A bucket being edited by a write: suffix -> value, owning its bytes.
using BucketMap = std::map<std::string, std::string, std::less<>>;

// Checks and decodes `data`. kCorruption when it breaks any rule above.
Status decode_bucket(std::string_view data, std::vector<BucketEntry>& out);

// Encodes a non-empty map.
void encode_bucket(const BucketMap& entries, std::string& out);

// Index of the first entry whose suffix is >= `suffix` (entries.size() if none).
std::size_t lower_bound(const std::vector<BucketEntry>& entries, std::string_view suffix) noexcept;
// Index of the first entry whose suffix is > `suffix` (entries.size() if none).
std::size_t upper_bound(const std::vector<BucketEntry>& entries, std::string_view suffix) noexcept;

}  // namespace kahuna::lmdb_storage
