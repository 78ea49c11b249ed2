// Storage key layout of the coordination services.
//
// Every partition's state lives under its own prefix, so all partitions (and
// the Raft log, under other leading bytes) share one storage engine without
// overlapping, and a partition's whole state is one key range:
//
//   partition prefix = 0x02 | partition id (u32, big-endian)
//
//   prefix | 0x01 | resource                          lock         -> LockRecord
//   prefix | 0x02 | key                               kv current   -> KvRecord
//   prefix | 0x03 | len(key) u32 BE | key | rev u64 BE
//                                                     kv history   -> KvRecord (a superseded revision)
//   prefix | 0x04 | expiry HLC (order-preserving) | key
//                                                     kv TTL index -> revision (zigzag varint)
//   prefix | 0x05 | name                              sequence     -> SequenceRecord
//   prefix | 0x06 | len(name) u32 BE | name | idempotency key
//                                                     idempotency  -> IdempotencyEntry
//   prefix | 0x07 | len(name) u32 BE | name | seq u64 BE
//                                                     idempotency order -> idempotency key + stamp
//   prefix | 0x08 | client u64 BE | sequence u64 BE | part u32 BE
//                                                     request      -> the first reply to a request id
//   prefix | 0x09 | seq u64 BE                        request order -> request id + stamp
//   prefix | 0x0A                                     request table bounds (first and next seq)
//   prefix | 0x0B                                     cluster metadata (partition 0 only) -> ClusterMetadata
//   prefix | 0x0C | key                               tx intent    -> TxIntent (a transaction's pending
//   write) prefix | 0x0D | tx id HLC (order-preserving)      tx record    -> TxRecord (on the anchor's
//   partition) prefix | 0x0E                                     tx intent count -> how many intents the
//   partition holds
//
// Raw names (resources, keys) sort byte-wise, so the lock and current-kv
// families iterate in key order and a key prefix is a key range. Where a name
// is followed by more fields it is length-prefixed, so one name's entries are
// contiguous and never mix with a longer name that shares its bytes.
// Integers in keys are big-endian (signed ones with the sign bit flipped) so
// byte order equals numeric order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "services/clock/hlc.h"

namespace kahuna::services {

inline constexpr char kServicesKeyByte = 0x02;

enum class Family : std::uint8_t {
  kLock = 0x01,
  kKvCurrent = 0x02,
  kKvHistory = 0x03,
  kKvExpiry = 0x04,
  kSequence = 0x05,
  kIdempotency = 0x06,
  kIdempotencyOrder = 0x07,
  kRequest = 0x08,
  kRequestOrder = 0x09,
  kRequestBounds = 0x0A,
  kClusterMetadata = 0x0B,
  kTxIntent = 0x0C,
  kTxRecord = 0x0D,
  kTxIntentCount = 0x0E,
};
inline constexpr Family kLastFamily = Family::kTxIntentCount;

// A half-open key range [begin, end).
struct KeyRange {
  std::string begin;
  std::string end;
};

// The smallest key greater than every key that starts with `prefix`; empty
// when there is none (a prefix of only 0xFF bytes), meaning "no upper bound".
std::string prefix_end(std::string_view prefix);

// Big-endian, order-preserving integer encodings used inside keys.
void append_u32_be(std::string& out, std::uint32_t value);
void append_u64_be(std::string& out, std::uint64_t value);
void append_hlc_ordered(std::string& out, const HlcTimestamp& stamp);
// Reads back what append_hlc_ordered wrote; false when `in` is too short.
bool read_hlc_ordered(std::string_view in, HlcTimestamp& out);
inline constexpr std::size_t kHlcOrderedSize = 16;

// Builds the keys of one partition.
class KeyLayout {
 public:
  explicit KeyLayout(std::uint32_t partition_id);

  std::uint32_t partition_id() const noexcept { return partition_id_; }

  // Every key of the partition.
  KeyRange partition_range() const;
  // Every key of one family.
  KeyRange family_range(Family family) const;
  // The bytes every key of `family` starts with.
  std::string family_prefix(Family family) const;

  std::string lock_key(std::string_view resource) const;
  std::string kv_key(std::string_view key) const;
  std::string kv_history_key(std::string_view key, std::int64_t revision) const;
  // Every stored revision of `key`, oldest first.
  KeyRange kv_history_range(std::string_view key) const;
  std::string kv_expiry_key(const HlcTimestamp& expiry, std::string_view key) const;
  std::string sequence_key(std::string_view name) const;
  std::string idempotency_key(std::string_view name, std::string_view idempotency_key) const;
  KeyRange idempotency_range(std::string_view name) const;
  std::string idempotency_order_key(std::string_view name, std::uint64_t seq) const;
  KeyRange idempotency_order_range(std::string_view name) const;
  std::string request_key(std::uint64_t client, std::uint64_t sequence, std::uint32_t part) const;
  std::string request_order_key(std::uint64_t seq) const;
  std::string request_bounds_key() const;
  std::string cluster_metadata_key() const;
  std::string tx_intent_key(std::string_view key) const;
  std::string tx_record_key(const HlcTimestamp& tx) const;
  std::string tx_intent_count_key() const;

  // Sets `rest` to what follows the family byte of `storage_key`; false when
  // the key is not of this partition and family.
  bool strip(Family family, std::string_view storage_key, std::string_view& rest) const;

 private:
  std::string length_prefixed(Family family, std::string_view name) const;

  std::uint32_t partition_id_;
  std::string prefix_;  // 0x02 | partition id
};

}  // namespace kahuna::services
