#include "storage/log_writer.h"

#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna {
namespace {

// An engine that records the batches it is given and can be held closed so
// that requests pile up in the writer's queue, and can refuse batches that
// hold a poisoned key.
class RecordingEngine final : public StorageEngine {
 public:
  Status write(const WriteBatch& batch, const WriteOptions& options) noexcept override {
    std::unique_lock lock(mutex_);
    gate_.wait(lock, [this] { return open_; });
    for (const auto& op : batch.ops()) {
      if (op.key == "poison") return Status::storage_full("refusing the poisoned batch");
    }
    commits_.push_back({batch.count(), options.sync});
    for (const auto& op : batch.ops()) data_[op.key] = op.value;
    writer_thread_ = std::this_thread::get_id();
    return Status::ok();
  }
  Status get(std::string_view key, std::string& value, const Snapshot*) noexcept override {
    std::lock_guard lock(mutex_);
    auto it = data_.find(std::string(key));
    if (it == data_.end()) return Status::not_found();
    value = it->second;
    return Status::ok();
  }
  Status snapshot(std::unique_ptr<Snapshot>&) noexcept override { return Status::not_supported("test"); }
  std::unique_ptr<Iterator> iterator(const IteratorOptions&) noexcept override { return nullptr; }
  Status approximate_size(std::string_view, std::string_view, std::uint64_t& bytes) noexcept override {
    bytes = 0;
    return Status::ok();
  }
  Status flush() noexcept override { return Status::ok(); }
  Status checkpoint() noexcept override { return Status::ok(); }

