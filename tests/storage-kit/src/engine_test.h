// StorageTest: the fixture of most conformance tests. Each test gets a
// fresh temporary data directory with an engine of the plugin under test
// opened in it, a random generator seeded for that test, and helpers that
// turn engine errors into test failures.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include <kahuna/plugin_loader.h>
#include <kahuna/storage_engine.h>

#include "conformance_env.h"
#include "kv_testing.h"

namespace kahuna::testkit {

class StorageTest : public ::testing::Test {
 public:
  StorageEngine& engine() { return *engine_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

  // Closes the engine and opens a new one on the same directory. Fails the
  // test (fatally: wrap in ASSERT_NO_FATAL_FAILURE) when the open fails.
  void reopen();
  void close_engine() { engine_.reset(); }

  // Writes `batch`; false (and a test failure) when the engine refuses.
  [[nodiscard]] bool write(const WriteBatch& batch, bool sync = false);
  [[nodiscard]] bool write(const WriteBatch& batch, const WriteOptions& options);
  [[nodiscard]] bool put(std::string_view key, std::string_view value, bool sync = false);
  // The value of `key`, or nullopt when absent. An error other than
  // kNotFound is a test failure.
  std::optional<std::string> get(std::string_view key, const Snapshot* snapshot = nullptr);
  std::unique_ptr<Snapshot> snapshot();

 protected:
  void SetUp() override;
  void TearDown() override;

  std::mt19937_64 rng_;

 private:
  void open();

  std::unique_ptr<TempDir> temp_;
  std::filesystem::path data_dir_;
  PluginObject<StorageEngine> engine_;
};

}  // namespace kahuna::testkit
