// Large values: the interface promises values of at least 64 MiB.
#include "engine_test.h"
#include "link_anchors.h"

namespace kahuna::testkit {
namespace anchors {
void value_tests() {}
}  // namespace anchors
namespace {

using StorageLargeValues = StorageTest;

constexpr std::size_t kMiB = 1 << 20;

void expect_value(const std::optional<std::string>& got, const std::string& want, const std::string& key) {
  ASSERT_TRUE(got.has_value()) << key << " is missing";
  ASSERT_EQ(got->size(), want.size()) << key;
  EXPECT_TRUE(*got == want) << key << " has the right size but different bytes";
}

TEST_F(StorageLargeValues, OneMiBValues) {
  std::vector<std::string> values;
  WriteBatch batch;
  for (int i = 0; i < 8; ++i) {
    values.push_back(random_bytes(rng_, kMiB + static_cast<std::size_t>(i)));
    batch.put(numbered("big/", i, 2), values.back());
  }
  batch.put("big/small", "small");
  ASSERT_TRUE(write(batch, true));
  for (int i = 0; i < 8; ++i) expect_value(get(numbered("big/", i, 2)), values[i], "get");
  std::unique_ptr<Iterator> it = engine().iterator({});
  int seen = 0;
  for (it->seek_to_first(); it->valid() && seen < 8; it->next(), ++seen) {
    ASSERT_EQ(it->key(), numbered("big/", seen, 2));
    ASSERT_TRUE(it->value() == values[seen]) << "iterator value " << seen;
  }
  it.reset();
  ASSERT_NO_FATAL_FAILURE(reopen());
  for (int i = 0; i < 8; ++i) {
    expect_value(get(numbered("big/", i, 2)), values[i], "after reopen");
  }
  EXPECT_EQ(get("big/small"), "small");
}

TEST_F(StorageLargeValues, SixteenMiBValueWrittenReplacedAndDeleted) {
  const std::string first = random_bytes(rng_, 16 * kMiB);
  ASSERT_TRUE(put("huge", first, true));
  expect_value(get("huge"), first, "huge");
  std::unique_ptr<Snapshot> snap = snapshot();
  const std::string second = random_bytes(rng_, 16 * kMiB + 1);
  ASSERT_TRUE(put("huge", second, true));
  expect_value(get("huge"), second, "huge replaced");
  expect_value(get("huge", snap.get()), first, "huge through the snapshot");
  snap.reset();
  ASSERT_NO_FATAL_FAILURE(reopen());
  expect_value(get("huge"), second, "huge after reopen");
  WriteBatch remove;
  remove.remove("huge");
  ASSERT_TRUE(write(remove, true));
  EXPECT_EQ(get("huge"), std::nullopt);
}

TEST_F(StorageLargeValues, SixtyFourMiBValue) {
  const std::string value = random_bytes(rng_, 64 * kMiB);
  WriteBatch batch;
  batch.put("a", "before");
  batch.put("max", value);
  batch.put("z", "after");
  ASSERT_TRUE(write(batch, true));
  expect_value(get("max"), value, "max");
  const Entries all = scan(engine());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_TRUE(all[1].second == value);
}

}  // namespace
}  // namespace kahuna::testkit
