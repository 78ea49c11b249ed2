// AsyncLatch: lets a coroutine wait until a number of others have finished,
// all on one executor that runs no two handlers at once (so no locking).
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <cstddef>
#include <system_error>

namespace kahuna::bench {

class AsyncLatch {
 public:
  explicit AsyncLatch(asio::any_io_executor executor)
      : wakeup_(std::move(executor), asio::steady_timer::time_point::max()) {}

  void add(std::size_t count = 1) { pending_ += count; }
  // One finished; the last one wakes the waiter.
  void done() {
    if (pending_ > 0 && --pending_ == 0) wakeup_.cancel();
  }
  std::size_t pending() const { return pending_; }

  // Returns once pending() is zero.
  asio::awaitable<void> wait() {
    while (pending_ > 0) {
      std::error_code ignored;
      co_await wakeup_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
  }

 private:
  asio::steady_timer wakeup_;
  std::size_t pending_ = 0;
};

}  // namespace kahuna::bench
