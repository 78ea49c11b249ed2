// The durable Raft log over both real storage engines: what is staged and
// persisted reads back identically, from memory and after reopening.
#include "replication/engine_log_storage.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include <kahuna/plugin_loader.h>

#include "replication/raft_keys.h"

namespace kahuna {
namespace {

namespace fs = std::filesystem;

raft::Entry entry(raft::Index index, raft::Term term, std::string data = {}) {
  return raft::Entry{term, index, raft::EntryType::kNormal, data.empty() ? "e" + std::to_string(index) : data};
}

class EngineLogStorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kahuna-log-storage-" + std::to_string(::getpid()) + "-" + GetParam());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
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
    const Status status = EngineLogStorage::open(*engine_, 7, initial_, storage_);
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

  fs::path dir_;
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
  WriteBatch batch;
  storage_->stage_compaction(snapshot, batch);
  ASSERT_TRUE(engine_->write(batch, WriteOptions{true}));
  storage_->compacted(snapshot);
  expect_log(7, 10, 2);
  EXPECT_EQ(storage_->term(6), 2u);
  EXPECT_EQ(storage_->term(5), std::nullopt);

  reopen();
  expect_log(7, 10, 2);
  EXPECT_EQ(storage_->snapshot().data, "state machine image");
  EXPECT_EQ(storage_->entries(7, 11, 1 << 20).front().index, 7u);
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
  Status status = EngineLogStorage::open(*engine_, 7, initial_, storage_);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("log entry 2 is missing"), std::string::npos) << status.message();

  WriteBatch garbage;
  garbage.put(raft_keys::hard_state_key(7), "short");
  ASSERT_TRUE(engine_->write(garbage, WriteOptions{true}));
  status = EngineLogStorage::open(*engine_, 7, initial_, storage_);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
}

TEST_P(EngineLogStorageTest, GroupsDoNotSeeEachOthersLogs) {
  load();
  raft::Ready ready;
  ready.entries = {entry(1, 1), entry(2, 1)};
  persist(ready);
  std::unique_ptr<EngineLogStorage> other;
  ASSERT_TRUE(EngineLogStorage::open(*engine_, 8, initial_, other));
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
