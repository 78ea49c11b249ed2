// Persistence across a clean close and reopen, flush(), and the contract
// of unlogged writes (WriteOptions::log = false) and checkpoint().
#include <atomic>
#include <thread>

#include "engine_test.h"
#include "link_anchors.h"

namespace kahuna::testkit {
namespace anchors {
void persistence_tests() {}
}  // namespace anchors
namespace {

using StoragePersistence = StorageTest;

// Which writes of a history go through the engine's log.
enum class Logging { kLogged, kUnlogged, kMixed };

// A batch of every kind of write on 500 keys, some of them long.
WriteBatch random_batch(std::mt19937_64& rng) {
  const std::string stem(800, 'h');
  WriteBatch batch;
  for (int i = 0; i < 20; ++i) {
    const std::string key = numbered("p/", rng() % 500, 3);
    switch (rng() % 6) {
      case 0: batch.remove(key); break;
      case 1: batch.remove_range(key, numbered("p/", rng() % 500, 3)); break;
      case 2: batch.put(stem + key, random_bytes(rng, rng() % 300)); break;
      default: batch.put(key, random_bytes(rng, rng() % 300)); break;
    }
  }
  return batch;
}

// A history of random batches. Logged ones alternate sync=true and
// sync=false; kMixed interleaves logged and unlogged ones at random, so the
// same keys are written both ways and the last write must win.
void write_history(StorageTest& test, std::mt19937_64& rng, Model& model, int batches,
                   Logging logging = Logging::kLogged) {
  for (int b = 0; b < batches; ++b) {
    const WriteBatch batch = random_batch(rng);
    WriteOptions options;
    options.sync = b % 2 == 0;
    options.log = logging == Logging::kLogged || (logging == Logging::kMixed && rng() % 2 == 0);
    if (!test.write(batch, options)) return;
    apply_to_model(batch, model);
  }
}

void expect_model(StorageEngine& engine, const Model& model) {
  EXPECT_TRUE(same_entries(scan(engine), model_entries(model)));
  EXPECT_TRUE(same_entries(scan_backward(engine), reversed(model_entries(model))));
}

TEST_F(StoragePersistence, ReopenKeepsEveryWrite) {
  Model model;
  write_history(*this, rng_, model, 100);
  ASSERT_NO_FATAL_FAILURE(reopen());
  EXPECT_TRUE(same_entries(scan(engine()), model_entries(model)));
  // Writing after a reopen continues the same data.
  write_history(*this, rng_, model, 50);
  ASSERT_NO_FATAL_FAILURE(reopen());
  EXPECT_TRUE(same_entries(scan(engine()), model_entries(model)));
  EXPECT_TRUE(same_entries(scan_backward(engine()), reversed(model_entries(model))));
}

TEST_F(StoragePersistence, FlushSucceedsAndKeepsEverything) {
  Model model;
  write_history(*this, rng_, model, 60);
  Status status = engine().flush();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_TRUE(same_entries(scan(engine()), model_entries(model)));
  // Flushing twice, and with nothing new, is fine too.
  status = engine().flush();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  write_history(*this, rng_, model, 10);
  status = engine().flush();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  ASSERT_NO_FATAL_FAILURE(reopen());
  EXPECT_TRUE(same_entries(scan(engine()), model_entries(model)));
}

TEST_F(StoragePersistence, EmptyEngineReopensEmpty) {
  ASSERT_NO_FATAL_FAILURE(reopen());
  EXPECT_TRUE(scan(engine()).empty());
  ASSERT_TRUE(put("only", "one"));
  ASSERT_NO_FATAL_FAILURE(reopen());
  EXPECT_TRUE(same_entries(scan(engine()), {{"only", "one"}}));
}

TEST_F(StoragePersistence, UnloggedWritesAreReadableAtOnce) {
  Model model;
  std::unique_ptr<Snapshot> before = snapshot();
  write_history(*this, rng_, model, 40, Logging::kUnlogged);
  expect_model(engine(), model);
  for (const auto& [key, value] : model) {
    const std::optional<std::string> got = get(key);
    ASSERT_TRUE(got.has_value()) << printable(key) << " is missing";
    ASSERT_TRUE(*got == value) << printable(key) << " has another value";
  }
  // A snapshot taken before them does not see them; one taken after does.
  IteratorOptions old_view;
  old_view.snapshot = before.get();
  EXPECT_TRUE(scan(engine(), old_view).empty());
  std::unique_ptr<Snapshot> after = snapshot();
  IteratorOptions new_view;
  new_view.snapshot = after.get();
  EXPECT_TRUE(same_entries(scan(engine(), new_view), model_entries(model)));
}

TEST_F(StoragePersistence, UnloggedWritesSurviveCheckpointAndReopen) {
  Model model;
  write_history(*this, rng_, model, 80, Logging::kUnlogged);
  Status status = engine().checkpoint();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  expect_model(engine(), model);
  ASSERT_NO_FATAL_FAILURE(reopen());
  expect_model(engine(), model);
  // Writing after a reopen continues the same data.
  write_history(*this, rng_, model, 40, Logging::kUnlogged);
  status = engine().checkpoint();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  ASSERT_NO_FATAL_FAILURE(reopen());
  expect_model(engine(), model);
}

TEST_F(StoragePersistence, MixedLoggedAndUnloggedWritesSurviveCheckpointLastWins) {
  Model model;
  write_history(*this, rng_, model, 120, Logging::kMixed);
  // The same key written logged, then unlogged, then logged, then unlogged:
  // the last write wins whichever way each went.
  for (int round = 0; round < 4; ++round) {
    WriteBatch batch;
    batch.put("p/same", "round " + std::to_string(round));
    WriteOptions options;
    options.log = round % 2 == 0;
    ASSERT_TRUE(write(batch, options));
    apply_to_model(batch, model);
  }
  const Status status = engine().checkpoint();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  ASSERT_NO_FATAL_FAILURE(reopen());
  expect_model(engine(), model);
  EXPECT_EQ(get("p/same"), std::optional<std::string>("round 3"));
}

TEST_F(StoragePersistence, UnloggedWritesSurviveFlushAndACleanClose) {
  Model model;
  write_history(*this, rng_, model, 40, Logging::kUnlogged);
  const Status status = engine().flush();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  ASSERT_NO_FATAL_FAILURE(reopen());
  expect_model(engine(), model);
  // Closing the engine without a checkpoint loses nothing either.
  write_history(*this, rng_, model, 40, Logging::kMixed);
  ASSERT_NO_FATAL_FAILURE(reopen());
  expect_model(engine(), model);
}

TEST_F(StoragePersistence, CheckpointOfAnEmptyEngineSucceeds) {
  Status status = engine().checkpoint();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  // Twice in a row, and with nothing new since the last one, is fine too.
  status = engine().checkpoint();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  ASSERT_NO_FATAL_FAILURE(reopen());
  EXPECT_TRUE(scan(engine()).empty());
  ASSERT_TRUE(put("only", "one"));
  status = engine().checkpoint();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  status = engine().checkpoint();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  ASSERT_NO_FATAL_FAILURE(reopen());
  EXPECT_TRUE(same_entries(scan(engine()), {{"only", "one"}}));
}

// One thread writes (the kernel's single writer) while another checkpoints
// again and again: writes and checkpoints all succeed, and everything
// written is there afterwards, and after a last checkpoint and a reopen.
TEST_F(StoragePersistence, WritesGoOnWhileCheckpointRuns) {
  constexpr int kBatches = 1500;
  Model model;
  std::atomic<bool> writing{true};
  std::atomic<int> written{0};
  std::mt19937_64 writer_rng(rng_());
  std::thread writer([&] {
    std::mt19937_64& rng = writer_rng;
    for (int b = 0; b < kBatches; ++b) {
      WriteBatch batch = random_batch(rng);
      // Keys of their own too, so that every batch leaves a trace.
      batch.put(numbered("w/", static_cast<std::uint64_t>(b), 6), std::string(200, 'w'));
      WriteOptions options;
      options.sync = false;
      options.log = b % 8 == 0;
      const Status status = engine().write(batch, options);
      if (!status.is_ok()) {
        ADD_FAILURE() << "write " << b << " failed during checkpoints: " << status.to_string();
        break;
      }
      apply_to_model(batch, model);
      written.fetch_add(1);
    }
    writing.store(false);
  });
  int checkpoints = 0;
  int during_writes = 0;
  while (writing.load() || checkpoints == 0) {
    const int before = written.load();
    const Status status = engine().checkpoint();
    ++checkpoints;
    if (written.load() > before) ++during_writes;
    if (!status.is_ok()) {
      ADD_FAILURE() << "checkpoint " << checkpoints << " failed during writes: " << status.to_string();
      break;
    }
  }
  writer.join();
  ASSERT_FALSE(HasFailure());
  ASSERT_EQ(written.load(), kBatches);
  RecordProperty("checkpoints", checkpoints);
  RecordProperty("checkpoints_overlapping_writes", during_writes);
  expect_model(engine(), model);
  const Status status = engine().checkpoint();
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  ASSERT_NO_FATAL_FAILURE(reopen());
  expect_model(engine(), model);
}

}  // namespace
}  // namespace kahuna::testkit
