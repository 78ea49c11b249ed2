// Snapshots: a consistent view as of their creation, for gets and
// iterators alike; an iterator without a snapshot takes its own view.
#include "engine_test.h"
#include "link_anchors.h"

namespace kahuna::testkit {
namespace anchors {
void snapshot_tests() {}
}  // namespace anchors
namespace {

using StorageSnapshot = StorageTest;

// Changes a..z in several ways after a snapshot: overwrite, delete,
// delete-range, new keys, and long keys.
WriteBatch later_changes() {
  WriteBatch batch;
  batch.put("a", "changed");
  batch.remove("b");
  batch.remove_range("d", "g");
  batch.put("new", "added");
  batch.put(std::string(1000, 'L') + "x", "long changed");
  batch.put(std::string(1000, 'L') + "y", "long added");
  return batch;
}

WriteBatch initial_state() {
  WriteBatch batch;
  for (char c = 'a'; c <= 'z'; ++c) batch.put(std::string(1, c), std::string("old ") + c);
  batch.put(std::string(1000, 'L') + "x", "long old");
  return batch;
}

TEST_F(StorageSnapshot, GetsSeeTheStateAtTheSnapshot) {
  Model before;
  ASSERT_TRUE(write(initial_state()));
  apply_to_model(initial_state(), before);
  std::unique_ptr<Snapshot> snap = snapshot();
  ASSERT_NE(snap, nullptr);
  Model after = before;
  ASSERT_TRUE(write(later_changes()));
  apply_to_model(later_changes(), after);

  for (const std::string key : {"a", "b", "d", "f", "g", "new", "zz"}) {
    const auto old_value = before.find(key);
    const auto new_value = after.find(key);
    EXPECT_EQ(get(key, snap.get()),
              old_value == before.end() ? std::nullopt : std::optional(old_value->second))
        << key << " through the snapshot";
    EXPECT_EQ(get(key), new_value == after.end() ? std::nullopt : std::optional(new_value->second))
        << key << " now";
  }
  EXPECT_EQ(get(std::string(1000, 'L') + "x", snap.get()), "long old");
  EXPECT_EQ(get(std::string(1000, 'L') + "y", snap.get()), std::nullopt);
}

TEST_F(StorageSnapshot, IteratorsSeeTheStateAtTheirSnapshot) {
  Model model;
  std::vector<std::pair<std::unique_ptr<Snapshot>, Model>> snapshots;
  ASSERT_TRUE(write(initial_state()));
  apply_to_model(initial_state(), model);
  for (int round = 0; round < 5; ++round) {
    snapshots.emplace_back(snapshot(), model);
    WriteBatch batch = later_changes();
    batch.put("round", std::to_string(round));
    batch.remove(std::string(1, static_cast<char>('h' + round)));
    ASSERT_TRUE(write(batch));
    apply_to_model(batch, model);
  }
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    IteratorOptions options;
    options.snapshot = snapshots[i].first.get();
    EXPECT_TRUE(same_entries(scan(engine(), options), model_entries(snapshots[i].second)))
        << "snapshot " << i;
    EXPECT_TRUE(same_entries(scan_backward(engine(), options), reversed(model_entries(snapshots[i].second))))
        << "snapshot " << i;
    options.lower_bound = "c";
    options.upper_bound = "p";
    EXPECT_TRUE(same_entries(scan(engine(), options), model_entries(snapshots[i].second, "c", "p")))
        << "snapshot " << i << " with bounds";
  }
  EXPECT_TRUE(same_entries(scan(engine()), model_entries(model)));
}

TEST_F(StorageSnapshot, IteratorWithoutSnapshotIsConsistentAsOfCreation) {
  Model model;
  ASSERT_TRUE(write(initial_state()));
  apply_to_model(initial_state(), model);
  std::unique_ptr<Iterator> it = engine().iterator({});  // not positioned yet
  ASSERT_TRUE(write(later_changes()));
  WriteBatch more;
  more.remove_range("", "\xff");
  ASSERT_TRUE(write(more));

  Entries seen;
  for (it->seek_to_first(); it->valid(); it->next()) seen.emplace_back(it->key(), it->value());
  EXPECT_TRUE(it->status().is_ok()) << it->status().to_string();
  EXPECT_TRUE(same_entries(seen, model_entries(model)));
  it->seek("f");
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->value(), "old f");
}

TEST_F(StorageSnapshot, SnapshotSurvivesManyLaterWrites) {
  WriteBatch batch;
  for (int i = 0; i < 1000; ++i) batch.put(numbered("s/", i, 4), "first");
  ASSERT_TRUE(write(batch));
  std::unique_ptr<Snapshot> snap = snapshot();
  for (int round = 0; round < 20; ++round) {
    WriteBatch change;
    for (int i = 0; i < 1000; ++i) change.put(numbered("s/", i, 4), "round " + std::to_string(round));
    if (round % 2 == 1) change.remove_range("s/0100", "s/0900");
    ASSERT_TRUE(write(change));
  }
  IteratorOptions options;
  options.snapshot = snap.get();
  const Entries seen = scan(engine(), options);
  ASSERT_EQ(seen.size(), 1000u);
  for (const Entry& e : seen) ASSERT_EQ(e.second, "first") << printable(e.first);
}

}  // namespace
}  // namespace kahuna::testkit
