// Which Raft writes are synced: entries, snapshots, terms and votes must be;
// a commit index alone need not be.
#include "replication/durable_node_storage.h"

#include <unistd.h>

#include <filesystem>
#include <future>

#include <gtest/gtest.h>
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_future.hpp>

#include <kahuna/plugin_loader.h>

namespace kahuna {
namespace {

namespace fs = std::filesystem;

// Passes everything to a real engine and records each write's sync flag.
class SyncRecordingEngine final : public StorageEngine {
 public:
  explicit SyncRecordingEngine(StorageEngine& inner) : inner_(inner) {}
  Status write(const WriteBatch& batch, const WriteOptions& options) noexcept override {
    syncs.push_back(options.sync);
    return inner_.write(batch, options);
  }
  Status get(std::string_view key, std::string& value, const Snapshot* snapshot) noexcept override {
    return inner_.get(key, value, snapshot);
  }
  Status snapshot(std::unique_ptr<Snapshot>& out) noexcept override { return inner_.snapshot(out); }
  std::unique_ptr<Iterator> iterator(const IteratorOptions& options) noexcept override {
    return inner_.iterator(options);
  }
  Status approximate_size(std::string_view begin, std::string_view end,
                          std::uint64_t& bytes) noexcept override {
    return inner_.approximate_size(begin, end, bytes);
  }
  Status flush() noexcept override { return inner_.flush(); }
  Status checkpoint() noexcept override { return inner_.checkpoint(); }
  std::vector<bool> syncs;

 private:
  StorageEngine& inner_;
};

// A RocksDB engine in a directory of its own, seen through a
// SyncRecordingEngine, with the snapshot files beside it.
class DurableNodeStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kahuna-durable-node-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ASSERT_TRUE(LoadedPlugin::open(plugin_file_path(KAHUNA_BUILD_PLUGIN_DIR, PluginKind::kStorage, "rocksdb"),
                                   PluginKind::kStorage, plugin_));
    ASSERT_TRUE(plugin_.create(PluginContext{nullptr, dir_.string()}, engine_));
    recording_ = std::make_unique<SyncRecordingEngine>(*engine_);
    files_ = std::make_unique<SnapshotFiles>(dir_ / "snapshots");
    ASSERT_TRUE(files_->prepare());
  }
  void TearDown() override {
    recording_.reset();
    engine_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<EngineLogStorage> open_log() {
    std::unique_ptr<EngineLogStorage> log;
    const Status status =
        EngineLogStorage::open(*recording_, 1, raft::ConfState{{1, 2, 3}, {}}, *files_, log);
    EXPECT_TRUE(status) << status.to_string();
    return log;
  }

  // Runs one storage operation to its end.
  bool run(asio::awaitable<bool> operation) {
    auto done = asio::co_spawn(io_, std::move(operation), asio::use_future);
    io_.run();
    io_.restart();
    return done.get();
  }

  fs::path dir_;
  LoadedPlugin plugin_;
  PluginObject<StorageEngine> engine_;
  std::unique_ptr<SyncRecordingEngine> recording_;
  std::unique_ptr<SnapshotFiles> files_;
  asio::io_context io_;
};

TEST_F(DurableNodeStorageTest, SyncsEntriesTermsAndVotesButNotACommitIndexAlone) {
  {
    LogWriter log_writer(*recording_);
    DurableNodeStorage storage(open_log(), log_writer, *files_, io_.get_executor());
    raft::Ready vote;
    vote.hard_state = raft::HardState{1, 2, 0};  // new term and vote
    ASSERT_TRUE(run(storage.persist(vote)));
    raft::Ready entries;
    entries.entries = {raft::Entry{1, 1, raft::EntryType::kNormal, "x"}};
    ASSERT_TRUE(run(storage.persist(entries)));
    raft::Ready commit_only;
    commit_only.hard_state = raft::HardState{1, 2, 1};  // same term and vote
    ASSERT_TRUE(run(storage.persist(commit_only)));
    raft::Ready new_term;
    new_term.hard_state = raft::HardState{2, 0, 1};
    ASSERT_TRUE(run(storage.persist(new_term)));
    EXPECT_EQ(storage.log().hard_state(), (raft::HardState{2, 0, 1}));
    EXPECT_EQ(storage.log().last_index(), 1u);
    log_writer.stop();
  }
  EXPECT_EQ(recording_->syncs, (std::vector<bool>{true, true, false, true}));
}

TEST_F(DurableNodeStorageTest, CompactionImagesGoToFilesAndOldOnesAreRemoved) {
  {
    LogWriter log_writer(*recording_);
    asio::thread_pool image_thread(1);
    DurableNodeStorage storage(open_log(), log_writer, *files_, image_thread.get_executor());
    raft::Ready entries;
    for (raft::Index i = 1; i <= 30; ++i)
      entries.entries.push_back(raft::Entry{1, i, raft::EntryType::kNormal, "x"});
    ASSERT_TRUE(run(storage.persist(entries)));

    for (raft::Index index : {10u, 20u, 25u}) {
      const std::string image = "image at " + std::to_string(index);
      ASSERT_TRUE(run(storage.store_image(index, image)));
      ASSERT_TRUE(run(storage.compact(raft::Snapshot{{index, 1, raft::ConfState{{1, 2, 3}, {}}}, image})));
      EXPECT_TRUE(fs::exists(files_->path(1, index)));
    }
    // The newest stays, and the one before it until a newer compaction is
    // recorded; older ones are gone.
    EXPECT_FALSE(fs::exists(files_->path(1, 10)));
    EXPECT_TRUE(fs::exists(files_->path(1, 20)));
    EXPECT_TRUE(fs::exists(files_->path(1, 25)));
    EXPECT_EQ(storage.log().first_index(), 26u);
    EXPECT_EQ(recording_->syncs.back(), true) << "a compaction record is synced";
    log_writer.stop();
  }
  std::unique_ptr<EngineLogStorage> reopened = open_log();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->snapshot().data, "image at 25");
  EXPECT_EQ(reopened->snapshot_file_index(), 25u);
  EXPECT_EQ(reopened->first_index(), 26u);
}

}  // namespace
}  // namespace kahuna
