// LockHandle: a distributed lock held for the lifetime of an object.
//
//   auto handle = client.lock("jobs/42", std::chrono::seconds(10), std::chrono::seconds(5));
//   if (handle && handle->owns_lock()) {
//     write_guarded_by(handle->fencing_token());
//   }  // released here
//
// While it owns the lock, the handle extends the lease in the background
// every lease/3. If an extend is refused (the lease expired and someone else
// took the lock) or keeps failing until the lease has run out, the handle
// is lost: lost() turns true and the on_lost callback runs once. A lost
// handle no longer protects anything; the fencing token is what lets the
// protected resource refuse a stale holder's writes.
//
// Movable, not copyable. Any thread may read its state.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <asio/awaitable.hpp>

#include <kahuna/client/replies.h>
#include <kahuna/client/result.h>
#include <kahuna/service_types.h>

namespace kahuna::client {

namespace detail {
struct LockState;
}

class Client;

class LockHandle {
 public:
  // A handle that owns nothing.
  LockHandle() = default;
  explicit LockHandle(std::shared_ptr<detail::LockState> state);
  LockHandle(LockHandle&& other) noexcept = default;
  // Releases what this handle owned, then takes over `other`'s lock.
  LockHandle& operator=(LockHandle&& other) noexcept;
  LockHandle(const LockHandle&) = delete;
  LockHandle& operator=(const LockHandle&) = delete;

  // Releases the lock if still owned. A handle from the blocking Client
  // waits for the unlock (up to the call deadline) unless destroyed on the
  // client's own thread; one from AsyncClient starts the unlock and returns.
  // After the client was shut down, does nothing (the lease then expires).
  ~LockHandle();

  // True while the lock was acquired and neither released nor lost.
  bool owns_lock() const noexcept;
  explicit operator bool() const noexcept { return owns_lock(); }

  // The acquire's outcome: locked, or busy (held by another owner), invalidInput...
  LockCode code() const noexcept;
  // The fencing token of this grant (meaningful when code() is locked).
  std::int64_t fencing_token() const noexcept;
  const std::string& resource() const noexcept;
  const std::string& owner() const noexcept;

  // True once the lease could not be kept.
  bool lost() const noexcept;

  // Stops extending and unlocks: unlocked, or lockDoesNotExist/invalidOwner
  // when the lease had already gone. Calling it again, or on a handle that
  // owns nothing, returns lockDoesNotExist without a call. Must be awaited
  // on the client's executor.
  asio::awaitable<Result<LockResult>> async_release();

  // The same, blocking: must not be called on the thread that runs the
  // client's executor (it would wait for itself). Made for handles from the
  // blocking Client.
  Result<LockResult> release();

 private:
  friend class Client;  // marks its handles as waiting for the unlock on destruction
  std::shared_ptr<detail::LockState> state_;
};

}  // namespace kahuna::client
