// LockStateMachine: distributed locks with fencing tokens (HTTP-API.md §5).
//
// resource -> LockRecord {owner, lease expiry, fencing token}. The first
// grant of a resource ever gets token 0 and every later grant the previous
// token + 1, so tokens never go back, also across unlocks, expiries, leader
// changes and restarts. The same owner re-locking its live lock gets the same
// token and no longer lease. Expiry is lazy: a lease that has ended counts as
// free at the next command; nothing removes it. "Now" is always the command's
// stamp (apply) or the caller's read time (get_info), never a clock.
//
// Apply functions stage their writes into `ctx` and fill `reply`. A non-ok
// Status means the state could not be read (a storage failure): the reply is
// meaningless and the caller must not go on applying.
#pragma once

#include <cstdint>
#include <string_view>

#include "services/commands/command.h"
#include "services/commands/replies.h"
#include "services/locks/lock_record.h"
#include "services/storage/apply_context.h"
#include "services/storage/key_layout.h"

namespace kahuna::services {

class LockStateMachine {
 public:
  explicit LockStateMachine(std::uint32_t partition_id) : layout_(partition_id) {}

  // locked (new token, or the same token for the live holder), busy,
  // invalidInput (empty or reserved resource, empty owner, expires_ms <= 0).
  Status try_lock(ApplyContext& ctx, const HlcTimestamp& stamp, const LockTryLock& command,
                  LockReply& reply) const;
  // extended (same token, expiry = stamp + expires_ms), invalidOwner,
  // lockDoesNotExist, invalidInput.
  Status try_extend(ApplyContext& ctx, const HlcTimestamp& stamp, const LockTryExtend& command,
                    LockReply& reply) const;
  // unlocked, invalidOwner, lockDoesNotExist, invalidInput.
  Status unlock(ApplyContext& ctx, const HlcTimestamp& stamp, const LockUnlock& command,
                LockReply& reply) const;

  // get-info as of `now`: got with owner, expiry and token, or
  // lockDoesNotExist with no owner and zero expiry; invalidInput for an empty
  // or reserved resource.
  Status get_info(const StateReader& reader, std::string_view resource, const HlcTimestamp& now,
                  LockReply& reply) const;

  const KeyLayout& layout() const noexcept { return layout_; }

 private:
  // Reads the record; `found` is false when the resource was never granted.
  Status load(const StateReader& reader, std::string_view resource, LockRecord& record, bool& found) const;
  // Loads the lock for an owner-only operation (extend, unlock): `held` is
  // true when `owner` holds a live lease; otherwise `reply` already carries
  // LockDoesNotExist or InvalidOwner.
  Status load_held_by(const StateReader& reader, const HlcTimestamp& stamp, std::string_view resource,
                      const std::string& owner, LockRecord& record, bool& held, LockReply& reply) const;

  KeyLayout layout_;
};

}  // namespace kahuna::services
