// The Kernel's lock operations (HTTP-API.md §5), and acquire-with-wait.
#include <asio/this_coro.hpp>

#include "api/forwarding.h"
#include "api/kernel_serve.h"
#include "services/storage/engine_state_reader.h"

namespace kahuna {
namespace {

const LockReply kLockMustRetry{LockCode::kMustRetry};
const LockReply kLockErrored{LockCode::kErrored};

// A lock's identity is its resource and durability (HTTP-API.md §5).
std::string waiter_key(const LockRequest& request) {
  return std::string(1, static_cast<char>(request.durability)) + request.resource;
}

}  // namespace

asio::awaitable<Routed<LockReply>> Kernel::lock_command(services::CommandBody body,
                                                        const LockRequest& request,
                                                        const CallOptions& options,
                                                        ForwardFn<LockReply> forward) {
  const bool is_unlock = std::holds_alternative<services::LockUnlock>(body);
  co_return co_await serve(
      partition_of_lock(request.resource), options, kLockMustRetry, kLockErrored,
      [&](PartitionService& service,
          Clock::time_point deadline) -> asio::awaitable<std::pair<ServeFailure, LockReply>> {
        services::Reply reply;
        ServeFailure failure = request.durability == Durability::kPersistent
                                   ? co_await service.propose(body, options.request_id, deadline, reply)
                                   : service.apply_ephemeral(body, reply);
        LockReply out = reply_as(reply, kLockErrored);
        if (failure == ServeFailure::kNone && is_unlock && out.code == LockCode::kUnlocked) {
          service.waiters().notify(waiter_key(request));
        }
        co_return std::pair{failure, out};
      },
      std::move(forward));
}

asio::awaitable<Routed<LockReply>> Kernel::try_lock(LockRequest request, CallOptions options) {
  options = with_request_id(options);
  auto forward = forward_as<Routed<LockReply>>(forwarder_, wire::TryLock{request}, options);
  services::CommandBody body = services::LockTryLock{request.resource, request.owner, request.expires_ms};
  co_return co_await lock_command(std::move(body), request, options, std::move(forward));
}

asio::awaitable<Routed<LockReply>> Kernel::try_extend(LockRequest request, CallOptions options) {
  options = with_request_id(options);
  auto forward = forward_as<Routed<LockReply>>(forwarder_, wire::TryExtendLock{request}, options);
  services::CommandBody body = services::LockTryExtend{request.resource, request.owner, request.expires_ms};
  co_return co_await lock_command(std::move(body), request, options, std::move(forward));
}

asio::awaitable<Routed<LockReply>> Kernel::unlock(LockRequest request, CallOptions options) {
  options = with_request_id(options);
  auto forward = forward_as<Routed<LockReply>>(forwarder_, wire::Unlock{request}, options);
  services::CommandBody body = services::LockUnlock{request.resource, request.owner};
  co_return co_await lock_command(std::move(body), request, options, std::move(forward));
}

asio::awaitable<std::pair<ServeFailure, LockReply>> Kernel::lock_info_here(PartitionService& service,
                                                                           const LockRequest& request,
                                                                           Clock::time_point deadline,
                                                                           bool barrier) {
  LockReply reply = kLockErrored;
  if (request.durability == Durability::kEphemeral) {
    ServeFailure failure = service.read_ephemeral([&](const services::StateReader& state, HlcTimestamp now) {
      if (!service.machine().locks().get_info(state, request.resource, now, reply)) reply = kLockErrored;
    });
    co_return std::pair{failure, reply};
  }
  if (barrier) {
    if (ServeFailure failure = co_await service.read_barrier(deadline); failure != ServeFailure::kNone) {
      co_return std::pair{failure, reply};
    }
  }
  services::EngineStateReader reader(service.engine());
  if (!service.machine().locks().get_info(reader, request.resource, service.clock().now(), reply)) {
    co_return std::pair{ServeFailure::kFailed, kLockErrored};
  }
  co_return std::pair{ServeFailure::kNone, reply};
}

asio::awaitable<Routed<LockReply>> Kernel::get_lock(LockRequest request, CallOptions options) {
  options.request_id = {};  // a read: nothing to apply once, always safe to resend
  const std::uint32_t partition = partition_of_lock(request.resource);
  if (options.consistency == ReadConsistency::kLocal && request.durability == Durability::kPersistent) {
    LockReply reply = kLockErrored;
    services::EngineStateReader reader(engine_);
    if (!partitions_.at(partition)->machine().locks().get_info(reader, request.resource, clock_.now(),
                                                               reply)) {
      reply = kLockErrored;
    }
    co_return read_here<LockReply>(partition, [&](PartitionService&) { return reply; });
  }
  auto forward = forward_as<Routed<LockReply>>(forwarder_, wire::GetLock{request}, options);
  co_return co_await serve(
      partition, options, kLockMustRetry, kLockErrored,
      [&](PartitionService& service, Clock::time_point deadline) {
        return lock_info_here(service, request, deadline, /*barrier=*/true);
      },
      std::move(forward));
}

asio::awaitable<std::pair<ServeFailure, LockReply>> Kernel::try_lock_here(PartitionService& service,
                                                                          const LockRequest& request,
                                                                          RequestId attempt,
                                                                          Clock::time_point deadline) {
  services::Reply reply;
  services::CommandBody body = services::LockTryLock{request.resource, request.owner, request.expires_ms};
  ServeFailure failure = request.durability == Durability::kPersistent
                             ? co_await service.propose(std::move(body), attempt, deadline, reply)
                             : service.apply_ephemeral(std::move(body), reply);
  co_return std::pair{failure, reply_as(reply, kLockErrored)};
}

asio::awaitable<Routed<LockReply>> Kernel::lock(LockRequest request, std::chrono::milliseconds wait,
                                                CallOptions options) {
  options = with_request_id(options);
  const auto wait_until = Clock::now() + std::max(wait, std::chrono::milliseconds(0));
  // The leader waits for the lock itself, then needs its usual time to
  // answer: each forward carries what is left of the wait, and a timeout
  // without it (the leader adds it back).
  ForwardFn<LockReply> forward = [this, request, options, wait_until](
                                     std::uint64_t leader, std::chrono::milliseconds timeout,
                                     AbandonWhen abandon) -> asio::awaitable<Forwarded<Routed<LockReply>>> {
    const auto left =
        std::max(std::chrono::duration_cast<std::chrono::milliseconds>(wait_until - Clock::now()),
                 std::chrono::milliseconds(0));
    auto attempt =
        forward_as<Routed<LockReply>>(forwarder_, wire::Lock{request, wire_wait_ms(left)}, options);
    co_return co_await attempt(leader, std::max(timeout - left, std::chrono::milliseconds(1)),
                               std::move(abandon));
  };
  options.timeout += wait;
  co_return co_await serve(
      partition_of_lock(request.resource), options, kLockMustRetry, kLockErrored,
      [&](PartitionService& service,
          Clock::time_point deadline) -> asio::awaitable<std::pair<ServeFailure, LockReply>> {
        // Each try is a request of its own, numbered in order, so a resent
        // lock call replays the same tries: a try that was granted the first
        // time answers "locked" again instead of queueing behind itself.
        RequestId attempt = options.request_id;
        attempt.part = 1;
        auto result = co_await try_lock_here(service, request, attempt, deadline);
        if (result.first != ServeFailure::kNone || result.second.code != LockCode::kBusy ||
            Clock::now() >= wait_until) {
          co_return result;
        }
        const std::string key = waiter_key(request);
        LockWaiters& waiters = service.waiters();
        const LockWaiters::Handle waiter = waiters.join(key, co_await asio::this_coro::executor);
        for (;;) {
          auto until = wait_until;
          if (waiters.at_head(key, waiter)) {
            ++attempt.part;
            result = co_await try_lock_here(service, request, attempt, deadline);
            if (result.first != ServeFailure::kNone || result.second.code != LockCode::kBusy) break;
            // Sleep until the holder's lease runs out, unless a release wakes us first.
            auto info = co_await lock_info_here(service, request, deadline, /*barrier=*/false);
            if (info.first == ServeFailure::kNone && info.second.code == LockCode::kGot) {
              const auto remaining = std::chrono::milliseconds(info.second.expires.physical -
                                                               service.clock().now().physical + 1);
              until = std::min(until, Clock::now() + std::max(remaining, std::chrono::milliseconds(1)));
            } else {
              until = std::min(until, Clock::now() + std::chrono::milliseconds(1));
            }
          }
          if (Clock::now() >= wait_until) break;
          co_await LockWaiters::sleep(waiter, until);
          if (!service.leads() || stopping()) {
            result = {ServeFailure::kRetry, kLockMustRetry};
            break;
          }
        }
        waiters.leave(key, waiter);
        co_return result;
      },
      std::move(forward));
}

}  // namespace kahuna
