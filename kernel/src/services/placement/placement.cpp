#include "services/placement/placement.h"

#include <xxhash.h>

namespace kahuna::services {

namespace {

constexpr std::uint32_t kHighSeed = 0xAAAAAAAAu;
constexpr std::uint32_t kLowSeed = 0x55555555u;

}  // namespace

std::string_view key_space_of(std::string_view key) noexcept {
  const auto slash = key.rfind('/');
  return slash == std::string_view::npos ? key : key.substr(0, slash);
}

std::string_view placement_group_of(std::string_view key_space) noexcept {
  const auto bar = key_space.find('|');
  return bar == std::string_view::npos ? key_space : key_space.substr(0, bar);
}

std::uint64_t placement_hash(std::string_view text) noexcept {
  const std::uint64_t high = XXH32(text.data(), text.size(), kHighSeed);
  const std::uint64_t low = XXH32(text.data(), text.size(), kLowSeed);
  return (high << 32) | low;
}

std::uint32_t jump_consistent_hash(std::uint64_t key, std::uint32_t buckets) noexcept {
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
    next = static_cast<std::int64_t>(static_cast<double>(bucket + 1) * (static_cast<double>(1LL << 31) / draw));
  }
  return static_cast<std::uint32_t>(bucket);
}

std::uint32_t bucket_of_string(std::string_view text, std::uint32_t buckets) noexcept {
  return jump_consistent_hash(placement_hash(text), buckets);
}

std::uint32_t partition_for_key(std::string_view key, const PlacementPool& pool) noexcept {
  const std::string_view group = placement_group_of(key_space_of(key));
  return pool.partition_offset + bucket_of_string(group, pool.pool_size);
}

std::string sequence_storage_key(std::string_view name) {
  std::string key(kSequenceStorageKeyPrefix);
  key.append(name);
  return key;
}

std::uint32_t partition_for_sequence(std::string_view name, const PlacementPool& pool) {
  return partition_for_key(sequence_storage_key(name), pool);
}

}  // namespace kahuna::services
