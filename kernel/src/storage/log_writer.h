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

#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>

#include <kahuna/status.h>
#include <kahuna/storage_engine.h>
#include <kahuna/write_batch.h>

#include "storage/histogram.h"
#include "storage/posted_completion.h"

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

  // How a batch must be written.
  enum class Mode : std::uint8_t {
    kSynced,    // durable (logged and synced) before completion
    kUnsynced,  // through the engine's log, not synced: survives a crash of the process
    kUnlogged,  // outside the engine's log: durable at the engine's next checkpoint()
  };

  // Queues `batch`. The handler, called as void(Status) on its associated
  // executor, runs once the batch is applied — as `mode` says — or has
  // failed; a failure leaves nothing of this batch applied. After stop(), it
  // completes with kMustRetry without writing.
  template <class CompletionToken>
  auto async_write(WriteBatch batch, Mode mode, CompletionToken&& token) {
    return asio::async_initiate<CompletionToken, void(Status)>(
        [this](auto handler, WriteBatch batch, Mode mode) {
          enqueue(std::move(batch), mode, PostedCompletion::make(std::move(handler)));
        },
        token, std::move(batch), mode);
  }

  asio::awaitable<Status> write(WriteBatch batch, Mode mode);
  asio::awaitable<Status> write(WriteBatch batch, bool sync = true) {
    return write(std::move(batch), sync ? Mode::kSynced : Mode::kUnsynced);
  }

  // Commits everything already queued, then stops the thread. Idempotent.
  void stop();

  const Stats& stats() const noexcept { return stats_; }

 private:
  struct Request {
    WriteBatch batch;
    Mode mode;
    std::unique_ptr<PostedCompletion> completion;
  };

  void enqueue(WriteBatch batch, Mode mode, std::unique_ptr<PostedCompletion> completion);
  void run();
  // Takes the next group of queued requests, up to max_commit_bytes; logged
  // and unlogged requests are never merged into one commit.
  std::vector<Request> take_group(std::unique_lock<std::mutex>& lock);
  void commit(std::vector<Request>& group);
  // Writes `batch`; a synced write is timed into stats_.synced_write_seconds.
  Status timed_write(const WriteBatch& batch, Mode mode);
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
