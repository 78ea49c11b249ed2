#include "lock_checker.h"

#include <algorithm>
#include <map>

namespace kahuna::faults {
namespace {

using Entry = Recorded<LockOp>;

constexpr std::int64_t kNsPerMs = 1'000'000;

bool is(const Entry& e, LockOp::Kind kind, LockOp::Result result) {
  return e.outcome == Outcome::kOk && e.op.kind == kind && e.op.result == result;
}
bool granted(const Entry& e) { return is(e, LockOp::Kind::kLock, LockOp::Result::kGranted); }
// A try-lock that may have granted: acknowledged as granted, or unknown.
bool may_have_granted(const Entry& e) {
  return e.op.kind == LockOp::Kind::kLock && (granted(e) || e.outcome == Outcome::kUnknown);
}

// A stretch of time during which `owner` believed it held the lock.
struct Belief {
  const Entry* source;
  std::string owner;
  std::int64_t start;
  std::int64_t end;
};

void check_tokens(const std::vector<const Entry*>& ops, std::vector<std::string>& violations) {
  std::map<std::int64_t, const Entry*> holder_of_token;
  std::vector<const Entry*> grants;
  for (const Entry* e : ops) {
    if (!granted(*e)) continue;
    grants.push_back(e);
    auto [it, added] = holder_of_token.try_emplace(e->op.token, e);
    if (!added && it->second->op.owner != e->op.owner) {
      violations.push_back("token " + std::to_string(e->op.token) + " granted to two owners:\n    " +
                           describe(*it->second) + "\n    " + describe(*e));
    }
  }
  for (const Entry* a : grants) {
    for (const Entry* b : grants) {
      if (a->complete >= b->invoke) continue;  // not ordered in real time
      const bool backwards = b->op.token < a->op.token;
      const bool same_on_change = b->op.owner != a->op.owner && b->op.token == a->op.token;
      if (backwards || same_on_change) {
        violations.push_back(std::string(backwards ? "fencing token went backwards"
                                                   : "token unchanged on a change of holder") +
                             ":\n    " + describe(*a) + "\n    then " + describe(*b));
      }
    }
  }
}

std::vector<Belief> beliefs(const std::vector<const Entry*>& ops) {
  std::vector<Belief> result;
  for (const Entry* e : ops) {
    const bool extended = is(*e, LockOp::Kind::kExtend, LockOp::Result::kExtended);
    if (granted(*e) || extended) {
      result.push_back(Belief{e, e->op.owner, e->complete, e->invoke + e->op.lease_ms * kNsPerMs});
    }
  }
  // An owner stops believing when it starts to unlock, whatever the answer
  // — unless the unlock failed: it released nothing, and the holding runs
  // on to the end of its lease.
  for (const Entry* e : ops) {
    if (e->op.kind != LockOp::Kind::kUnlock || e->outcome == Outcome::kFail) continue;
    for (Belief& b : result) {
      if (b.owner == e->op.owner && b.start <= e->invoke && e->invoke < b.end) b.end = e->invoke;
    }
  }
  return result;
}

// `everything` is `ops` with the failed operations, for the windows: a
// failed unlock in one explains why its owner still believed.
void check_exclusion(const std::vector<const Entry*>& ops, const std::vector<const Entry*>& everything,
                     std::vector<std::string>& violations) {
  const std::vector<Belief> all = beliefs(ops);
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      const Belief& a = all[i];
      const Belief& b = all[j];
      if (a.owner == b.owner || a.start >= a.end || b.start >= b.end) continue;
      if (a.start < b.end && b.start < a.end) {
        // The window: every operation on the lock from one lease before the
        // earlier grant until the overlap ends, to show how each owner got
        // there.
        const std::int64_t from =
            std::min(a.source->invoke, b.source->invoke) - a.source->op.lease_ms * kNsPerMs;
        const std::int64_t to = std::min(a.end, b.end);
        std::string window;
        int shown = 0;
        for (const Entry* e : everything) {
          if (e->invoke < from || e->invoke > to) continue;
          if (++shown > 40) break;
          window += "\n      " + describe(*e);
        }
        violations.push_back("two owners held the lock at once, from " +
                             format_time(std::max(a.start, b.start)) + " to " + format_time(to) + ":\n    " +
                             describe(*a.source) + "\n    " + describe(*b.source) +
                             "\n    operations in the window:" + window);
      }
    }
  }
}

