#include "services/storage/key_layout.h"

namespace kahuna::services {

std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last != 0xFF) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  return end;
}

void append_u32_be(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

void append_u64_be(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

namespace {

constexpr std::uint64_t kSign64 = std::uint64_t{1} << 63;
constexpr std::uint32_t kSign32 = std::uint32_t{1} << 31;

std::uint64_t read_u64_be(std::string_view in) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(in[i]);
  return value;
}

std::uint32_t read_u32_be(std::string_view in) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(in[i]);
  return value;
}

}  // namespace

void append_hlc_ordered(std::string& out, const HlcTimestamp& stamp) {
  // Same field order as the HLC's own ordering: physical, logical, node.
  append_u64_be(out, static_cast<std::uint64_t>(stamp.physical) ^ kSign64);
  append_u32_be(out, stamp.logical);
  append_u32_be(out, static_cast<std::uint32_t>(stamp.node) ^ kSign32);
}

bool read_hlc_ordered(std::string_view in, HlcTimestamp& out) {
  if (in.size() < kHlcOrderedSize) return false;
  out.physical = static_cast<std::int64_t>(read_u64_be(in) ^ kSign64);
  out.logical = read_u32_be(in.substr(8));
  out.node = static_cast<std::int32_t>(read_u32_be(in.substr(12)) ^ kSign32);
  return true;
}

KeyLayout::KeyLayout(std::uint32_t partition_id) : partition_id_(partition_id) {
  prefix_.push_back(kServicesKeyByte);
  append_u32_be(prefix_, partition_id);
}

KeyRange KeyLayout::partition_range() const { return {prefix_, prefix_end(prefix_)}; }

std::string KeyLayout::family_prefix(Family family) const {
  std::string key = prefix_;
  key.push_back(static_cast<char>(family));
  return key;
}

KeyRange KeyLayout::family_range(Family family) const {
  std::string begin = family_prefix(family);
  std::string end = prefix_end(begin);
  return {std::move(begin), std::move(end)};
}

std::string KeyLayout::lock_key(std::string_view resource) const {
  return family_prefix(Family::kLock).append(resource);
}

std::string KeyLayout::kv_key(std::string_view key) const {
  return family_prefix(Family::kKvCurrent).append(key);
}

std::string KeyLayout::length_prefixed(Family family, std::string_view name) const {
  std::string key = family_prefix(family);
  append_u32_be(key, static_cast<std::uint32_t>(name.size()));
  key.append(name);
  return key;
}

std::string KeyLayout::kv_history_key(std::string_view key, std::int64_t revision) const {
  std::string out = length_prefixed(Family::kKvHistory, key);
  append_u64_be(out, static_cast<std::uint64_t>(revision));
  return out;
}

KeyRange KeyLayout::kv_history_range(std::string_view key) const {
  std::string begin = length_prefixed(Family::kKvHistory, key);
  std::string end = prefix_end(begin);
  return {std::move(begin), std::move(end)};
}

std::string KeyLayout::kv_expiry_key(const HlcTimestamp& expiry, std::string_view key) const {
  std::string out = family_prefix(Family::kKvExpiry);
  append_hlc_ordered(out, expiry);
  out.append(key);
  return out;
}

std::string KeyLayout::sequence_key(std::string_view name) const {
  return family_prefix(Family::kSequence).append(name);
}

std::string KeyLayout::idempotency_key(std::string_view name, std::string_view idempotency_key) const {
  return length_prefixed(Family::kIdempotency, name).append(idempotency_key);
}

KeyRange KeyLayout::idempotency_range(std::string_view name) const {
  std::string begin = length_prefixed(Family::kIdempotency, name);
  std::string end = prefix_end(begin);
  return {std::move(begin), std::move(end)};
}

std::string KeyLayout::idempotency_order_key(std::string_view name, std::uint64_t seq) const {
  std::string out = length_prefixed(Family::kIdempotencyOrder, name);
  append_u64_be(out, seq);
  return out;
}

KeyRange KeyLayout::idempotency_order_range(std::string_view name) const {
  std::string begin = length_prefixed(Family::kIdempotencyOrder, name);
  std::string end = prefix_end(begin);
  return {std::move(begin), std::move(end)};
}

std::string KeyLayout::request_key(std::uint64_t client, std::uint64_t sequence, std::uint32_t part) const {
  std::string out = family_prefix(Family::kRequest);
  append_u64_be(out, client);
  append_u64_be(out, sequence);
  append_u32_be(out, part);
  return out;
}

std::string KeyLayout::request_order_key(std::uint64_t seq) const {
  std::string out = family_prefix(Family::kRequestOrder);
  append_u64_be(out, seq);
  return out;
}

std::string KeyLayout::request_bounds_key() const { return family_prefix(Family::kRequestBounds); }
std::string KeyLayout::cluster_metadata_key() const { return family_prefix(Family::kClusterMetadata); }

std::string KeyLayout::tx_intent_key(std::string_view key) const {
  return family_prefix(Family::kTxIntent).append(key);
}

std::string KeyLayout::tx_intent_count_key() const { return family_prefix(Family::kTxIntentCount); }

std::string KeyLayout::tx_record_key(const HlcTimestamp& tx) const {
  std::string key = family_prefix(Family::kTxRecord);
  append_hlc_ordered(key, tx);
  return key;
}

bool KeyLayout::strip(Family family, std::string_view storage_key, std::string_view& rest) const {
  const std::size_t head = prefix_.size() + 1;
  if (storage_key.size() < head || storage_key.substr(0, prefix_.size()) != prefix_ ||
      storage_key[prefix_.size()] != static_cast<char>(family)) {
    return false;
  }
  rest = storage_key.substr(head);
  return true;
}

}  // namespace kahuna::services
