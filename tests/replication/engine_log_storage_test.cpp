// The durable Raft log over both real storage engines: what is staged and
// persisted reads back identically, from memory and after reopening.
#include "replication/engine_log_storage.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <kahuna/plugin_loader.h>

#include "replication/raft_keys.h"

namespace kahuna {
namespace {

namespace fs = std::filesystem;

raft::Entry entry(raft::Index index, raft::Term term, std::string data = {}) {
  return raft::Entry{term, index, raft::EntryType::kNormal,
                     data.empty() ? "e" + std::to_string(index) : data};
}

class EngineLogStorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("kahuna-log-storage-" + std::to_string(::getpid()) + "-" + GetParam());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    files_ = std::make_unique<SnapshotFiles>(dir_ / "snapshots");
    ASSERT_TRUE(files_->prepare());
    open_engine();
  }
  void TearDown() override {
    storage_.reset();
    engine_.reset();
    fs::remove_all(dir_);
  }

  void open_engine() {
    LoadedPlugin plugin;
    const auto file = plugin_file_path(KAHUNA_BUILD_PLUGIN_DIR, PluginKind::kStorage, GetParam());
    ASSERT_TRUE(LoadedPlugin::open(file, PluginKind::kStorage, plugin));
    ASSERT_TRUE(plugin.create(PluginContext{nullptr, dir_.string()}, engine_));
  }

  // Closes and reopens the engine, then loads group 7 from it.
  void reopen() {
    storage_.reset();
    engine_.reset();
    open_engine();
    load();
  }

  void load() {
    const Status status = EngineLogStorage::open(*engine_, 7, initial_, *files_, storage_);
    ASSERT_TRUE(status) << status.to_string();
  }

  // Persists `ready` the way the driver does: stage, write synced, persisted.
  void persist(const raft::Ready& ready) {
    WriteBatch batch;
    storage_->stage(ready, batch);
    ASSERT_TRUE(engine_->write(batch, WriteOptions{true}));
    storage_->persisted(ready);
  }

  void expect_log(raft::Index first, raft::Index last, raft::Term last_term) {
    EXPECT_EQ(storage_->first_index(), first);
    EXPECT_EQ(storage_->last_index(), last);
    EXPECT_EQ(storage_->term(last), last_term);
  }

  // Compacts the way the driver does: the image to its file, then the
  // record through the engine.
  void compact(const raft::Snapshot& snapshot) {
    ASSERT_TRUE(files_->write(7, snapshot.metadata.index, snapshot.data));
    WriteBatch batch;
    storage_->stage_compaction(snapshot, batch);
    ASSERT_TRUE(engine_->write(batch, WriteOptions{true}));
    storage_->compacted(snapshot);
  }

  fs::path dir_;
  std::unique_ptr<SnapshotFiles> files_;
  PluginObject<StorageEngine> engine_;
  std::unique_ptr<EngineLogStorage> storage_;
  raft::ConfState initial_{{1, 2, 3}, {}};
};

TEST_P(EngineLogStorageTest, ANewGroupStartsEmptyWithItsInitialMembership) {
  load();
  expect_log(1, 0, 0);
  EXPECT_EQ(storage_->hard_state(), raft::HardState{});
  EXPECT_EQ(storage_->snapshot_metadata().conf_state, initial_);
  EXPECT_EQ(storage_->term(1), std::nullopt);
}

TEST_P(EngineLogStorageTest, EntriesAndHardStateSurviveAReopen) {
  load();
  raft::Ready ready;
  for (raft::Index i = 1; i <= 5; ++i) ready.entries.push_back(entry(i, i < 3 ? 1 : 2));
  ready.entries[2].type = raft::EntryType::kConfChange;
  ready.hard_state = raft::HardState{2, 3, 4};
  persist(ready);
  expect_log(1, 5, 2);

  reopen();
  expect_log(1, 5, 2);
  EXPECT_EQ(storage_->hard_state(), (raft::HardState{2, 3, 4}));
  const auto entries = storage_->entries(1, 6, 1 << 20);
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[2], ready.entries[2]);
  EXPECT_EQ(storage_->entries(2, 6, 1).size(), 1u) << "max_bytes still returns one entry";
}

