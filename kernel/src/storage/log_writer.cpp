#include "storage/log_writer.h"

#include <chrono>

#include <pthread.h>

#include <asio/use_awaitable.hpp>

namespace kahuna {

LogWriter::LogWriter(StorageEngine& engine, Options options) : engine_(engine), options_(options) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "kahuna-log");
    run();
  });
}

LogWriter::~LogWriter() { stop(); }

asio::awaitable<Status> LogWriter::write(WriteBatch batch, Mode mode) {
  co_return co_await async_write(std::move(batch), mode, asio::use_awaitable);
}

void LogWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void LogWriter::enqueue(WriteBatch batch, Mode mode, std::unique_ptr<PostedCompletion> completion) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(Request{std::move(batch), mode, std::move(completion)});
      wake_.notify_one();
      return;
    }
  }
  stats_.failed_requests.fetch_add(1, std::memory_order_relaxed);
  completion->complete(Status::must_retry("the log writer is shutting down"));
}

void LogWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued is written
    std::vector<Request> group = take_group(lock);
    lock.unlock();
    commit(group);
    lock.lock();
  }
}

std::vector<LogWriter::Request> LogWriter::take_group(std::unique_lock<std::mutex>&) {
  std::vector<Request> group;
  std::size_t bytes = 0;
  const auto logged = [](Mode mode) { return mode != Mode::kUnlogged; };
  // Always take at least one request, however large.
  while (!queue_.empty() &&
         (group.empty() || (bytes + queue_.front().batch.byte_size() <= options_.max_commit_bytes &&
                            logged(queue_.front().mode) == logged(group.front().mode)))) {
    bytes += queue_.front().batch.byte_size();
    group.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return group;
}

Status LogWriter::timed_write(const WriteBatch& batch, Mode mode) {
  WriteOptions options;
  options.sync = mode == Mode::kSynced;
  options.log = mode != Mode::kUnlogged;
  if (!options.sync) return engine_.write(batch, options);
  const auto start = std::chrono::steady_clock::now();
  Status status = engine_.write(batch, options);
  stats_.synced_write_seconds.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return status;
}

void LogWriter::commit(std::vector<Request>& group) {
  stats_.commit_requests.observe(static_cast<double>(group.size()));
  if (group.size() == 1) {
    Request& only = group.front();
    stats_.commits.fetch_add(1, std::memory_order_relaxed);
    if (only.mode == Mode::kSynced) stats_.synced_commits.fetch_add(1, std::memory_order_relaxed);
    finish(only, timed_write(only.batch, only.mode));
    return;
  }

  WriteBatch merged;
  Mode mode = group.front().mode;  // all logged, or all unlogged
  for (const Request& request : group) {
    merged.append(request.batch);
    if (request.mode == Mode::kSynced) mode = Mode::kSynced;
  }
  const bool sync = mode == Mode::kSynced;
  stats_.commits.fetch_add(1, std::memory_order_relaxed);
  if (sync) stats_.synced_commits.fetch_add(1, std::memory_order_relaxed);
  std::uint64_t largest = stats_.largest_commit.load(std::memory_order_relaxed);
  while (group.size() > largest && !stats_.largest_commit.compare_exchange_weak(largest, group.size())) {
  }

  Status status = timed_write(merged, mode);
  if (status.is_ok()) {
    for (Request& request : group) finish(request, status);
    return;
  }
  // The merged batch failed as a whole and left nothing applied. One
  // request may be the cause (too large for the space left): write each on
  // its own so the others are not failed for it.
  for (Request& request : group) {
    stats_.commits.fetch_add(1, std::memory_order_relaxed);
    if (request.mode == Mode::kSynced) stats_.synced_commits.fetch_add(1, std::memory_order_relaxed);
    finish(request, timed_write(request.batch, request.mode));
  }
}

void LogWriter::finish(Request& request, Status status) {
  stats_.requests.fetch_add(1, std::memory_order_relaxed);
  if (!status.is_ok()) stats_.failed_requests.fetch_add(1, std::memory_order_relaxed);
  request.completion->complete(std::move(status));
}

}  // namespace kahuna
