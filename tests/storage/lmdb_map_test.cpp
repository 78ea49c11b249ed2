// LMDB map management: the map grows on demand up to max_map_size_mb; past
// it a write fails with kStorageFull and changes nothing; growth waits for
// live read transactions only up to map_resize_timeout_ms; checkpoints,
// which sync outside the write lock, run safely while the map grows.
#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace kahuna::storage_tests {
namespace {

using namespace std::chrono_literals;

std::string key_of(const char* prefix, int i) {
  std::string n = std::to_string(i);
  return std::string(prefix) + std::string(6 - n.size(), '0') + n;
}

// Incompressible bytes (LMDB does not compress, but pages must fill).
std::string value_of(int i, std::size_t size) {
  std::mt19937_64 rng(static_cast<std::uint64_t>(i) * 7919 + size);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

class LmdbMap : public ::testing::Test {
 protected:
  void open(const std::string& options) {
    engine_.reset();
    const Status status = open_engine("lmdb", options_from(options), dir_.path(), engine_);
    ASSERT_TRUE(status.is_ok()) << status.to_string();
  }

  Status write(const WriteBatch& batch) { return engine_->write(batch, WriteOptions{}); }

  std::optional<std::string> get(const std::string& key, const Snapshot* snapshot = nullptr) {
    std::string value;
    const Status status = engine_->get(key, value, snapshot);
    if (status.code() == StatusCode::kNotFound) return std::nullopt;
    EXPECT_TRUE(status.is_ok()) << status.to_string();
    return value;
  }

  TempDir dir_;
  PluginObject<StorageEngine> engine_;
};

TEST_F(LmdbMap, GrowsWhileReadersKeepReading) {
  ASSERT_NO_FATAL_FAILURE(open("map_size_mb = 1\nmax_map_size_mb = 256"));
  ASSERT_TRUE(write([] {
                WriteBatch b;
                b.put("probe", "p");
                return b;
              }())
                  .is_ok());
  // Short reads all along: growth must slip in between them.
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (!stop.load()) {
      std::string value;
      ASSERT_TRUE(engine_->get("probe", value).is_ok());
      std::unique_ptr<Iterator> it = engine_->iterator({});
      it->seek_to_first();
      ASSERT_TRUE(it->valid());
      reads.fetch_add(1);
    }
  });
  // Reads run before growth starts (unless the reader failed already).
  for (auto until = std::chrono::steady_clock::now() + 10s;
       reads.load() == 0 && std::chrono::steady_clock::now() < until;) {
    std::this_thread::yield();
  }
  // 24 MiB in batches of 512 KiB, then one batch of 8 MiB: far past 1 MiB.
  for (int b = 0; b < 48; ++b) {
    WriteBatch batch;
    for (int i = 0; i < 8; ++i) batch.put(key_of("grow/", b * 8 + i), value_of(b * 8 + i, 65536));
    const Status status = write(batch);
    ASSERT_TRUE(status.is_ok()) << "batch " << b << ": " << status.to_string();
  }
  WriteBatch big;
  for (int i = 0; i < 128; ++i) big.put(key_of("big/", i), value_of(-i, 65536));
  const Status status = write(big);
  stop = true;
  reader.join();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_GT(reads.load(), 0);

  auto check = [&] {
    for (int i = 0; i < 48 * 8; ++i) {
      ASSERT_EQ(get(key_of("grow/", i)), value_of(i, 65536)) << i;
    }
    for (int i = 0; i < 128; ++i) ASSERT_EQ(get(key_of("big/", i)), value_of(-i, 65536)) << i;
  };
  ASSERT_NO_FATAL_FAILURE(check());
  EXPECT_GT(std::filesystem::file_size(dir_.path() / "data.mdb"), 32u << 20);
  // Reopened with the same small initial map, the file keeps its size.
  ASSERT_NO_FATAL_FAILURE(open("map_size_mb = 1\nmax_map_size_mb = 256"));
  ASSERT_NO_FATAL_FAILURE(check());
  WriteBatch more;
  more.put("after-reopen", value_of(1, 1 << 20));
  ASSERT_TRUE(write(more).is_ok());
}