void check_extends(const std::vector<const Entry*>& ops, std::vector<std::string>& violations) {
  for (const Entry* e : ops) {
    if (!is(*e, LockOp::Kind::kExtend, LockOp::Result::kExtended)) continue;
    bool token_known = false;
    bool token_matches = false;
    bool unknown_grant = false;
    for (const Entry* g : ops) {
      if (g->op.owner != e->op.owner || !may_have_granted(*g) || g->invoke >= e->complete) continue;
      if (g->outcome == Outcome::kUnknown) unknown_grant = true;
      if (granted(*g)) {
        token_known = true;
        token_matches = token_matches || g->op.token == e->op.token;
      }
    }
    if (!token_matches && !unknown_grant) {
      violations.push_back(std::string(token_known ? "extend answered with a token of no grant to its owner"
                                                   : "extend of a lock its owner never got") +
                           ":\n    " + describe(*e));
    }
    for (const Entry* g : ops) {
      if (granted(*g) && g->op.owner != e->op.owner && g->complete < e->invoke && g->op.token > e->op.token) {
        violations.push_back("extend of a holding that a later grant had replaced:\n    " + describe(*g) +
                             "\n    then " + describe(*e));
      }
    }
  }
}

void check_unlocks(const std::vector<const Entry*>& ops, std::vector<std::string>& violations) {
  for (const Entry* u : ops) {
    if (!is(*u, LockOp::Kind::kUnlock, LockOp::Result::kUnlocked)) continue;
    const bool held = std::any_of(ops.begin(), ops.end(), [&](const Entry* g) {
      return g->op.owner == u->op.owner && may_have_granted(*g) && g->invoke < u->complete;
    });
    if (!held) violations.push_back("unlock by an owner that never got the lock:\n    " + describe(*u));
    for (const Entry* b : ops) {
      if (!is(*b, LockOp::Kind::kLock, LockOp::Result::kBusy) || b->invoke <= u->complete) continue;
      const bool retaken = std::any_of(ops.begin(), ops.end(), [&](const Entry* q) {
        return q != b && may_have_granted(*q) && q->invoke < b->complete && q->complete > u->invoke;
      });
      if (!retaken) {
        violations.push_back("busy after an acknowledged unlock, with no grant in between:\n    " +
                             describe(*u) + "\n    then " + describe(*b));
      }
    }
  }
}

const char* name(LockOp::Result result) {
  switch (result) {
    case LockOp::Result::kNone: return "-";
    case LockOp::Result::kGranted: return "locked";
    case LockOp::Result::kBusy: return "busy";
    case LockOp::Result::kExtended: return "extended";
    case LockOp::Result::kUnlocked: return "unlocked";
    case LockOp::Result::kNotHeld: return "lockDoesNotExist";
    case LockOp::Result::kWrongOwner: return "invalidOwner";
  }
  return "?";
}

}  // namespace

std::string describe(const Recorded<LockOp>& entry) {
  const LockOp& op = entry.op;
  static const char* kinds[] = {"lock", "extend", "unlock"};
  std::string text = "p" + std::to_string(entry.process) + " " + kinds[static_cast<int>(op.kind)] + "(" +
                     op.resource + ", " + op.owner;
  if (op.kind != LockOp::Kind::kUnlock) text += ", " + std::to_string(op.lease_ms) + "ms";
  text += ")";
  if (entry.outcome == Outcome::kOk) {
    text += " -> " + std::string(name(op.result));
    if (op.result == LockOp::Result::kGranted || op.result == LockOp::Result::kExtended) {
      text += " token " + std::to_string(op.token);
    }
  } else {
    text += entry.outcome == Outcome::kFail ? " fail" : " unknown";
  }
  return text + " [" + format_time(entry.invoke) + ", " + format_time(entry.complete) + "]";
}

LockCheckResult check_locks(const std::vector<Recorded<LockOp>>& history) {
  // Failed operations did not happen: every check leaves them out.
  std::map<std::string, std::vector<const Entry*>> by_resource;
  std::map<std::string, std::vector<const Entry*>> everything_by_resource;
  for (const Entry& e : history) {
    everything_by_resource[e.op.resource].push_back(&e);
    if (e.outcome != Outcome::kFail) by_resource[e.op.resource].push_back(&e);
  }
  const auto by_invocation = [](const Entry* a, const Entry* b) { return a->invoke < b->invoke; };
  LockCheckResult result;
  for (auto& [resource, ops] : by_resource) {
    std::sort(ops.begin(), ops.end(), by_invocation);
    std::vector<const Entry*>& everything = everything_by_resource[resource];
    std::sort(everything.begin(), everything.end(), by_invocation);
    check_tokens(ops, result.violations);
    check_exclusion(ops, everything, result.violations);
    check_extends(ops, result.violations);
    check_unlocks(ops, result.violations);
  }
  result.ok = result.violations.empty();
  return result;
}

}  // namespace kahuna::faults
