// KvRecord: one version of a key — the current one, or a superseded one kept
// in the key's history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <kahuna/status.h>

#include "services/clock/hlc.h"

namespace kahuna::services {

struct KvRecord {
  enum class State : std::uint8_t {
    kLive = 0,     // holds a value (which may be null); may still expire by TTL
    kDeleted = 1,  // a tombstone written by a delete; has its own revision
    kExpired = 2,  // a TTL removal dropped the value; keeps the expired revision
  };

  State state = State::kLive;
  std::optional<std::string> value;  // nullopt: the key holds "no value"
  // -1 is never stored: a key never written has no record at all.
  std::int64_t revision = 0;
  HlcTimestamp expiry;  // zero: never expires
  HlcTimestamp created;
  HlcTimestamp modified;
  // false when written with setNoRevision: this revision is never readable by
  // number and never enters the history.
  bool keep_history = true;

  // Holds a value that has not expired as of `now`.
  bool is_live(const HlcTimestamp& now) const noexcept {
    return state == State::kLive && (expiry.is_zero() || now < expiry);
  }

  friend bool operator==(const KvRecord&, const KvRecord&) = default;
};

// The version a write of `value` makes over `current` (nullopt: never
// written; `live`: whether it holds a value at `at`), stamped `at`: the next
// revision, an expiry `expires_ms` after `at` (0: never), created anew
// unless it was live.
KvRecord next_live_version(const std::optional<KvRecord>& current, bool live,
                           std::optional<std::string> value, std::int64_t expires_ms, bool keep_history,
                           const HlcTimestamp& at);
// The tombstone a delete at `at` leaves over the live `current`.
KvRecord tombstone_of(const KvRecord& current, const HlcTimestamp& at);

std::string encode_kv_record(const KvRecord& record);
// kCorruption when `data` is not a record this version wrote.
Status decode_kv_record(std::string_view data, KvRecord& out);

}  // namespace kahuna::services
