// The lock process (workloads.h).
#include <random>
#include <thread>

#include "fault_client.h"
#include "workloads.h"

namespace kahuna::faults {
namespace {

LockOp::Result result_of(LockCode code) {
  switch (code) {
    case LockCode::kLocked: return LockOp::Result::kGranted;
    case LockCode::kBusy: return LockOp::Result::kBusy;
    case LockCode::kExtended: return LockOp::Result::kExtended;
    case LockCode::kUnlocked: return LockOp::Result::kUnlocked;
    case LockCode::kLockDoesNotExist: return LockOp::Result::kNotHeld;
    case LockCode::kInvalidOwner: return LockOp::Result::kWrongOwner;
    default: return LockOp::Result::kNone;  // mustRetry, outcomeUnknown, errored: no result
  }
}

Recorded<LockOp> perform(FaultClient& client, int node, const ProcessContext& context, LockOp op,
                         History<LockOp>& history) {
  const int process = context.process;
  const std::size_t index = history.invoke(process, op);
  LockRequest request{op.resource, op.owner, op.lease_ms, Durability::kPersistent};
  wire::Request wire_request;
  switch (op.kind) {
    case LockOp::Kind::kLock: wire_request.body = wire::TryLock{request}; break;
    case LockOp::Kind::kExtend: wire_request.body = wire::TryExtendLock{request}; break;
    case LockOp::Kind::kUnlock: wire_request.body = wire::Unlock{request}; break;
  }
  const Answer answer = client.call(node, wire_request, context.timeout);
  Outcome outcome = answer.sent ? Outcome::kUnknown : Outcome::kFail;
  if (answer.response) {
    if (const auto* routed = std::get_if<Routed<LockReply>>(&*answer.response)) {
      op.result = result_of(routed->reply.code);
      op.token = routed->reply.fencing_token;
      if (op.result != LockOp::Result::kNone) outcome = Outcome::kOk;
      // Strict: not applied and never will be. Lenient: unknown.
      if (routed->reply.code == LockCode::kMustRetry) outcome = must_retry_outcome(context.strictness);
    }
  }
  history.complete(index, outcome, op);
  return Recorded<LockOp>{process, 0, 0, outcome, op};
}

}  // namespace

void run_lock_process(const ProcessContext& context, const std::string& resource, std::int64_t lease_ms,
                      const std::atomic<bool>& stopping, History<LockOp>& history) {
  std::mt19937_64 random(context.seed);
  FaultClient client(context.endpoints);
  // A request without an answer may still take effect much later: a forward
  // held up on a hung peer link reaches the leader after the link heals, and
  // is stamped, granted and given a fresh lease then. If this process then
  // asked again under the same name, the server would rightly answer
  // `locked` to a re-lock of that grant without extending its lease (HTTP-API
  // §5), and the lease would end before the one this process believes in.
  // So after any request with an unknown outcome the process continues
  // under a new owner name; a late grant then belongs to a name nobody uses.
  //
  // A failed request (never sent, or `mustRetry` in strict mode) did not
  // happen and never will, so the name stays: a failed try-lock changed
  // nothing, a failed extend left the grant on its first lease (the process
  // goes on to unlock it), and after a failed unlock the grant is still
  // live, so the process waits its lease out before asking again under the
  // same name. Keeping the name is what makes a broken promise visible: a
  // `mustRetry` command applied after all grants, extends or releases a
  // holding of a name still in use, and the checker sees two owners at once
  // or a `busy` no grant explains.
  int generation = 0;
  std::string owner = "owner" + std::to_string(context.process) + "." + std::to_string(generation);
  auto next_owner = [&] {
    owner = "owner" + std::to_string(context.process) + "." + std::to_string(++generation);
  };
  auto node = [&] { return static_cast<int>(random() % context.endpoints.size()) + 1; };
  auto pause = [&](std::int64_t from_ms, std::int64_t to_ms) {
    std::this_thread::sleep_for(
        std::chrono::milliseconds(from_ms + static_cast<std::int64_t>(random() % (to_ms - from_ms + 1))));
  };
  // Lets a grant of ours that may be live run out: one lease, plus a margin,
  // from now (after the answer to the last request that could have
  // renewed it).
  auto settle = [&] { std::this_thread::sleep_for(std::chrono::milliseconds(lease_ms + 100)); };
  auto call = [&](LockOp::Kind kind, std::int64_t lease) {
    return perform(client, node(), context, LockOp{kind, resource, owner, lease}, history);
  };
  while (!stopping) {
    const auto lock = call(LockOp::Kind::kLock, lease_ms);
    if (lock.outcome == Outcome::kUnknown) {
      next_owner();
      settle();
      continue;
    }
    if (lock.outcome == Outcome::kFail || lock.op.result != LockOp::Result::kGranted) {
      pause(10, 60);
      continue;
    }
    pause(10, lease_ms / 3);
    if (random() % 2 == 0) {
      const auto extend = call(LockOp::Kind::kExtend, lease_ms);
      if (extend.outcome == Outcome::kUnknown) {
        next_owner();
        settle();
        continue;
      }
      if (extend.outcome == Outcome::kOk) pause(10, lease_ms / 3);
    }
    const auto unlock = call(LockOp::Kind::kUnlock, 0);
    // Without an answer the grant may be live or released, and may be
    // released late: a new name. After a failed unlock it is live until its
    // lease ends: wait for that.
    if (unlock.outcome == Outcome::kUnknown) next_owner();
    if (unlock.outcome != Outcome::kOk) settle();
  }
}

}  // namespace kahuna::faults