TEST_F(LmdbMap, FullMapFailsTheBatchAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(open("map_size_mb = 1\nmax_map_size_mb = 4"));
  WriteBatch earlier;
  for (int i = 0; i < 20; ++i) earlier.put(key_of("old/", i), value_of(i, 32768));
  ASSERT_TRUE(write(earlier).is_ok());

  // 6.4 MiB of new values, plus deletions of earlier keys: none of it may stay.
  WriteBatch too_big;
  too_big.remove(key_of("old/", 3));
  too_big.remove_range(key_of("old/", 10), key_of("old/", 15));
  for (int i = 0; i < 100; ++i) too_big.put(key_of("new/", i), value_of(1000 + i, 65536));
  too_big.put(std::string(700, 'L'), "a long key");
  const Status full = write(too_big);
  ASSERT_EQ(full.code(), StatusCode::kStorageFull) << full.to_string();
  EXPECT_EQ(full.to_string().rfind("storage full: ", 0), 0u) << full.to_string();
  EXPECT_NE(full.message().find("max_map_size_mb"), std::string::npos) << full.message();

  auto check_earlier = [&] {
    for (int i = 0; i < 20; ++i) ASSERT_EQ(get(key_of("old/", i)), value_of(i, 32768)) << i;
    for (int i = 0; i < 100; ++i) ASSERT_EQ(get(key_of("new/", i)), std::nullopt) << i;
    ASSERT_EQ(get(std::string(700, 'L')), std::nullopt);
  };
  ASSERT_NO_FATAL_FAILURE(check_earlier());

  // Still usable: small writes and reads, and the same after a reopen.
  WriteBatch small;
  small.put("small", "fits");
  small.remove(key_of("old/", 0));
  ASSERT_TRUE(write(small).is_ok());
  EXPECT_EQ(get("small"), "fits");
  EXPECT_EQ(get(key_of("old/", 0)), std::nullopt);
  ASSERT_NO_FATAL_FAILURE(open("map_size_mb = 1\nmax_map_size_mb = 4"));
  EXPECT_EQ(get("small"), "fits");
  for (int i = 1; i < 20; ++i) ASSERT_EQ(get(key_of("old/", i)), value_of(i, 32768)) << i;
  // Filling up again fails the same clean way.
  EXPECT_EQ(write(too_big).code(), StatusCode::kStorageFull);
  EXPECT_EQ(get(key_of("new/", 0)), std::nullopt);
}

TEST_F(LmdbMap, GrowthGivesUpWhenASnapshotStaysOpen) {
  ASSERT_NO_FATAL_FAILURE(open("map_size_mb = 1\nmax_map_size_mb = 64\nmap_resize_timeout_ms = 200"));
  WriteBatch first;
  first.put("before", "snapshot");
  ASSERT_TRUE(write(first).is_ok());
  std::unique_ptr<Snapshot> snapshot;
  ASSERT_TRUE(engine_->snapshot(snapshot).is_ok());

  WriteBatch big;
  for (int i = 0; i < 64; ++i) big.put(key_of("big/", i), value_of(i, 65536));
  const auto started = std::chrono::steady_clock::now();
  const Status blocked = write(big);
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(blocked.code(), StatusCode::kStorageFull) << blocked.to_string();
  EXPECT_NE(blocked.message().find("map_resize_timeout_ms"), std::string::npos) << blocked.message();
  EXPECT_GE(waited, 200ms);
  EXPECT_EQ(get("before", snapshot.get()), "snapshot");
  EXPECT_EQ(get(key_of("big/", 0)), std::nullopt);

  snapshot.reset();
  const Status after = write(big);
  ASSERT_TRUE(after.is_ok()) << after.to_string();
  EXPECT_EQ(get(key_of("big/", 63)), value_of(63, 65536));
}

TEST_F(LmdbMap, GrowthWaitsForAReaderThatCloses) {
  ASSERT_NO_FATAL_FAILURE(open("map_size_mb = 1\nmax_map_size_mb = 64\nmap_resize_timeout_ms = 10000"));
  std::unique_ptr<Snapshot> snapshot;
  ASSERT_TRUE(engine_->snapshot(snapshot).is_ok());
  std::thread closer([&] {
    std::this_thread::sleep_for(150ms);
    snapshot.reset();
  });
  WriteBatch big;
  for (int i = 0; i < 64; ++i) big.put(key_of("big/", i), value_of(i, 65536));
  const Status status = write(big);
  closer.join();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_EQ(get(key_of("big/", 10)), value_of(10, 65536));
}

// checkpoint() syncs outside the write lock, but mdb_env_sync reads the
// meta pages through the map that a resize replaces: the two must not
// overlap, and neither may fail or lose data.
TEST_F(LmdbMap, CheckpointsRunWhileTheMapGrows) {
  ASSERT_NO_FATAL_FAILURE(open("map_size_mb = 1\nmax_map_size_mb = 256"));
  std::atomic<bool> stop{false};
  std::atomic<int> checkpoints{0};
  std::thread checkpointer([&] {
    while (!stop.load()) {
      const Status status = engine_->checkpoint();
      ASSERT_TRUE(status.is_ok()) << status.to_string();
      checkpoints.fetch_add(1);
    }
  });
  // 24 MiB in unlogged batches of 256 KiB: the map doubles five times.
  WriteOptions unlogged;
  unlogged.sync = false;
  unlogged.log = false;
  Status status;
  for (int b = 0; b < 96 && status.is_ok(); ++b) {
    WriteBatch batch;
    for (int i = 0; i < 4; ++i) batch.put(key_of("ckpt/", b * 4 + i), value_of(b * 4 + i, 65536));
    status = engine_->write(batch, unlogged);
    if (!status.is_ok()) ADD_FAILURE() << "batch " << b << ": " << status.to_string();
  }
  stop = true;
  checkpointer.join();
  ASSERT_TRUE(status.is_ok());
  EXPECT_GT(checkpoints.load(), 0);
  ASSERT_TRUE(engine_->checkpoint().is_ok());
  auto check = [&] {
    for (int i = 0; i < 96 * 4; ++i) ASSERT_EQ(get(key_of("ckpt/", i)), value_of(i, 65536)) << i;
  };
  ASSERT_NO_FATAL_FAILURE(check());
  ASSERT_NO_FATAL_FAILURE(open("map_size_mb = 1\nmax_map_size_mb = 256"));
  ASSERT_NO_FATAL_FAILURE(check());
}

}  // namespace
}  // namespace kahuna::storage_tests
