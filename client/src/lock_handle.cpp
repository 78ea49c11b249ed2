#include <kahuna/client/lock_handle.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/use_future.hpp>

#include "client_core.h"
#include "lock_state.h"

namespace kahuna::client {

namespace {

const std::string& empty_text() {
  static const std::string empty;
  return empty;
}

bool on_blocking_io_thread(const detail::LockState& state) {
  return state.blocking_io_thread && *state.blocking_io_thread == std::this_thread::get_id();
}

// Unlocks what `state` owns without waiting, or waiting when it belongs to
// the blocking Client and we are not on its thread.
void release_on_drop(const std::shared_ptr<detail::LockState>& state) {
  if (!state || !state->acquired.load() || state->released.load() || state->lost.load()) return;
  if (state->core->closed()) return;  // its executor may be gone; the lease expires on its own
  const auto executor = state->core->executor();
  if (state->blocking_io_thread && !on_blocking_io_thread(*state)) {
    try {
      auto done = asio::co_spawn(executor, detail::release_lock(state), asio::use_future);
      (void)done.get();
    } catch (...) {
      // A destructor must not throw; the lease then simply expires.
    }
    return;
  }
  asio::co_spawn(executor, detail::release_lock(state), asio::detached);
}

}  // namespace

LockHandle::LockHandle(std::shared_ptr<detail::LockState> state) : state_(std::move(state)) {}

LockHandle& LockHandle::operator=(LockHandle&& other) noexcept {
  if (this != &other) {
    release_on_drop(state_);
    state_ = std::move(other.state_);
  }
  return *this;
}

LockHandle::~LockHandle() { release_on_drop(state_); }

bool LockHandle::owns_lock() const noexcept {
  return state_ && state_->acquired.load() && !state_->released.load() && !state_->lost.load();
}

LockCode LockHandle::code() const noexcept { return state_ ? state_->code : LockCode::kLockDoesNotExist; }

std::int64_t LockHandle::fencing_token() const noexcept { return state_ ? state_->fencing_token : 0; }

const std::string& LockHandle::resource() const noexcept {
  return state_ ? state_->request.resource : empty_text();
}

const std::string& LockHandle::owner() const noexcept {
  return state_ ? state_->request.owner : empty_text();
}

bool LockHandle::lost() const noexcept { return state_ && state_->lost.load(); }

asio::awaitable<Result<LockResult>> LockHandle::async_release() {
  std::shared_ptr<detail::LockState> state = state_;
  if (!state) {
    LockResult none;
    none.code = LockCode::kLockDoesNotExist;
    co_return none;
  }
  Result<LockResult> released = co_await detail::release_lock(std::move(state));
  co_return released;
}

Result<LockResult> LockHandle::release() {
  if (!state_ || !state_->acquired.load() || state_->released.load()) {
    LockResult none;
    none.code = LockCode::kLockDoesNotExist;
    return none;
  }
  if (state_->core->closed()) return Error{ErrorKind::kClosed, "the client was shut down"};
  if (on_blocking_io_thread(*state_)) {
    return Error{ErrorKind::kInvalidArgument, "release() would wait for its own thread; use async_release()"};
  }
  try {
    return asio::co_spawn(state_->core->executor(), detail::release_lock(state_), asio::use_future).get();
  } catch (const std::exception& e) {
    return Error{ErrorKind::kClosed, e.what()};
  }
}

}  // namespace kahuna::client
