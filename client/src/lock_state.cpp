#include "lock_state.h"

#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

#include "client_core.h"
#include "reply_cast.h"

namespace kahuna::client::detail {

LockState::LockState(std::shared_ptr<ClientCore> core_in, LockRequest request_in,
                     std::function<void()> on_lost_in)
    : core(std::move(core_in)),
      request(std::move(request_in)),
      on_lost(std::move(on_lost_in)),
      timer(core->executor()) {}

void LockState::stop() {
  stopped = true;
  timer.cancel();
}

void LockState::mark_lost() {
  if (lost.exchange(true)) return;
  stopped = true;
  if (on_lost) on_lost();
}

asio::awaitable<void> keep_lock(std::shared_ptr<LockState> state) {
  using Clock = std::chrono::steady_clock;
  const std::shared_ptr<ClientCore> core = state->core;
  const auto lease = std::chrono::milliseconds(state->request.expires_ms);
  const auto interval = std::max(lease / 3, std::chrono::milliseconds(1));
  while (!state->stopped) {
    state->timer.expires_after(interval);
    std::error_code ignored;
    co_await state->timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    if (state->stopped || core->closed()) co_return;

    const auto sent_at = Clock::now();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(state->lease_end - sent_at);
    if (left.count() <= 0) {
      state->mark_lost();
      co_return;
    }
    // Retrying past the lease's end is pointless: by then it is gone.
    CoreCall call;
    call.body = wire::TryExtendLock{state->request};
    call.target = CallTarget::key(state->request.resource);
    call.deadline = left;
    Result<wire::Response> raw = co_await core->call(std::move(call));
    Result<LockResult> reply = routed_reply_as<LockReply>(std::move(raw));
    if (state->stopped) co_return;
    if (reply && reply->code == LockCode::kExtended) {
      state->lease_end = sent_at + lease;
      continue;
    }
    if (!reply && reply.error().kind == ErrorKind::kClosed) co_return;
    state->mark_lost();
    co_return;
  }
}

asio::awaitable<Result<LockResult>> release_lock(std::shared_ptr<LockState> state) {
  if (!state->acquired.load() || state->released.exchange(true)) {
    LockResult none;
    none.code = LockCode::kLockDoesNotExist;
    co_return none;
  }
  state->stop();
  LockRequest request = state->request;
  request.expires_ms = 0;
  CoreCall call;
  call.body = wire::Unlock{std::move(request)};
  call.target = CallTarget::key(state->request.resource);
  call.deadline = state->core->deadline_of({});
  Result<wire::Response> raw = co_await state->core->call(std::move(call));
  co_return routed_reply_as<LockReply>(std::move(raw));
}

}  // namespace kahuna::client::detail
