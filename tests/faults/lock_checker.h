// Lock safety over a history of try-lock / try-extend / unlock calls on
// persistent locks (HTTP-API.md §5):
//
// 1. Fencing tokens: one token names one holder (two grants with the same
//    token have the same owner); a grant that began after another ended
//    never has a lower token, and has a higher one when the owner differs.
// 2. Mutual exclusion: each acknowledged grant gives its owner a belief
//    interval — from the answer's arrival until the lease surely ran out
//    (the request's invocation + lease; an acknowledged extend moves that to
//    its own invocation + lease) or until the owner began to unlock. The
//    beliefs of different owners must never overlap.
// 3. Acknowledged unlock/extend respected: an extend succeeds only for the
//    owner whose grant is current (no unlock of its own and no grant to
//    someone else completed in between) and carries that grant's token; and
//    after an acknowledged unlock, a try-lock answered `busy` needs some
//    grant (acknowledged or unknown) that could have happened in between.
//
// Failed operations (never sent, or `mustRetry` in strict mode) did not
// happen and are left out: a failed try-lock granted nothing, a failed
// extend did not lengthen the belief, and a failed unlock released nothing,
// so its owner's belief runs on to the end of its lease and a grant to
// another owner before then is two owners at once.
//
// Clients must not re-lock while a grant of theirs may still be live (a
// re-lock answers `locked` without extending the lease, so the caller's
// belief would be wrong). A request without an answer can take effect long
// after its caller gave up (a forward held on a hung link is granted when
// the link heals, with a fresh lease), so no wait is long enough: after any
// request with an unknown outcome a client continues under a new owner
// name; after a failed unlock it waits for the lease to run out. The checker
// relies on that.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "history.h"

namespace kahuna::faults {

struct LockOp {
  enum class Kind { kLock, kExtend, kUnlock };
  enum class Result { kNone, kGranted, kBusy, kExtended, kUnlocked, kNotHeld, kWrongOwner };
  Kind kind = Kind::kLock;
  std::string resource{};
  std::string owner{};
  std::int64_t lease_ms = 0;      // lock and extend
  Result result = Result::kNone;  // with an ok outcome
  std::int64_t token = 0;         // granted and extended
};

struct LockCheckResult {
  bool ok = true;
  std::vector<std::string> violations{};  // each names the operations involved
};

LockCheckResult check_locks(const std::vector<Recorded<LockOp>>& history);

std::string describe(const Recorded<LockOp>& entry);

}  // namespace kahuna::faults
