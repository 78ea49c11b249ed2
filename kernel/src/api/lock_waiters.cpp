#include "api/lock_waiters.h"

#include <algorithm>

#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna {

LockWaiters::Handle LockWaiters::join(const std::string& lock, asio::any_io_executor executor) {
  auto waiter = std::make_shared<Waiter>(std::move(executor));
  std::lock_guard guard(mutex_);
  queues_[lock].push_back(waiter);
  return waiter;
}

void LockWaiters::leave(const std::string& lock, const Handle& waiter) {
  std::lock_guard guard(mutex_);
  auto it = queues_.find(lock);
  if (it == queues_.end()) return;
  auto& queue = it->second;
  const bool was_head = !queue.empty() && queue.front() == waiter;
  queue.erase(std::remove(queue.begin(), queue.end(), waiter), queue.end());
  if (queue.empty()) {
    queues_.erase(it);
  } else if (was_head) {
    queue.front()->wake.try_send(std::error_code{}, true);
  }
}

bool LockWaiters::at_head(const std::string& lock, const Handle& waiter) const {
  std::lock_guard guard(mutex_);
  auto it = queues_.find(lock);
  return it != queues_.end() && !it->second.empty() && it->second.front() == waiter;
}

asio::awaitable<void> LockWaiters::sleep(const Handle& waiter, Clock::time_point until) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer timer(co_await asio::this_coro::executor, until);
  co_await (waiter->wake.async_receive(asio::experimental::as_tuple(asio::use_awaitable)) ||
            timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable)));
}

void LockWaiters::notify(const std::string& lock) {
  std::lock_guard guard(mutex_);
  auto it = queues_.find(lock);
  if (it != queues_.end() && !it->second.empty()) it->second.front()->wake.try_send(std::error_code{}, true);
}

void LockWaiters::notify_all() {
  std::lock_guard guard(mutex_);
  for (auto& [lock, queue] : queues_) {
    for (auto& waiter : queue) waiter->wake.try_send(std::error_code{}, true);
  }
}

std::size_t LockWaiters::waiting() const {
  std::lock_guard guard(mutex_);
  std::size_t count = 0;
  for (const auto& [lock, queue] : queues_) count += queue.size();
  return count;
}

}  // namespace kahuna
