// LogWriter: the node's single durable-write path.
//
// Callers (coroutines on io threads) hand it write batches and await their
// completion; a dedicated thread drains everything queued, merges it into one
// batch and commits it with one write and at most one sync (group commit).
// Under load, N concurrent writers cost one fsync rather than N, which is
// what lets throughput scale with concurrency on a disk whose fsync takes
// half a millisecond. No io thread ever blocks on the disk.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>

#include <kahuna/status.h>
#include <kahuna/storage_engine.h>
#include <kahuna/write_batch.h>

#include "storage/histogram.h"

namespace kahuna {

class LogWriter {
 public:
  struct Options {
    // A commit stops merging queued batches once it holds this many bytes;
    // the rest go into the next commit. Bounds the memory of one commit and
    // the latency a huge backlog adds to the first writers in it.
    std::size_t max_commit_bytes = 64u << 20;
  };

  // Counters since start; read them at any time.
  struct Stats {
    std::atomic<std::uint64_t> requests{0};        // batches completed
    std::atomic<std::uint64_t> commits{0};         // engine writes issued
    std::atomic<std::uint64_t> synced_commits{0};  // of which with sync
    std::atomic<std::uint64_t> failed_requests{0};
    std::atomic<std::uint64_t> largest_commit{0};  // most requests merged into one commit
    // Seconds each synced engine write took (the fsync latency clients feel).
    AtomicHistogram<12> synced_write_seconds{
        {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0}};
    // Requests merged into each commit.
    AtomicHistogram<11> commit_requests{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}};
  };

  // `engine` must outlive the writer. Starts the writer thread.
  explicit LogWriter(StorageEngine& engine) : LogWriter(engine, Options{}) {}
  LogWriter(StorageEngine& engine, Options options);
  ~LogWriter();  // stop()

  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // Queues `batch`. The handler, called as void(Status) on its associated
  // executor, runs once the batch is applied — durably if `sync` — or has
  // failed; a failure leaves nothing of this batch applied. After stop(), it
  // completes with kMustRetry without writing.
  template <class CompletionToken>
  auto async_write(WriteBatch batch, bool sync, CompletionToken&& token) {
    return asio::async_initiate<CompletionToken, void(Status)>(
        [this](auto handler, WriteBatch batch, bool sync) {
          enqueue(std::move(batch), sync,
                  std::make_unique<HandlerCompletion<decltype(handler)>>(std::move(handler)));
        },
        token, std::move(batch), sync);
  }

  asio::awaitable<Status> write(WriteBatch batch, bool sync = true);

  // Commits everything already queued, then stops the thread. Idempotent.
  void stop();

  const Stats& stats() const noexcept { return stats_; }

 private:
  // A type-erased, move-only completion handler.
  class Completion {
   public:
    virtual ~Completion() = default;
    virtual void complete(Status status) = 0;
  };

  template <class Handler>
  class HandlerCompletion final : public Completion {
   public:
    explicit HandlerCompletion(Handler handler)
        : work_(asio::make_work_guard(asio::get_associated_executor(handler))),
          handler_(std::move(handler)) {}

    // Runs the handler on its own executor, never on the writer thread: a
    // coroutine resumed here would block the next commit.
    void complete(Status status) override {
      auto executor = work_.get_executor();
      asio::post(executor, [handler = std::move(handler_), status = std::move(status)]() mutable {
        std::move(handler)(std::move(status));
      });
      work_.reset();
    }

   private:
    asio::executor_work_guard<asio::associated_executor_t<Handler>> work_;
    Handler handler_;
  };

  struct Request {
    WriteBatch batch;
    bool sync;
    std::unique_ptr<Completion> completion;
  };

  void enqueue(WriteBatch batch, bool sync, std::unique_ptr<Completion> completion);
  void run();
  // Takes the next group of queued requests, up to max_commit_bytes.
  std::vector<Request> take_group(std::unique_lock<std::mutex>& lock);
  void commit(std::vector<Request>& group);
  // Writes `batch`; a synced write is timed into stats_.synced_write_seconds.
  Status timed_write(const WriteBatch& batch, bool sync);
  void finish(Request& request, Status status);

  StorageEngine& engine_;
  const Options options_;
  Stats stats_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Request> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kahuna
