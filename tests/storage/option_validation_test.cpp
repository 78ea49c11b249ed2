// Option validation of both engines: every refused option names its key as
// storage.<engine>.<key> and says why; valid options open an engine.
#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace kahuna::storage_tests {
namespace {

// An engine and the content of its [storage.<engine>] table.
struct EngineOptions {
  std::string engine;
  std::string toml;
  std::string name;  // the test's name
};

void PrintTo(const EngineOptions& options, std::ostream* out) {
  *out << options.engine << ": " << options.toml;
}

// Opens the parameter's engine with its options in a fresh directory.
template <typename Param>
class StorageOptionTest : public ::testing::TestWithParam<Param> {
 protected:
  Status open() {
    const Param& param = this->GetParam();
    return open_engine(param.engine, options_from(param.toml), dir_.path(), engine_);
  }

  TempDir dir_;
  PluginObject<StorageEngine> engine_;
};

struct BadOption : EngineOptions {
  std::string key;     // the key the error must name
  std::string reason;  // a fragment the error must contain
};

BadOption refused(std::string engine, std::string toml, std::string key, std::string reason,
                  std::string name) {
  return {{std::move(engine), std::move(toml), std::move(name)}, std::move(key), std::move(reason)};
}

class StorageOptionRefused : public StorageOptionTest<BadOption> {};

TEST_P(StorageOptionRefused, ErrorNamesTheKeyAndTheReason) {
  const BadOption& bad = GetParam();
  const Status status = open();
  ASSERT_FALSE(status.is_ok()) << bad.toml << " was accepted";
  EXPECT_FALSE(engine_);
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
        refused("rocksdb", "block_cach_mb = 64", "block_cach_mb", "unknown option", "RocksdbUnknownKey"),
        refused("rocksdb", "block_cache_mb = \"64\"", "block_cache_mb", "expected an integer, got a string",
                "RocksdbWrongType"),
        refused("rocksdb", "write_buffer_mb = 0", "write_buffer_mb", "out of range", "RocksdbOutOfRange"),
        refused("rocksdb", "block_cache_mb = -1", "block_cache_mb", "out of range", "RocksdbNegative"),
        refused("rocksdb", "compression = \"brotli\"", "compression", "is not one of",
                "RocksdbUnknownCompression"),
        refused("rocksdb", "compression = true", "compression", "expected a string",
                "RocksdbCompressionWrongType"),
        refused("rocksdb", "max_open_files = 5", "max_open_files", "too small", "RocksdbTooFewFiles"),
        refused("rocksdb", "bloom_filter_bits = 10.5", "bloom_filter_bits", "got a floating-point number",
                "RocksdbFloat"),
        refused("rocksdb", "[nested]\nx = 1", "nested", "unknown option", "RocksdbTable"),
        refused("lmdb", "map_size = 64", "map_size", "unknown option", "LmdbUnknownKey"),
        refused("lmdb", "map_size_mb = 0", "map_size_mb", "out of range", "LmdbZeroMap"),
        refused("lmdb", "max_readers = \"many\"", "max_readers", "expected an integer, got a string",
                "LmdbWrongType"),
        refused("lmdb", "map_size_mb = 64\nmax_map_size_mb = 32", "max_map_size_mb",
                "smaller than map_size_mb", "LmdbCapBelowMap"),
        refused("lmdb", "map_size_mb = 2000000", "map_size_mb", "smaller than map_size_mb",
                "LmdbMapAboveDefaultCap"),
        refused("lmdb", "map_resize_timeout_ms = -1", "map_resize_timeout_ms", "out of range",
                "LmdbNegativeTimeout"),
        refused("lmdb", "max_readers = 0", "max_readers", "out of range", "LmdbNoReaders")),
    [](const auto& info) { return info.param.name; });

class StorageOptionAccepted : public StorageOptionTest<EngineOptions> {};

TEST_P(StorageOptionAccepted, EngineOpensAndWorks) {
  const Status status = open();
  ASSERT_TRUE(status.is_ok()) << GetParam().toml << ": " << status.to_string();
  WriteBatch batch;
  batch.put("key", std::string(10000, 'v'));
  ASSERT_TRUE(engine_->write(batch, WriteOptions{}).is_ok());
  ASSERT_TRUE(engine_->flush().is_ok());
  std::string value;
  ASSERT_TRUE(engine_->get("key", value).is_ok());
  EXPECT_EQ(value.size(), 10000u);
}

INSTANTIATE_TEST_SUITE_P(
    Engines, StorageOptionAccepted,
    ::testing::Values(EngineOptions{"rocksdb", "", "RocksdbDefaults"},
                      EngineOptions{"rocksdb",
                                    "block_cache_mb = 0\nwrite_buffer_mb = 1\ncompression = \"none\"\n"
                                    "max_open_files = 100\nbloom_filter_bits = 0\nmax_background_jobs = 1",
                                    "RocksdbEveryOption"},
                      EngineOptions{"rocksdb", "compression = \"snappy\"", "RocksdbSnappy"},
                      EngineOptions{"rocksdb", "compression = \"lz4\"", "RocksdbLz4"},
                      EngineOptions{"rocksdb", "compression = \"zstd\"", "RocksdbZstd"},
                      EngineOptions{"rocksdb", "compression = \"zlib\"", "RocksdbZlib"},
                      EngineOptions{"lmdb", "", "LmdbDefaults"},
                      EngineOptions{"lmdb",
                                    "map_size_mb = 1\nmax_map_size_mb = 16\nmax_readers = 8\n"
                                    "map_resize_timeout_ms = 0",
                                    "LmdbEveryOption"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace kahuna::storage_tests