TEST_P(EngineLogStorageTest, ConflictingEntriesReplaceTheTailInMemoryAndOnDisk) {
  load();
  raft::Ready first;
  for (raft::Index i = 1; i <= 6; ++i) first.entries.push_back(entry(i, 1));
  persist(first);
  raft::Ready conflict;
  conflict.entries = {entry(4, 3, "new4"), entry(5, 3, "new5")};
  persist(conflict);
  expect_log(1, 5, 3);
  reopen();
  expect_log(1, 5, 3);
  EXPECT_EQ(storage_->entries(4, 6, 1 << 20)[0].data, "new4");
  EXPECT_EQ(storage_->term(3), 1u);
}

TEST_P(EngineLogStorageTest, CompactionDropsCoveredEntriesAndKeepsTheRest) {
  load();
  raft::Ready ready;
  for (raft::Index i = 1; i <= 10; ++i) ready.entries.push_back(entry(i, 2));
  persist(ready);
  raft::Snapshot snapshot{{6, 2, initial_}, "state machine image"};
  compact(snapshot);
  expect_log(7, 10, 2);
  EXPECT_EQ(storage_->term(6), 2u);
  EXPECT_EQ(storage_->term(5), std::nullopt);

  reopen();
  expect_log(7, 10, 2);
  EXPECT_EQ(storage_->snapshot().data, "state machine image");
  EXPECT_EQ(storage_->entries(7, 11, 1 << 20).front().index, 7u);
}

TEST_P(EngineLogStorageTest, ACompactionImageLivesInItsFileAndADamagedFileIsCorruption) {
  load();
  raft::Ready ready;
  for (raft::Index i = 1; i <= 5; ++i) ready.entries.push_back(entry(i, 3));
  persist(ready);
  const std::string image(100000, 'i');
  compact(raft::Snapshot{{4, 3, initial_}, image});
  EXPECT_EQ(storage_->snapshot_file_index(), 4u);
  std::string stored;
  ASSERT_TRUE(engine_->get(raft_keys::snapshot_file_key(7), stored));
  EXPECT_LT(stored.size(), 100u) << "the engine holds the metadata, not the image";
  reopen();
  EXPECT_EQ(storage_->snapshot().data, image);
  EXPECT_EQ(storage_->snapshot_metadata().term, 3u);
  expect_log(5, 5, 3);

  // One flipped byte in the image.
  storage_.reset();
  const fs::path file = files_->path(7, 4);
  {
    std::fstream bytes(file, std::ios::in | std::ios::out | std::ios::binary);
    bytes.seekp(-10, std::ios::end);
    bytes.put('X');
  }
  Status status = EngineLogStorage::open(*engine_, 7, initial_, *files_, storage_);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("checksum"), std::string::npos) << status.message();
  // No file at all.
  fs::remove(file);
  status = EngineLogStorage::open(*engine_, 7, initial_, *files_, storage_);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("missing"), std::string::npos) << status.message();
}

TEST_P(EngineLogStorageTest, ASnapshotFromALeaderReplacesACompactedOne) {
  load();
  raft::Ready ready;
  for (raft::Index i = 1; i <= 5; ++i) ready.entries.push_back(entry(i, 1));
  persist(ready);
  compact(raft::Snapshot{{3, 1, initial_}, "compacted"});
  raft::Ready install;
  install.snapshot = raft::Snapshot{{30, 4, initial_}, "from the leader"};
  persist(install);
  EXPECT_EQ(storage_->snapshot_file_index(), 0u);
  reopen();
  EXPECT_EQ(storage_->snapshot().data, "from the leader");
  expect_log(31, 30, 4);
  // And a compaction after it replaces it in turn.
  raft::Ready more;
  for (raft::Index i = 31; i <= 35; ++i) more.entries.push_back(entry(i, 4));
  persist(more);
  compact(raft::Snapshot{{33, 4, initial_}, "compacted again"});
  reopen();
  EXPECT_EQ(storage_->snapshot().data, "compacted again");
  expect_log(34, 35, 4);
}

TEST_P(EngineLogStorageTest, AnInstalledSnapshotReplacesTheWholeLog) {
  load();
  raft::Ready ready;
  for (raft::Index i = 1; i <= 4; ++i) ready.entries.push_back(entry(i, 1));
  persist(ready);
  raft::Ready install;
  install.snapshot = raft::Snapshot{{20, 5, raft::ConfState{{1, 2}, {3}}}, "image"};
  install.hard_state = raft::HardState{5, 0, 20};
  persist(install);
  expect_log(21, 20, 5);
  reopen();
  expect_log(21, 20, 5);
  EXPECT_EQ(storage_->snapshot_metadata().conf_state.learners, std::vector<raft::NodeId>{3});
  EXPECT_EQ(storage_->hard_state().commit, 20u);
}

