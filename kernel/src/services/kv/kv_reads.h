// KvReads: the key/value store's read operations (HTTP-API.md §6.1, §6.3),
// plus the leader's search for keys whose TTL has passed.
//
// Reads are not commands: they run on the node that serves them (the leader,
// after a ReadIndex or under its lease) against a consistent view — a
// storage snapshot through EngineStateReader, the ephemeral MemoryState, or an
// ApplyContext — and take "now" from the caller, who reads its HybridClock.
// Expired keys read as absent from `now` on, whether or not the TTL removal
// has been applied yet.
//
// Every function returns a non-ok Status only for a storage failure; outcomes
// (doesNotExist, invalidInput, ...) are in the reply.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/commands/replies.h"
#include "services/kv/kv_version_store.h"

namespace kahuna::services {

using ::kahuna::KvGetQuery;
using ::kahuna::KvItem;
using ::kahuna::KvRangePage;
using ::kahuna::KvRangeQuery;
using ::kahuna::KvScanReply;

// A key whose TTL had passed when the leader looked, with the revision it
// saw; the leader proposes KvExpire{key, revision} for it.
struct ExpiredKey {
  std::string key{};
  std::int64_t revision = 0;
  friend bool operator==(const ExpiredKey&, const ExpiredKey&) = default;
};

class KvReads {
 public:
  KvReads(std::uint32_t partition_id, const KvOptions& options) : store_(partition_id, options) {}

  // get (value, revision, expires, lastModified) or doesNotExist (revision 0,
  // null value, zero timestamps); invalidInput for a bad key.
  Status get(const StateReader& reader, const KvGetQuery& query, const HlcTimestamp& now,
             KvReply& reply) const;
  // Like get, with code exists and no value.
  Status exists(const StateReader& reader, const KvGetQuery& query, const HlcTimestamp& now,
                KvReply& reply) const;

  // Live keys of this partition that start with `prefix` (get-by-bucket, and
  // one partition's share of scan-all-by-prefix); invalidInput for an empty
  // prefix. A non-zero read_timestamp reads each key as of that time.
  Status scan_prefix(const StateReader& reader, std::string_view prefix, const HlcTimestamp& read_timestamp,
                     const HlcTimestamp& now, KvScanReply& reply) const;

  Status get_range(const StateReader& reader, const KvRangeQuery& query, const HlcTimestamp& now,
                   KvRangePage& page) const;

  // Up to `limit` keys whose expiry is <= `now`, soonest expiry first.
  Status list_expired(const StateReader& reader, const HlcTimestamp& now, std::size_t limit,
                      std::vector<ExpiredKey>& out) const;

 private:
  // The version visible to a reader: at a revision, as of a time, or latest.
  Status resolve(const StateReader& reader, std::string_view key, std::int64_t revision,
                 const HlcTimestamp& read_timestamp, const HlcTimestamp& now,
                 std::optional<KvRecord>& out) const;
  // Reads a point query into `reply`, with `found_code` when it resolves.
  Status point_read(const StateReader& reader, const KvGetQuery& query, const HlcTimestamp& now,
                    KvCode found_code, bool with_value, KvReply& reply) const;

  KvVersionStore store_;
};

// Range cursors are opaque printable strings ("k1." + hex of the last key).
std::string encode_range_cursor(std::string_view last_key);
// False when `cursor` is not one encode_range_cursor made.
bool decode_range_cursor(std::string_view cursor, std::string& last_key);

}  // namespace kahuna::services
