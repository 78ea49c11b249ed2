// Placement: which partition owns a key, a lock or a sequence.
//
// The function is the one HTTP-API.md §8 publishes to clients under the name
// kPlacementAlgorithm, so a client can compute it too:
//   key -> key space (text before the last '/', the whole key without one)
//       -> placement group (the key space up to its first '|')
//       -> 64-bit hash: xxh32(group, 0xAAAAAAAA) << 32 | xxh32(group, 0x55555555)
//       -> jump consistent hash over the pool of hash-placed partitions
//       -> partition = offset + bucket.
// A whole key space therefore lives on one partition, which is what makes a
// bucket read consistent.
// Header-only, so servers, plugins and clients compute exactly the same
// function; hashing comes from libxxhash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <xxhash.h>

namespace kahuna {

inline constexpr std::string_view kPlacementAlgorithm = "kahuna.placement-group-jump-xxh32-v1";
inline constexpr std::string_view kReservedKeyPrefix = "__kahuna:";
// The storage key a sequence is placed by ("{0}" is its name).
inline constexpr std::string_view kSequenceStorageKeyPrefix = "__kahuna:sequences:";

// The hash-placed partitions: buckets 0..pool_size-1 map to partition ids
// partition_offset..partition_offset+pool_size-1 (partition 0 is the
// cluster's metadata group, hence the default offset of 1).
struct PlacementPool {
  std::uint32_t pool_size = 16;  // must be > 0
  std::uint32_t partition_offset = 1;
};

// The text before the last '/', or the whole key when it has none.
std::string_view key_space_of(std::string_view key) noexcept;

// The key space up to its first '|', or the whole key space without one.
std::string_view placement_group_of(std::string_view key_space) noexcept;

// xxh32(text, 0xAAAAAAAA) in the high 32 bits, xxh32(text, 0x55555555) low.
std::uint64_t placement_hash(std::string_view text) noexcept;

// Lamping and Veach's jump consistent hash: a bucket in [0, buckets) that
// moves for only 1/n of the keys when the bucket count grows from n-1 to n.
// `buckets` must be > 0.
std::uint32_t jump_consistent_hash(std::uint64_t key, std::uint32_t buckets) noexcept;

// The string step alone (hash + jump), without the key-space step.
std::uint32_t bucket_of_string(std::string_view text, std::uint32_t buckets) noexcept;

// The partition owning a key/value key, or a lock's resource name.
std::uint32_t partition_for_key(std::string_view key, const PlacementPool& pool) noexcept;

// The partition owning a sequence: placed by its storage key.
std::uint32_t partition_for_sequence(std::string_view name, const PlacementPool& pool);

std::string sequence_storage_key(std::string_view name);

// ---- Definitions ---------------------------------------------------------------

namespace placement_detail {
inline constexpr std::uint32_t kHighSeed = 0xAAAAAAAAu;
inline constexpr std::uint32_t kLowSeed = 0x55555555u;
}  // namespace placement_detail

inline std::string_view key_space_of(std::string_view key) noexcept {
  const auto slash = key.rfind('/');
  return slash == std::string_view::npos ? key : key.substr(0, slash);
}

inline std::string_view placement_group_of(std::string_view key_space) noexcept {
  const auto bar = key_space.find('|');
  return bar == std::string_view::npos ? key_space : key_space.substr(0, bar);
}

inline std::uint64_t placement_hash(std::string_view text) noexcept {
  const std::uint64_t high = XXH32(text.data(), text.size(), placement_detail::kHighSeed);
  const std::uint64_t low = XXH32(text.data(), text.size(), placement_detail::kLowSeed);
  return (high << 32) | low;
}

inline std::uint32_t jump_consistent_hash(std::uint64_t key, std::uint32_t buckets) noexcept {
  // The key drives a linear congruential generator; each step "jumps" to the
  // next bucket count at which this key would move, and the last jump below
  // `buckets` is the answer. The probability of moving into bucket j+1 is
  // 1/(j+1), which is what keeps the assignment both uniform and stable.
  std::int64_t bucket = -1;
  std::int64_t next = 0;
  while (next < static_cast<std::int64_t>(buckets)) {
    bucket = next;
    key = key * 2862933555777941757ULL + 1;
    const double draw = static_cast<double>((key >> 33) + 1);
    next =
        static_cast<std::int64_t>(static_cast<double>(bucket + 1) * (static_cast<double>(1LL << 31) / draw));
  }
  return static_cast<std::uint32_t>(bucket);
}

inline std::uint32_t bucket_of_string(std::string_view text, std::uint32_t buckets) noexcept {
  return jump_consistent_hash(placement_hash(text), buckets);
}

inline std::uint32_t partition_for_key(std::string_view key, const PlacementPool& pool) noexcept {
  const std::string_view group = placement_group_of(key_space_of(key));
  return pool.partition_offset + bucket_of_string(group, pool.pool_size);
}

inline std::string sequence_storage_key(std::string_view name) {
  std::string key(kSequenceStorageKeyPrefix);
  key.append(name);
  return key;
}

inline std::uint32_t partition_for_sequence(std::string_view name, const PlacementPool& pool) {
  return partition_for_key(sequence_storage_key(name), pool);
}

}  // namespace kahuna
