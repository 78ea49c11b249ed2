#include "engine_test.h"

namespace kahuna::testkit {

void StorageTest::SetUp() {
  rng_.seed(test_seed());
  temp_ = std::make_unique<TempDir>();
  data_dir_ = temp_->path() / "engine";
  std::filesystem::create_directory(data_dir_);
  ASSERT_NO_FATAL_FAILURE(open());
}

void StorageTest::TearDown() {
  engine_.reset();
  temp_.reset();
}

void StorageTest::open() {
  const Status status = open_engine(data_dir_, engine_);
  ASSERT_TRUE(status.is_ok()) << "cannot open the engine in " << data_dir_ << ": " << status.to_string();
}

void StorageTest::reopen() {
  engine_.reset();
  open();
}

bool StorageTest::write(const WriteBatch& batch, bool sync) {
  WriteOptions options;
  options.sync = sync;
  return write(batch, options);
}

bool StorageTest::write(const WriteBatch& batch, const WriteOptions& options) {
  const Status status = engine_->write(batch, options);
  EXPECT_TRUE(status.is_ok()) << "write of " << batch.count() << " operations failed: " << status.to_string();
  return status.is_ok();
}

bool StorageTest::put(std::string_view key, std::string_view value, bool sync) {
  WriteBatch batch;
  batch.put(key, value);
  return write(batch, sync);
}

std::optional<std::string> StorageTest::get(std::string_view key, const Snapshot* snapshot) {
  std::string value;
  const Status status = engine_->get(key, value, snapshot);
  if (status.code() == StatusCode::kNotFound) return std::nullopt;
  EXPECT_TRUE(status.is_ok()) << "get(" << printable(key) << ") failed: " << status.to_string();
  if (!status.is_ok()) return std::nullopt;
  return value;
}

std::unique_ptr<Snapshot> StorageTest::snapshot() {
  std::unique_ptr<Snapshot> out;
  const Status status = engine_->snapshot(out);
  EXPECT_TRUE(status.is_ok()) << "snapshot() failed: " << status.to_string();
  EXPECT_TRUE(!status.is_ok() || out != nullptr) << "snapshot() succeeded but returned null";
  return out;
}

}  // namespace kahuna::testkit
