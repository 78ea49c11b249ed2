// Concurrent use: readers during writes, and snapshots and iterators used
// from threads other than their creator's.
#include <atomic>
#include <chrono>
#include <thread>

#include "engine_test.h"
#include "link_anchors.h"

namespace kahuna::testkit {
namespace anchors {
void concurrency_tests() {}
}  // namespace anchors
namespace {

using StorageConcurrency = StorageTest;

// Batch g sets "c/a" and "c/b" to g, adds item g and deletes item g-20 (by
// range), so any consistent view has a == b and items (a-19 .. a]. Readers
// check that through snapshots, snapshot-less iterators and plain gets
// (which must never go back in time).
TEST_F(StorageConcurrency, ReadersSeeConsistentStatesDuringWrites) {
  constexpr int kGenerations = 400;
  auto generation_batch = [](int g) {
    WriteBatch batch;
    batch.put("c/a", std::to_string(g));
    batch.put("c/b", std::to_string(g));
    batch.put(numbered("c/item/", g, 6), std::string(100 + g % 50, 'i'));
    if (g >= 20) {
      batch.remove_range(numbered("c/item/", g - 20, 6), numbered("c/item/", g - 19, 6));
    }
    return batch;
  };
  ASSERT_TRUE(write(generation_batch(0)));

  std::atomic<bool> stop{false};
  std::atomic<int> views{0};
  auto check_view = [&](const Entries& seen, const char* how) {
    // seen = c/a, c/b, c/item/... in key order.
    ASSERT_GE(seen.size(), 3u) << how;
    ASSERT_EQ(seen[0].first, "c/a") << how;
    ASSERT_EQ(seen[1].first, "c/b") << how;
    ASSERT_EQ(seen[0].second, seen[1].second) << how;
    const int g = std::stoi(seen[0].second);
    const int first = std::max(0, g - 19);
    ASSERT_EQ(seen.size(), static_cast<std::size_t>(2 + g - first + 1)) << how << " at " << g;
    for (int i = first; i <= g; ++i) {
      ASSERT_EQ(seen[2 + i - first].first, numbered("c/item/", i, 6)) << how;
    }
    views.fetch_add(1);
  };
  auto snapshot_reader = [&] {
    while (!stop.load()) {
      std::unique_ptr<Snapshot> snap;
      const Status status = engine().snapshot(snap);
      ASSERT_TRUE(status.is_ok()) << status.to_string();
      std::string a, b;
      ASSERT_TRUE(engine().get("c/a", a, snap.get()).is_ok());
      ASSERT_TRUE(engine().get("c/b", b, snap.get()).is_ok());
      ASSERT_EQ(a, b) << "two gets through one snapshot disagree";
      IteratorOptions options;
      options.snapshot = snap.get();
      const Entries seen = scan(engine(), options);
      check_view(seen, "snapshot iterator");
      ASSERT_EQ(seen[0].second, a) << "the snapshot's iterator and gets disagree";
    }
  };
  auto iterator_reader = [&] {
    while (!stop.load()) check_view(scan(engine(), {}), "iterator without snapshot");
  };
  auto get_reader = [&] {
    int last = -1;
    while (!stop.load()) {
      std::string value;
      ASSERT_TRUE(engine().get("c/a", value).is_ok());
      const int g = std::stoi(value);
      ASSERT_GE(g, last) << "a later get saw an older value";
      last = g;
    }
  };
  std::vector<std::thread> readers;
  readers.emplace_back(snapshot_reader);
  readers.emplace_back(iterator_reader);
  readers.emplace_back(get_reader);
  // On until the readers have checked a few views: on a loaded machine they
  // may get little time alongside the writer.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (int g = 1; g <= kGenerations || (views.load() < 20 && std::chrono::steady_clock::now() < deadline);
       ++g) {
    if (!write(generation_batch(g), g % 50 == 0)) break;
  }
  stop = true;
  for (std::thread& t : readers) t.join();
  EXPECT_GT(views.load(), 0);
}

// The interface lets a snapshot or iterator be used by a thread other than
// its creator's (one thread at a time), and several iterators of one
// snapshot be used by several threads at once.
TEST_F(StorageConcurrency, SnapshotsAndIteratorsMoveBetweenThreads) {
  Model model;
  WriteBatch batch;
  for (int i = 0; i < 2000; ++i) batch.put(numbered("t/", i, 4), std::to_string(i * i));
  ASSERT_TRUE(write(batch));
  apply_to_model(batch, model);

  std::unique_ptr<Snapshot> snap;
  std::unique_ptr<Iterator> moved;
  std::thread maker([&] {
    ASSERT_TRUE(engine().snapshot(snap).is_ok());
    moved = engine().iterator({});
    moved->seek_to_first();
  });
  maker.join();
  ASSERT_NE(snap, nullptr);
  ASSERT_NE(moved, nullptr);
  WriteBatch change;
  change.remove_range("t/0500", "t/1500");
  ASSERT_TRUE(write(change));

  std::vector<std::thread> scanners;
  for (int t = 0; t < 4; ++t) {
    scanners.emplace_back([&, t] {
      IteratorOptions options;
      options.snapshot = snap.get();
      for (int round = 0; round < 5; ++round) {
        const Entries seen =
            t % 2 == 0 ? scan(engine(), options) : reversed(scan_backward(engine(), options));
        ASSERT_TRUE(same_entries(seen, model_entries(model))) << "scanner " << t;
        std::string value;
        ASSERT_TRUE(engine().get("t/1000", value, snap.get()).is_ok());
      }
    });
  }
  std::thread user([&] {
    Entries seen;
    for (; moved->valid(); moved->next()) seen.emplace_back(moved->key(), moved->value());
    EXPECT_TRUE(same_entries(seen, model_entries(model))) << "iterator moved to another thread";
    moved.reset();
  });
  for (std::thread& t : scanners) t.join();
  user.join();
  std::thread releaser([&] { snap.reset(); });
  releaser.join();
  EXPECT_EQ(scan(engine()).size(), 1000u);
}

}  // namespace
}  // namespace kahuna::testkit
