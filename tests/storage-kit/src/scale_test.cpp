// Many keys, and approximate_size() following the amount of data.
#include <algorithm>
#include <numeric>

#include "engine_test.h"
#include "link_anchors.h"

namespace kahuna::testkit {
namespace anchors {
void scale_tests() {}
}  // namespace anchors
namespace {

using StorageScale = StorageTest;

TEST_F(StorageScale, HundredThousandKeysIterateInOrder) {
  constexpr std::uint64_t kKeys = 100'000;
  // Written in a shuffled order, so the engine has to sort them.
  std::vector<std::uint64_t> order(kKeys);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng_);
  auto value_of = [](std::uint64_t i) { return "value-" + std::to_string(i * 7919 % 100'003); };
  WriteBatch batch;
  for (std::size_t n = 0; n < order.size(); ++n) {
    batch.put(numbered("many/", order[n], 6), value_of(order[n]));
    if (batch.count() == 2000) {
      ASSERT_TRUE(write(batch));
      batch.clear();
    }
  }
  ASSERT_TRUE(write(batch));

  std::uint64_t count = 0;
  std::unique_ptr<Iterator> it = engine().iterator({});
  for (it->seek_to_first(); it->valid(); it->next(), ++count) {
    ASSERT_EQ(it->key(), numbered("many/", count, 6));
    ASSERT_EQ(it->value(), value_of(count));
  }
  ASSERT_TRUE(it->status().is_ok()) << it->status().to_string();
  EXPECT_EQ(count, kKeys);
  for (it->seek_to_last(); it->valid(); it->prev()) --count;
  EXPECT_EQ(count, 0u) << "backward iteration saw a different number of keys";
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t k = rng_() % kKeys;
    ASSERT_EQ(get(numbered("many/", k, 6)), value_of(k));
  }
}

// Engines may count bytes on disk or logical bytes, and may see written
// data only once it is flushed: every measure here follows a flush().
TEST_F(StorageScale, ApproximateSizeGrowsWithData) {
  auto measure = [&](std::string_view begin, std::string_view end) {
    std::uint64_t bytes = 0;
    const Status status = engine().approximate_size(begin, end, bytes);
    EXPECT_TRUE(status.is_ok()) << status.to_string();
    return bytes;
  };
  auto add = [&](int from, int to) {
    WriteBatch batch;
    // Random values, so compression cannot shrink them.
    for (int i = from; i < to; ++i) batch.put(numbered("size/", i, 5), random_bytes(rng_, 4096));
    if (!write(batch)) return false;
    const Status status = engine().flush();
    EXPECT_TRUE(status.is_ok()) << status.to_string();
    return status.is_ok();
  };
  const std::uint64_t empty = measure("size/", "size0");
  ASSERT_TRUE(add(0, 1024));  // 4 MiB
  const std::uint64_t one = measure("size/", "size0");
  ASSERT_TRUE(add(1024, 3072));  // 8 MiB more
  const std::uint64_t three = measure("size/", "size0");
  const std::uint64_t unbounded = measure("size/", "");
  const std::uint64_t elsewhere = measure("t", "u");
  const std::uint64_t first_part = measure("size/", numbered("size/", 1024, 5));

  EXPECT_GT(one, empty);
  EXPECT_GT(one, 1u << 20) << "4 MiB of data estimated as " << one << " bytes";
  EXPECT_GT(three, one);
  EXPECT_GE(unbounded, three / 2) << "an empty end means no upper bound";
  EXPECT_LT(elsewhere, three / 4) << "a range with no keys estimated as " << elsewhere;
  EXPECT_LT(first_part, three) << "a third of the keys estimated as all of them";
}

}  // namespace
}  // namespace kahuna::testkit
