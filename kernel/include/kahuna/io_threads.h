// IoThreads: an asio::io_context and the threads that run it, owned by a
// protocol plugin (see PluginContext in kahuna/plugin.h for why a plugin runs
// its own), with an orderly shutdown.
//
// Header-only on purpose: every member is compiled into the plugin that uses
// it, so the context is run, stopped and destroyed by the plugin's own copy
// of Asio, inside the plugin's library.
//
// Shutdown comes in two steps, because the host drains its kernel between
// them (ProtocolServer: stop(), then the host's io threads, then destruction):
//  - request_stop() never blocks: it posts the close callback given to
//    start() (which closes the listeners and connections) and releases the
//    work guard, so the threads return from run() once the closes and every
//    request in flight have finished.
//  - stop() waits for that, without polling, up to the grace; past it, it
//    stops the context, abandoning what is still queued. Then it joins.
// The destructor stops (if stop() was not called), then destroys the context
// and with it every handler still queued, abandoned coroutines included:
// that runs their destructors while the plugin's code is still loaded.
//
// The context must not be destroyed while an operation started elsewhere can
// still complete into it (a KernelApi call in flight). The host guarantees
// this: it joins its own io threads, which run every kernel operation, before
// it destroys a protocol server.
//
// From one of its own threads (a handler), nothing can be waited for: the
// caller's handler keeps the context busy and a thread cannot join itself.
// There stop() only requests the stop, and the destructor stops the context
// at once and leaves it to the threads: the last one to return from run()
// destroys it.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

namespace kahuna {

class IoThreads {
 public:
  // `grace`: how long stop() waits for the work left after the stop request.
  IoThreads(std::size_t thread_count, std::chrono::milliseconds grace)
      : thread_count_(thread_count),
        grace_(grace),
        loop_(std::make_shared<Loop>(static_cast<int>(thread_count))) {}

  ~IoThreads() {
    if (in_own_thread()) {
      abandon_to_own_threads();
    } else {
      stop();
    }
  }

  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  // Everything made on it must be destroyed before this object, or be owned
  // by the handlers queued on it.
  asio::io_context& context() noexcept { return loop_->io; }

  // Starts the threads. `close` runs once, on the context, when the stop is
  // requested. False (and nothing done) once started or stopped.
  bool start(std::function<void()> close = {}) {
    std::lock_guard lock(mutex_);
    if (phase_ != Phase::kNotStarted) return false;
    phase_ = Phase::kRunning;
    close_ = std::move(close);
    work_.emplace(loop_->io.get_executor());
    threads_.reserve(thread_count_);
    for (std::size_t i = 0; i < thread_count_; ++i) {
      // Counted before the thread exists, so that stop() never mistakes a
      // thread not yet started for one that has finished.
      loop_->add_running(+1);
      try {
        threads_.emplace_back(&IoThreads::run, loop_);
      } catch (...) {
        loop_->add_running(-1);
        throw;
      }
      thread_ids_.push_back(threads_.back().get_id());
    }
    return true;
  }

  // Posts the close callback and lets the threads return from run() once the
  // context has no work left. Any thread; never blocks; idempotent. Before
  // start(), it only forbids starting.
  void request_stop() {
    std::lock_guard lock(mutex_);
    if (phase_ == Phase::kStopRequested) return;
    const bool running = phase_ == Phase::kRunning;
    phase_ = Phase::kStopRequested;
    if (!running) return;
    // Posted before the guard goes, so that the threads cannot run out of
    // work before the closes have run.
    if (close_) asio::post(loop_->io, std::move(close_));
    close_ = nullptr;
    work_.reset();
  }

  // request_stop(), then waits up to the grace for the threads to run out of
  // work; past it, stops the context. Joins the threads. True when the work
  // ran out within the grace (or nothing ever ran). Idempotent; a second
  // call returns the first one's answer. From one of its own threads, only
  // requests the stop and returns false.
  bool stop() {
    request_stop();
    if (in_own_thread()) return false;
    std::lock_guard join_lock(join_mutex_);
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      threads.swap(threads_);
    }
    if (threads.empty()) return drained_;
    drained_ = loop_->wait_until_returned(std::chrono::steady_clock::now() + grace_);
    if (!drained_) loop_->io.stop();
    for (std::thread& thread : threads) thread.join();
    std::lock_guard lock(mutex_);
    thread_ids_.clear();
    return drained_;
  }

  // Whether the caller is one of the threads running the context.
  bool in_own_thread() const {
    std::lock_guard lock(mutex_);
    return std::find(thread_ids_.begin(), thread_ids_.end(), std::this_thread::get_id()) != thread_ids_.end();
  }

 private:
  enum class Phase { kNotStarted, kRunning, kStopRequested };

  // What the threads share with this object, and keep alive when it is
  // destroyed from one of them.
  struct Loop {
    explicit Loop(int concurrency_hint) : io(concurrency_hint) {}

    void add_running(int delta) {
      bool none_left = false;
      {
        std::lock_guard lock(mutex);
        running += delta;
        none_left = running == 0;
      }
      if (none_left) all_returned.notify_all();
    }
    // True when every thread has returned from run() by `deadline`.
    bool wait_until_returned(std::chrono::steady_clock::time_point deadline) {
      std::unique_lock lock(mutex);
      return all_returned.wait_until(lock, deadline, [this] { return running == 0; });
    }

    asio::io_context io;
    std::mutex mutex;
    std::condition_variable all_returned;
    int running = 0;  // threads counted in and not yet returned from run(); guarded by mutex
  };

  static void run(std::shared_ptr<Loop> loop) {
    loop->io.run();
    loop->add_running(-1);
  }

  // Destruction from a handler: the handler in progress is this thread's
  // last, and the others end after theirs; whatever is still queued is
  // destroyed with the context by the last thread out.
  void abandon_to_own_threads() {
    request_stop();
    loop_->io.stop();
    std::lock_guard lock(mutex_);
    for (std::thread& thread : threads_) thread.detach();
  }

  const std::size_t thread_count_;
  const std::chrono::milliseconds grace_;
  // Declared first so that it is released last, after the work guard.
  std::shared_ptr<Loop> loop_;

  mutable std::mutex mutex_;  // guards the members below, except drained_
  Phase phase_ = Phase::kNotStarted;
  std::function<void()> close_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::vector<std::thread::id> thread_ids_;

  std::mutex join_mutex_;  // one stop() joins at a time; guards drained_
  bool drained_ = true;
};

}  // namespace kahuna
