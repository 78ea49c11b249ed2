// IoThreads: stopping runs the close callback on the context, waits for the
// work in flight, forces the context past the grace, destroys what was left
// with the context, and leaves no thread behind.
#include <kahuna/io_threads.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include <gtest/gtest.h>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Threads that have ended, counted by a thread_local whose destructor runs as
// its thread exits: before join() returns on it.
class ThreadExits {
 public:
  static ThreadExits& instance() {
    static ThreadExits exits;  // never destroyed before a counted thread ends
    return exits;
  }

  int count() {
    std::lock_guard lock(mutex_);
    return count_;
  }

  bool wait_for_count(int count, Clock::duration timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return count_ >= count; });
  }

  // Counts the calling thread when it ends.
  static void watch_this_thread() {
    struct Watch {
      bool on = false;
      ~Watch() {
        if (on) instance().add_one();
      }
    };
    thread_local Watch watch;
    watch.on = true;
  }

 private:
  void add_one() {
    std::lock_guard lock(mutex_);
    ++count_;
    changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
};

// Has each of the `n` threads of `threads` run one handler (they wait for each
// other, so no thread runs two), which watches its thread's exit.
void watch_every_thread(IoThreads& threads, int n) {
  auto all_in = std::make_shared<std::latch>(n + 1);
  for (int i = 0; i < n; ++i) {
    asio::post(threads.context(), [all_in] {
      ThreadExits::watch_this_thread();
      all_in->arrive_and_wait();
    });
  }
  all_in->arrive_and_wait();
}

// A request that never gets its answer; its frame holds `token`.
asio::awaitable<void> wait_forever(std::shared_ptr<int> token) {
  asio::steady_timer never(co_await asio::this_coro::executor, 1h);
  co_await never.async_wait(asio::use_awaitable);
  ++*token;
}

TEST(IoThreads, StopRunsTheCloseOnTheContextAndWaitsForTheWorkInFlight) {
  IoThreads threads(2, 5s);
  asio::steady_timer idle_connection(threads.context(), 1h);  // what the close callback ends
  asio::steady_timer request(threads.context(), 200ms);       // ends on its own
  std::atomic<bool> idle_closed{false};
  std::atomic<bool> request_answered{false};
  std::atomic<bool> close_ran_on_the_context{false};
  idle_connection.async_wait(
      [&](std::error_code error) { idle_closed = error == asio::error::operation_aborted; });
  request.async_wait([&](std::error_code error) { request_answered = !error; });
  ASSERT_TRUE(threads.start([&] {
    close_ran_on_the_context = threads.in_own_thread();
    idle_connection.cancel();
  }));

  const auto before = Clock::now();
  EXPECT_TRUE(threads.stop()) << "the work ran out within the grace";
  EXPECT_LT(Clock::now() - before, 4s) << "stop() waited for more than the work in flight";
  EXPECT_TRUE(close_ran_on_the_context);
  EXPECT_TRUE(idle_closed);
  EXPECT_TRUE(request_answered) << "stop() returned before the request in flight finished";
}

TEST(IoThreads, StopForcesTheContextPastTheGraceAndDestructionDestroysWhatWasLeft) {
  auto token = std::make_shared<int>(0);
  const std::weak_ptr<int> abandoned = token;
  {
    IoThreads threads(2, 100ms);
    asio::co_spawn(threads.context(), wait_forever(std::move(token)), asio::detached);
    ASSERT_TRUE(threads.start());

    const auto before = Clock::now();
    EXPECT_FALSE(threads.stop()) << "a request that never ends cannot drain";
    const auto took = Clock::now() - before;
    EXPECT_GE(took, 100ms) << "stop() did not wait for the grace";
    EXPECT_LT(took, 4s);
    EXPECT_FALSE(abandoned.expired()) << "the abandoned request lives until the context goes";
  }
  EXPECT_TRUE(abandoned.expired()) << "destroying the context did not destroy the abandoned request";
}

