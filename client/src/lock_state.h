// LockState: what a LockHandle and its background extend share.
//
// The flags read by the handle's accessors are atomic so any thread may ask;
// everything else (the timer, `stopped`, the lease end) is touched only on
// the client's executor.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>

#include <kahuna/client/replies.h>
#include <kahuna/client/result.h>
#include <kahuna/types.h>

namespace kahuna::client::detail {

class ClientCore;

struct LockState {
  LockState(std::shared_ptr<ClientCore> core, LockRequest request, std::function<void()> on_lost);

  // Stops the background extend (executor only).
  void stop();
  // The lease could not be kept: flags it and runs on_lost once (executor only).
  void mark_lost();

  const std::shared_ptr<ClientCore> core;
  const LockRequest request;  // resource, owner, lease, durability
  const std::function<void()> on_lost;

  LockCode code = LockCode::kErrored;  // the acquire's outcome; set before the handle is shared
  std::int64_t fencing_token = 0;
  // Set for handles of the blocking Client: the thread of its executor, on
  // which a destructor must not wait for the unlock.
  std::optional<std::thread::id> blocking_io_thread{};

  std::atomic<bool> acquired{false};
  std::atomic<bool> released{false};
  std::atomic<bool> lost{false};

  bool stopped = false;
  std::chrono::steady_clock::time_point lease_end{};
  asio::steady_timer timer;
};

// Extends the lease every lease/3 until stopped; marks the lock lost when an
// extend is refused or the lease runs out before one succeeds.
asio::awaitable<void> keep_lock(std::shared_ptr<LockState> state);

// Stops extending and unlocks (once; later calls answer lockDoesNotExist).
asio::awaitable<Result<LockResult>> release_lock(std::shared_ptr<LockState> state);

}  // namespace kahuna::client::detail
