// Option validation of both engines: every refused option names its key as
// storage.<engine>.<key> and says why; valid options open an engine.
#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace kahuna::storage_tests {
namespace {

struct BadOption {
  std::string engine;
  std::string toml;    // the [storage.<engine>] table's content
  std::string key;     // the key the error must name
  std::string reason;  // a fragment the error must contain
  std::string name;    // the test's name
};

void PrintTo(const BadOption& bad, std::ostream* out) { *out << bad.engine << ": " << bad.toml; }

class StorageOptionRefused : public ::testing::TestWithParam<BadOption> {};

TEST_P(StorageOptionRefused, ErrorNamesTheKeyAndTheReason) {
  const BadOption& bad = GetParam();
  TempDir dir;
  PluginObject<StorageEngine> engine;
  const Status status = open_engine(bad.engine, options_from(bad.toml), dir.path(), engine);
  ASSERT_FALSE(status.is_ok()) << bad.toml << " was accepted";
  EXPECT_FALSE(engine);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.to_string();
  const std::string full_key = "storage." + bad.engine + "." + bad.key;
  EXPECT_NE(status.message().find(full_key + ":"), std::string::npos)
      << "the error does not name " << full_key << ": " << status.message();
  EXPECT_NE(status.message().find(bad.reason), std::string::npos)
      << "the error does not say \"" << bad.reason << "\": " << status.message();
}

INSTANTIATE_TEST_SUITE_P(
    Engines, StorageOptionRefused,
    ::testing::Values(
        BadOption{"rocksdb", "block_cach_mb = 64", "block_cach_mb", "unknown option", "RocksdbUnknownKey"},
        BadOption{"rocksdb", "block_cache_mb = \"64\"", "block_cache_mb", "expected an integer, got a string",
                  "RocksdbWrongType"},
        BadOption{"rocksdb", "write_buffer_mb = 0", "write_buffer_mb", "out of range", "RocksdbOutOfRange"},
        BadOption{"rocksdb", "block_cache_mb = -1", "block_cache_mb", "out of range", "RocksdbNegative"},
        BadOption{"rocksdb", "compression = \"brotli\"", "compression", "is not one of",
                  "RocksdbUnknownCompression"},
        BadOption{"rocksdb", "compression = true", "compression", "expected a string",
                  "RocksdbCompressionWrongType"},
        BadOption{"rocksdb", "max_open_files = 5", "max_open_files", "too small", "RocksdbTooFewFiles"},
        BadOption{"rocksdb", "bloom_filter_bits = 10.5", "bloom_filter_bits", "got a floating-point number",
                  "RocksdbFloat"},
        BadOption{"rocksdb", "[nested]\nx = 1", "nested", "unknown option", "RocksdbTable"},
        BadOption{"lmdb", "map_size = 64", "map_size", "unknown option", "LmdbUnknownKey"},
        BadOption{"lmdb", "map_size_mb = 0", "map_size_mb", "out of range", "LmdbZeroMap"},
        BadOption{"lmdb", "max_readers = \"many\"", "max_readers", "expected an integer, got a string",
                  "LmdbWrongType"},
        BadOption{"lmdb", "map_size_mb = 64\nmax_map_size_mb = 32", "max_map_size_mb",
                  "smaller than map_size_mb", "LmdbCapBelowMap"},
        BadOption{"lmdb", "map_size_mb = 2000000", "map_size_mb", "smaller than map_size_mb",
                  "LmdbMapAboveDefaultCap"},
        BadOption{"lmdb", "map_resize_timeout_ms = -1", "map_resize_timeout_ms", "out of range",
                  "LmdbNegativeTimeout"},
        BadOption{"lmdb", "max_readers = 0", "max_readers", "out of range", "LmdbNoReaders"}),
    [](const auto& info) { return info.param.name; });

struct GoodOptions {
  std::string engine;
  std::string toml;
  std::string name;
};

void PrintTo(const GoodOptions& good, std::ostream* out) { *out << good.engine << ": " << good.toml; }

class StorageOptionAccepted : public ::testing::TestWithParam<GoodOptions> {};

TEST_P(StorageOptionAccepted, EngineOpensAndWorks) {
  const GoodOptions& good = GetParam();
  TempDir dir;
  PluginObject<StorageEngine> engine;
  const Status status = open_engine(good.engine, options_from(good.toml), dir.path(), engine);
  ASSERT_TRUE(status.is_ok()) << good.toml << ": " << status.to_string();
  WriteBatch batch;
  batch.put("key", std::string(10000, 'v'));
  ASSERT_TRUE(engine->write(batch, WriteOptions{}).is_ok());
  ASSERT_TRUE(engine->flush().is_ok());
  std::string value;
  ASSERT_TRUE(engine->get("key", value).is_ok());
  EXPECT_EQ(value.size(), 10000u);
}

INSTANTIATE_TEST_SUITE_P(
    Engines, StorageOptionAccepted,
    ::testing::Values(GoodOptions{"rocksdb", "", "RocksdbDefaults"},
                      GoodOptions{"rocksdb",
                                  "block_cache_mb = 0\nwrite_buffer_mb = 1\ncompression = \"none\"\n"
                                  "max_open_files = 100\nbloom_filter_bits = 0\nmax_background_jobs = 1",
                                  "RocksdbEveryOption"},
                      GoodOptions{"rocksdb", "compression = \"snappy\"", "RocksdbSnappy"},
                      GoodOptions{"rocksdb", "compression = \"lz4\"", "RocksdbLz4"},
                      GoodOptions{"rocksdb", "compression = \"zstd\"", "RocksdbZstd"},
                      GoodOptions{"rocksdb", "compression = \"zlib\"", "RocksdbZlib"},
                      GoodOptions{"lmdb", "", "LmdbDefaults"},
                      GoodOptions{"lmdb",
                                  "map_size_mb = 1\nmax_map_size_mb = 16\nmax_readers = 8\n"
                                  "map_resize_timeout_ms = 0",
                                  "LmdbEveryOption"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace kahuna::storage_tests
