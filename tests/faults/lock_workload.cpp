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
    default: return LockOp::Result::kNone;  // mustRetry, errored: unknown
  }
}

Recorded<LockOp> perform(FaultClient& client, int node, int process, LockOp op, std::chrono::milliseconds timeout,
                         History<LockOp>& history) {
  const std::size_t index = history.invoke(process, op);
  LockRequest request{op.resource, op.owner, op.lease_ms, Durability::kPersistent};
  wire::Request wire_request;
  switch (op.kind) {
    case LockOp::Kind::kLock: wire_request.body = wire::TryLock{request}; break;
    case LockOp::Kind::kExtend: wire_request.body = wire::TryExtendLock{request}; break;
    case LockOp::Kind::kUnlock: wire_request.body = wire::Unlock{request}; break;
  }
  const Answer answer = client.call(node, wire_request, timeout);
  Outcome outcome = answer.sent ? Outcome::kUnknown : Outcome::kFail;
  if (answer.response) {
    if (const auto* routed = std::get_if<Routed<LockReply>>(&*answer.response)) {
      op.result = result_of(routed->reply.code);
      op.token = routed->reply.fencing_token;
      if (op.result != LockOp::Result::kNone) outcome = Outcome::kOk;
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
  // So after any request without a definite answer the process continues
  // under a new owner name; a late grant then belongs to a name nobody uses.
  int generation = 0;
  std::string owner = "owner" + std::to_string(context.process) + "." + std::to_string(generation);
  auto next_owner = [&] {
    owner = "owner" + std::to_string(context.process) + "." + std::to_string(++generation);
  };
  auto node = [&] { return static_cast<int>(random() % context.endpoints.size()) + 1; };
  auto pause = [&](std::int64_t from_ms, std::int64_t to_ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(from_ms + static_cast<std::int64_t>(random() % (to_ms - from_ms + 1))));
  };
  // After an unknown outcome a grant of ours may be live: let it run out.
  auto settle = [&] { std::this_thread::sleep_for(std::chrono::milliseconds(lease_ms + 100)); };
  while (!stopping) {
    const auto lock = perform(client, node(), context.process, LockOp{LockOp::Kind::kLock, resource, owner, lease_ms},
                              context.timeout, history);
    if (lock.outcome != Outcome::kOk) {
      next_owner();
      if (lock.outcome == Outcome::kUnknown) settle();
      continue;
    }
    if (lock.op.result != LockOp::Result::kGranted) {
      pause(10, 60);
      continue;
    }
    pause(10, lease_ms / 3);
    if (random() % 2 == 0) {
      const auto extend = perform(client, node(), context.process,
                                  LockOp{LockOp::Kind::kExtend, resource, owner, lease_ms}, context.timeout, history);
      if (extend.outcome != Outcome::kOk) {
        next_owner();
        settle();
        continue;
      }
      pause(10, lease_ms / 3);
    }
    const auto unlock = perform(client, node(), context.process, LockOp{LockOp::Kind::kUnlock, resource, owner, 0},
                                context.timeout, history);
    // Without an answer the grant may still be live, and also when the
    // unlock never left (its node is down).
    if (unlock.outcome != Outcome::kOk) {
      next_owner();
      settle();
    }
  }
}

}  // namespace kahuna::faults
