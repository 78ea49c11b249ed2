// Persistence across a clean close and reopen, and flush().
#include "engine_test.h"
#include "link_anchors.h"

namespace kahuna::testkit {
namespace anchors {
void persistence_tests() {}
}  // namespace anchors
namespace {

using StoragePersistence = StorageTest;

// A mix of every kind of write, half of them with sync=false.
void write_history(StorageTest& test, std::mt19937_64& rng, Model& model, int batches) {
  const std::string stem(800, 'h');
  for (int b = 0; b < batches; ++b) {
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
    if (!test.write(batch, b % 2 == 0)) return;
    apply_to_model(batch, model);
  }
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

}  // namespace
}  // namespace kahuna::testkit