  void close_gate() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void open_gate() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    gate_.notify_all();
  }
  struct Commit {
    std::size_t operations;
    bool sync;
  };
  std::vector<Commit> commits() {
    std::lock_guard lock(mutex_);
    return commits_;
  }
  std::thread::id writer_thread() {
    std::lock_guard lock(mutex_);
    return writer_thread_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable gate_;
  bool open_ = true;
  std::vector<Commit> commits_;
  std::map<std::string, std::string> data_;
  std::thread::id writer_thread_;
};

WriteBatch batch_of(const std::string& key, const std::string& value) {
  WriteBatch batch;
  batch.put(key, value);
  return batch;
}

// Completions of plain callbacks run on Asio's system executor, after the
// writer has moved on: wait for them with a deadline.
bool wait_until(const std::atomic<int>& counter, int target) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (counter.load() < target) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

Status write_and_wait(LogWriter& writer, WriteBatch batch, bool sync) {
  std::promise<Status> done;
  writer.async_write(std::move(batch), sync ? LogWriter::Mode::kSynced : LogWriter::Mode::kUnsynced,
                     [&done](Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

TEST(LogWriter, AWriteCompletesOnceTheEngineHasItWithItsSyncFlag) {
  RecordingEngine engine;
  LogWriter writer(engine);
  ASSERT_TRUE(write_and_wait(writer, batch_of("a", "1"), true));
  ASSERT_TRUE(write_and_wait(writer, batch_of("b", "2"), false));
  std::string value;
  ASSERT_TRUE(engine.get("a", value, nullptr));
  EXPECT_EQ(value, "1");
  const auto commits = engine.commits();
  ASSERT_EQ(commits.size(), 2u);
  EXPECT_TRUE(commits[0].sync);
  EXPECT_FALSE(commits[1].sync);
}

TEST(LogWriter, QueuedWritesAreMergedIntoOneSyncedCommit) {
  RecordingEngine engine;
  LogWriter writer(engine);
  engine.close_gate();
  // The first write takes the writer thread into the closed engine; the
  // next 63 queue up behind it.
  std::atomic<int> completed{0};
  std::atomic<int> failed{0};
  constexpr int kWriters = 64;
  for (int i = 0; i < kWriters; ++i) {
    writer.async_write(batch_of("k" + std::to_string(i), "v"),
                       i == 10 ? LogWriter::Mode::kSynced : LogWriter::Mode::kUnsynced, [&](Status s) {
                         if (!s) failed.fetch_add(1);
                         completed.fetch_add(1);
                       });
  }
  engine.open_gate();
  writer.stop();  // commits everything queued
  ASSERT_TRUE(wait_until(completed, kWriters)) << completed.load();
  EXPECT_EQ(failed.load(), 0);

  const auto commits = engine.commits();
  std::size_t operations = 0;
  for (const auto& commit : commits) operations += commit.operations;
  EXPECT_EQ(operations, static_cast<std::size_t>(kWriters));
  EXPECT_LE(commits.size(), 2u) << "64 queued writes must not cost 64 commits";
  EXPECT_TRUE(commits.back().sync) << "a merged commit is synced if any of its writes asked for it";
  EXPECT_EQ(writer.stats().requests.load(), static_cast<std::uint64_t>(kWriters));
  EXPECT_GE(writer.stats().largest_commit.load(), 60u);
}

TEST(LogWriter, ABatchTheEngineRefusesFailsAloneAndTheOthersSucceed) {
  RecordingEngine engine;
  LogWriter writer(engine);
  engine.close_gate();
  std::vector<std::promise<Status>> results(5);
  for (int i = 0; i < 5; ++i) {
    const std::string key = i == 2 ? "poison" : "k" + std::to_string(i);
    writer.async_write(batch_of(key, "v"), LogWriter::Mode::kSynced,
                       [&results, i](Status s) { results[i].set_value(std::move(s)); });
  }
  engine.open_gate();
  for (int i = 0; i < 5; ++i) {
    const Status status = results[i].get_future().get();
    if (i == 2) {
      EXPECT_EQ(status.code(), StatusCode::kStorageFull);
    } else {
      EXPECT_TRUE(status) << i << ": " << status.to_string();
    }
  }
  std::string value;
  EXPECT_TRUE(engine.get("k4", value, nullptr));
  EXPECT_EQ(writer.stats().failed_requests.load(), 1u);
}

TEST(LogWriter, CommitsAreSplitAtTheByteLimit) {
  RecordingEngine engine;
  LogWriter writer(engine, LogWriter::Options{.max_commit_bytes = 1000});
  engine.close_gate();
  std::atomic<int> completed{0};
  for (int i = 0; i < 10; ++i) {
    writer.async_write(batch_of("k" + std::to_string(i), std::string(400, 'x')), LogWriter::Mode::kSynced,
                       [&](Status) { completed.fetch_add(1); });
  }
  engine.open_gate();
  writer.stop();
  ASSERT_TRUE(wait_until(completed, 10)) << completed.load();
  for (const auto& commit : engine.commits()) EXPECT_LE(commit.operations, 2u);
}

TEST(LogWriter, AfterStopWritesAreRefusedWithMustRetry) {
  RecordingEngine engine;
  LogWriter writer(engine);
  writer.stop();
  writer.stop();  // idempotent
  const Status status = write_and_wait(writer, batch_of("late", "v"), true);
  EXPECT_EQ(status.code(), StatusCode::kMustRetry);
  EXPECT_TRUE(engine.commits().empty());
}

TEST(LogWriter, ACoroutineResumesOnItsOwnExecutorNotOnTheWriterThread) {
  RecordingEngine engine;
  LogWriter writer(engine);
  asio::io_context io;
  std::thread::id resumed_on;
  Status result = Status::internal("not run");
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        result = co_await writer.write(batch_of("c", "1"));
        resumed_on = std::this_thread::get_id();
      },
      asio::detached);
  io.run();  // returns only when the coroutine is done: the pending write keeps io alive
  EXPECT_TRUE(result) << result.to_string();
  EXPECT_EQ(resumed_on, std::this_thread::get_id());
  EXPECT_NE(engine.writer_thread(), std::this_thread::get_id());
}

}  // namespace
}  // namespace kahuna
