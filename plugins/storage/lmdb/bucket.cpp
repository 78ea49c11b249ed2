#include "bucket.h"

#include <algorithm>
#include <cstdint>

namespace kahuna::lmdb_storage {
namespace {

constexpr char kFormat = 0x01;

void put_varint(std::uint64_t v, std::string& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

std::size_t varint_size(std::uint64_t v) {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Reads a varint from the front of `in`; false when it is cut short or
// does not fit 64 bits.
bool get_varint(std::string_view& in, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) return false;
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

bool get_bytes(std::string_view& in, std::string_view& out) {
  std::uint64_t size = 0;
  if (!get_varint(in, size) || size > in.size()) return false;
  out = in.substr(0, size);
  in.remove_prefix(size);
  return true;
}

}  // namespace

Status decode_bucket(std::string_view data, std::vector<BucketEntry>& out) {
  out.clear();
  if (data.empty() || data.front() != kFormat) {
    return Status::corruption("LMDB bucket record has an unknown format");
  }
  data.remove_prefix(1);
  while (!data.empty()) {
    BucketEntry entry;
    if (!get_bytes(data, entry.suffix) || !get_bytes(data, entry.value)) {
      return Status::corruption("LMDB bucket record is truncated");
    }
    if (entry.suffix.empty() || (!out.empty() && out.back().suffix >= entry.suffix)) {
      return Status::corruption("LMDB bucket record's keys are not in order");
    }
    out.push_back(entry);
  }
  if (out.empty()) return Status::corruption("LMDB bucket record is empty");
  return Status::ok();
}

void encode_bucket(const BucketMap& entries, std::string& out) {
  std::size_t size = 1;
  for (const auto& [suffix, value] : entries) {
    size += varint_size(suffix.size()) + suffix.size() + varint_size(value.size()) + value.size();
  }
  out.clear();
  out.reserve(size);
  out.push_back(kFormat);
  for (const auto& [suffix, value] : entries) {
    put_varint(suffix.size(), out);
    out.append(suffix);
    put_varint(value.size(), out);
    out.append(value);
  }
}

std::size_t lower_bound(const std::vector<BucketEntry>& entries, std::string_view suffix) noexcept {
  auto it = std::lower_bound(entries.begin(), entries.end(), suffix,
                             [](const BucketEntry& e, std::string_view s) { return e.suffix < s; });
  return static_cast<std::size_t>(it - entries.begin());
}

std::size_t upper_bound(const std::vector<BucketEntry>& entries, std::string_view suffix) noexcept {
  auto it = std::upper_bound(entries.begin(), entries.end(), suffix,
                             [](std::string_view s, const BucketEntry& e) { return s < e.suffix; });
  return static_cast<std::size_t>(it - entries.begin());
}

}  // namespace kahuna::lmdb_storage
