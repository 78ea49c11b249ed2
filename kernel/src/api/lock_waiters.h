// LockWaiters: the leader's queue of acquire-with-wait requests, per lock.
//
// A request that finds a lock busy joins the lock's queue and sleeps until it
// reaches the head and either the lock is released here (notify()) or the
// holder's lease runs out; only the head retries, so waiters are granted in
// arrival order and a release wakes exactly one of them, at once. Leaving the
// queue (granted, deadline passed, leadership lost) wakes the next waiter.
//
// Thread safe: the queues are guarded by a mutex, and a waiter sleeps on its
// own concurrent channel, which any thread may signal.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/experimental/concurrent_channel.hpp>

namespace kahuna {

class LockWaiters {
 public:
  using Clock = std::chrono::steady_clock;

  struct Waiter {
    explicit Waiter(asio::any_io_executor executor) : wake(executor, 1) {}
    asio::experimental::concurrent_channel<void(std::error_code, bool)>
        wake;  // bool: unused (a one-argument signature trips asio 1.22)
  };
  using Handle = std::shared_ptr<Waiter>;

  // Joins the queue of `lock` (a resource and its durability).
  Handle join(const std::string& lock, asio::any_io_executor executor);
  // Leaves the queue; the next waiter, if this one was the head, is woken.
  void leave(const std::string& lock, const Handle& waiter);
  bool at_head(const std::string& lock, const Handle& waiter) const;

  // Sleeps until woken or `until`, whichever comes first.
  static asio::awaitable<void> sleep(const Handle& waiter, Clock::time_point until);

  // The lock was released: wake the head of its queue.
  void notify(const std::string& lock);
  // Wakes every waiter (leadership lost): each retries and finds out.
  void notify_all();

  std::size_t waiting() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::deque<Handle>> queues_;
};

}  // namespace kahuna