TEST_P(EngineLogStorageTest, AHoleOrDamageInTheLogIsCorruptionNotSilence) {
  load();
  raft::Ready ready;
  for (raft::Index i = 1; i <= 3; ++i) ready.entries.push_back(entry(i, 1));
  persist(ready);
  WriteBatch damage;
  damage.remove(raft_keys::entry_key(7, 2));
  ASSERT_TRUE(engine_->write(damage, WriteOptions{true}));
  storage_.reset();
  Status status = EngineLogStorage::open(*engine_, 7, initial_, *files_, storage_);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("log entry 2 is missing"), std::string::npos) << status.message();

  WriteBatch garbage;
  garbage.put(raft_keys::hard_state_key(7), "short");
  ASSERT_TRUE(engine_->write(garbage, WriteOptions{true}));
  status = EngineLogStorage::open(*engine_, 7, initial_, *files_, storage_);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
}

TEST_P(EngineLogStorageTest, GroupsDoNotSeeEachOthersLogs) {
  load();
  raft::Ready ready;
  ready.entries = {entry(1, 1), entry(2, 1)};
  persist(ready);
  std::unique_ptr<EngineLogStorage> other;
  ASSERT_TRUE(EngineLogStorage::open(*engine_, 8, initial_, *files_, other));
  EXPECT_EQ(other->last_index(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Engines, EngineLogStorageTest, ::testing::Values("rocksdb", "lmdb"),
                         [](const auto& info) { return info.param; });

TEST(RaftValueEncodings, RejectTruncatedBytes) {
  raft::Snapshot snapshot{{9, 4, raft::ConfState{{1, 2, 3}, {4}}}, "data"};
  const std::string bytes = encode_snapshot(snapshot);
  raft::Snapshot decoded;
  ASSERT_TRUE(decode_snapshot(bytes, decoded));
  EXPECT_EQ(decoded, snapshot);
  for (std::size_t cut = 0; cut < 16 + 4 + 24 + 4; ++cut) {
    EXPECT_FALSE(decode_snapshot(bytes.substr(0, cut), decoded)) << cut;
  }
  raft::Entry entry_out;
  EXPECT_FALSE(decode_entry("1234567", 1, entry_out));
  EXPECT_FALSE(decode_entry(std::string(8, '\0') + "\x07", 1, entry_out)) << "unknown entry type";
  raft::HardState state;
  EXPECT_FALSE(decode_hard_state(std::string(23, '\0'), state));
  EXPECT_FALSE(decode_hard_state(std::string(25, '\0'), state));
}

}  // namespace
}  // namespace kahuna

namespace kahuna {
namespace {

TEST(SnapshotFiles, RemoveAllButKeepsOnlyTheNamedFilesOfItsGroup) {
  const fs::path dir = fs::temp_directory_path() / ("kahuna-snapshot-files-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  SnapshotFiles files(dir);
  ASSERT_TRUE(files.prepare());
  for (raft::Index index : {5u, 9u, 12u})
    ASSERT_TRUE(files.write(1, index, "image " + std::to_string(index)));
  ASSERT_TRUE(files.write(10, 5, "another group"));
  std::ofstream(files.path(1, 13).string() + ".tmp") << "half written";
  files.remove_all_but(1, {9, 0});
  EXPECT_FALSE(fs::exists(files.path(1, 5)));
  EXPECT_TRUE(fs::exists(files.path(1, 9)));
  EXPECT_FALSE(fs::exists(files.path(1, 12)));
  EXPECT_FALSE(fs::exists(files.path(1, 13).string() + ".tmp"));
  EXPECT_TRUE(fs::exists(files.path(10, 5))) << "group 10 is not group 1";
  std::string image;
  ASSERT_TRUE(files.read(1, 9, image));
  EXPECT_EQ(image, "image 9");
  // A file renamed to another index is not taken for it.
  fs::rename(files.path(1, 9), files.path(1, 8));
  const Status status = files.read(1, 8, image);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("index 9"), std::string::npos) << status.message();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kahuna
