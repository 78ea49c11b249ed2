// Write batches: operations apply in order, and a batch becomes visible all
// at once.
#include <atomic>
#include <chrono>
#include <thread>

#include "engine_test.h"
#include "link_anchors.h"

namespace kahuna::testkit {
namespace anchors {
void batch_tests() {}
}  // namespace anchors
namespace {

using StorageBatch = StorageTest;

TEST_F(StorageBatch, EmptyBatchIsAccepted) {
  ASSERT_TRUE(write(WriteBatch(), true));
  ASSERT_TRUE(write(WriteBatch(), false));
  EXPECT_TRUE(scan(engine()).empty());
}

TEST_F(StorageBatch, MissingKeyIsNotFound) {
  ASSERT_TRUE(put("present", "1"));
  std::string value = "untouched";
  const Status status = engine().get("absent", value);
  EXPECT_EQ(status.code(), StatusCode::kNotFound) << status.to_string();
  EXPECT_EQ(get("present"), "1");
}

TEST_F(StorageBatch, EmptyValueIsStoredAndDiffersFromAbsent) {
  ASSERT_TRUE(put("empty", ""));
  EXPECT_EQ(get("empty"), std::string());
  EXPECT_EQ(get("absent"), std::nullopt);
}

TEST_F(StorageBatch, OverwriteAndDeleteMissingKey) {
  ASSERT_TRUE(put("k", "one"));
  ASSERT_TRUE(put("k", "two"));
  EXPECT_EQ(get("k"), "two");
  WriteBatch batch;
  batch.remove("never-written");
  ASSERT_TRUE(write(batch));
  EXPECT_TRUE(same_entries(scan(engine()), {{"k", "two"}}));
}

// Later operations of one batch see and override earlier ones, including
// across kinds: put-then-delete, delete-then-put, put inside a range that a
// later delete-range removes, and a put after a delete-range that survives.
TEST_F(StorageBatch, MixedOperationsApplyInOrder) {
  Model model;
  WriteBatch setup;
  for (int i = 0; i < 50; ++i) setup.put(numbered("k", i, 2), "v" + std::to_string(i));
  ASSERT_TRUE(write(setup));
  apply_to_model(setup, model);

  WriteBatch batch;
  batch.put("k05", "new");
  batch.remove("k05");  // put then delete: gone
  batch.remove("k06");
  batch.put("k06", "back");  // delete then put: present
  batch.put("k25", "inside");
  batch.remove_range("k20", "k30");  // removes k25 too
  batch.put("k22", "after-range");   // survives
  batch.remove_range("k40", "k40");  // empty range: nothing
  batch.remove_range("k45", "k42");  // inverted range: nothing
  batch.put("k99", "new-key");
  batch.remove("k10");
  batch.put("k11", "changed");
  ASSERT_TRUE(write(batch, true));
  apply_to_model(batch, model);

  EXPECT_TRUE(same_entries(scan(engine()), model_entries(model)));
  EXPECT_EQ(get("k05"), std::nullopt);
  EXPECT_EQ(get("k06"), "back");
  EXPECT_EQ(get("k22"), "after-range");
  EXPECT_EQ(get("k25"), std::nullopt);
  EXPECT_EQ(get("k40"), "v40");
  EXPECT_EQ(get("k43"), "v43");
}

// Readers never see part of a batch. Each batch switches 200 keys between
// two complete states (different keys, values, and a range deletion), so a
// reader that sees anything but one whole state saw a partial batch.
TEST_F(StorageBatch, BatchBecomesVisibleAllAtOnce) {
  constexpr int kKeys = 200;
  auto state_batch = [&](int generation) {
    WriteBatch batch;
    batch.remove_range("atom/", "atom0");
    const int parity = generation % 2;
    for (int i = parity; i < kKeys; i += 2) {
      batch.put(numbered("atom/", i, 4), std::to_string(generation));
    }
    batch.put("atom/generation", std::to_string(generation));
    return batch;
  };
  ASSERT_TRUE(write(state_batch(0)));

  std::atomic<bool> stop{false};
  std::atomic<int> checks{0};
  auto reader = [&] {
    while (!stop.load()) {
      IteratorOptions options;
      options.lower_bound = "atom/";
      options.upper_bound = "atom0";
      const Entries seen = scan(engine(), options);
      ASSERT_FALSE(seen.empty());
      const Entry& generation = seen.back();
      ASSERT_EQ(generation.first, "atom/generation");
      const int g = std::stoi(generation.second);
      ASSERT_EQ(seen.size(), static_cast<std::size_t>(kKeys / 2 + 1)) << "generation " << g;
      for (std::size_t i = 0; i + 1 < seen.size(); ++i) {
        ASSERT_EQ(seen[i].first, numbered("atom/", 2 * i + g % 2, 4)) << "generation " << g;
        ASSERT_EQ(seen[i].second, generation.second);
      }
      checks.fetch_add(1);
    }
  };
  std::thread a(reader);
  std::thread b(reader);
  // At least 300 batches, and on until the readers have checked a few
  // states: on a loaded machine they may get little time alongside.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (int g = 1; g <= 300 || (checks.load() < 20 && std::chrono::steady_clock::now() < deadline); ++g) {
    if (!write(state_batch(g))) break;
  }
  stop = true;
  a.join();
  b.join();
  EXPECT_GT(checks.load(), 0);
}

}  // namespace
}  // namespace kahuna::testkit