TEST(IoThreads, StoppingTwiceOrConcurrentlyIsHarmless) {
  IoThreads threads(2, 5s);
  asio::steady_timer request(threads.context(), 100ms);
  request.async_wait([](std::error_code) {});
  ASSERT_TRUE(threads.start());
  auto first = std::async(std::launch::async, [&] { return threads.stop(); });
  auto second = std::async(std::launch::async, [&] { return threads.stop(); });
  EXPECT_TRUE(first.get());
  EXPECT_TRUE(second.get());
  EXPECT_TRUE(threads.stop());
  threads.request_stop();

  IoThreads forced(1, 50ms);
  asio::co_spawn(forced.context(), wait_forever(std::make_shared<int>(0)), asio::detached);
  ASSERT_TRUE(forced.start());
  EXPECT_FALSE(forced.stop());
  EXPECT_FALSE(forced.stop()) << "a second stop() answers as the first";
}

TEST(IoThreads, DestructionWithoutStopWaitsForTheWorkInFlight) {
  std::atomic<bool> answered{false};
  {
    IoThreads threads(2, 5s);
    auto request = std::make_shared<asio::steady_timer>(threads.context(), 100ms);
    request->async_wait([request, &answered](std::error_code error) { answered = !error; });
    ASSERT_TRUE(threads.start());
  }
  EXPECT_TRUE(answered);
}

TEST(IoThreads, NeverStartedIsHarmlessAndAStopForbidsStarting) {
  { IoThreads never_started(2, 5s); }
  IoThreads threads(2, 5s);
  EXPECT_TRUE(threads.stop());
  EXPECT_FALSE(threads.start()) << "a stopped IoThreads must not start";
  IoThreads started(1, 5s);
  ASSERT_TRUE(started.start());
  EXPECT_FALSE(started.start()) << "started twice";
}

TEST(IoThreads, StopJoinsEveryThread) {
  constexpr int kThreads = 3;
  IoThreads threads(kThreads, 5s);
  ASSERT_TRUE(threads.start());
  const int ended_before = ThreadExits::instance().count();
  watch_every_thread(threads, kThreads);
  EXPECT_TRUE(threads.stop());
  EXPECT_EQ(ThreadExits::instance().count(), ended_before + kThreads) << "stop() returned with threads alive";
}

TEST(IoThreads, StopFromItsOwnThreadOnlyRequestsTheStop) {
  IoThreads threads(2, 5s);
  ASSERT_TRUE(threads.start());
  std::promise<bool> answer;
  asio::post(threads.context(), [&] { answer.set_value(threads.stop()); });
  EXPECT_FALSE(answer.get_future().get()) << "a thread cannot wait for its own handler nor join itself";
  EXPECT_FALSE(threads.in_own_thread());
  EXPECT_TRUE(threads.stop()) << "the stop it requested lets the work run out";
}

TEST(IoThreads, DestructionFromItsOwnThreadLeavesNoThreadBehind) {
  constexpr int kThreads = 2;
  auto threads = std::make_unique<IoThreads>(kThreads, 5s);
  ASSERT_TRUE(threads->start());
  const int ended_before = ThreadExits::instance().count();
  watch_every_thread(*threads, kThreads);
  auto token = std::make_shared<int>(0);
  const std::weak_ptr<int> abandoned = token;
  asio::co_spawn(threads->context(), wait_forever(std::move(token)), asio::detached);
  // The handler waits for post() to have returned: the context it destroys
  // is the one post() is still signalling.
  std::promise<void> posted;
  asio::io_context& context = threads->context();
  asio::post(context, [owned = std::move(threads), posted = posted.get_future()]() mutable {
    posted.wait();
    owned.reset();
  });
  posted.set_value();
  EXPECT_TRUE(ThreadExits::instance().wait_for_count(ended_before + kThreads, 5s))
      << "the threads of an IoThreads destroyed from one of them never ended";
  EXPECT_TRUE(abandoned.expired()) << "the last thread out did not destroy the context";
}

}  // namespace
}  // namespace kahuna
