// LockRecord: what the replicated state keeps for one lock resource.
//
// The record is created by the first grant and never removed: after an unlock
// or an expiry it stays with no holder, so the last fencing token survives
// and the next grant continues from it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <kahuna/status.h>

#include "services/clock/hlc.h"

namespace kahuna::services {

struct LockRecord {
  std::string owner;               // the holder; empty after an unlock
  HlcTimestamp expiry;             // the lease ends at this instant
  std::int64_t fencing_token = 0;  // of the latest grant

  // Held by someone whose lease has not ended as of `now`.
  bool is_held(const HlcTimestamp& now) const noexcept { return !owner.empty() && now < expiry; }

  friend bool operator==(const LockRecord&, const LockRecord&) = default;
};

std::string encode_lock_record(const LockRecord& record);
// kCorruption when `data` is not a record this version wrote.
Status decode_lock_record(std::string_view data, LockRecord& out);

}  // namespace kahuna::services
