// Iterator bounds: lower inclusive, upper exclusive, in both directions,
// with seeks outside the bounds clamped to them.
#include "engine_test.h"
#include "link_anchors.h"
#include "model_cursor.h"

namespace kahuna::testkit {
namespace anchors {
void bounds_tests() {}
}  // namespace anchors
namespace {

class StorageBounds : public StorageTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StorageTest::SetUp());
    WriteBatch batch;
    for (int i = 0; i < 100; i += 2) batch.put(numbered("k", i, 3), "v" + std::to_string(i));
    ASSERT_TRUE(write(batch));
    apply_to_model(batch, model_);
  }

  void expect_range(const std::optional<std::string>& lower, const std::optional<std::string>& upper) {
    IteratorOptions options;
    options.lower_bound = lower;
    options.upper_bound = upper;
    const Entries want = model_entries(model_, lower, upper);
    EXPECT_TRUE(same_entries(scan(engine(), options), want))
        << "forward, lower " << (lower ? printable(*lower) : "none") << ", upper "
        << (upper ? printable(*upper) : "none");
    EXPECT_TRUE(same_entries(scan_backward(engine(), options), reversed(want)))
        << "backward, lower " << (lower ? printable(*lower) : "none") << ", upper "
        << (upper ? printable(*upper) : "none");
  }

  Model model_;
};

TEST_F(StorageBounds, BoundsLimitIterationBothWays) {
  const std::optional<std::string> none;
  // Bounds on keys, between keys, before the first and after the last.
  const std::vector<std::optional<std::string>> points = {
      none, "", "a", "k000", "k001", "k010", "k011", "k049", "k050", "k098", "k099", "k1", "z"};
  for (const auto& lower : points) {
    for (const auto& upper : points) {
      if (lower && upper && *lower > *upper) continue;
      expect_range(lower, upper);
    }
  }
}

TEST_F(StorageBounds, EmptyRangeIsNeverValid) {
  for (const auto& [lower, upper] : std::vector<std::pair<std::string, std::string>>{
           {"k010", "k010"}, {"k011", "k011"}, {"k050", "k020"}, {"z", "a"}}) {
    IteratorOptions options;
    options.lower_bound = lower;
    options.upper_bound = upper;
    std::unique_ptr<Iterator> it = engine().iterator(options);
    it->seek_to_first();
    EXPECT_FALSE(it->valid()) << lower << ".." << upper;
    it->seek_to_last();
    EXPECT_FALSE(it->valid()) << lower << ".." << upper;
    for (const char* target : {"", "k010", "k030", "zz"}) {
      it->seek(target);
      EXPECT_FALSE(it->valid()) << lower << ".." << upper << " seek " << target;
      it->seek_for_prev(target);
      EXPECT_FALSE(it->valid()) << lower << ".." << upper << " seek_for_prev " << target;
    }
    EXPECT_TRUE(it->status().is_ok()) << it->status().to_string();
  }
}

TEST_F(StorageBounds, SeeksAreClampedToTheBounds) {
  IteratorOptions options;
  options.lower_bound = "k020";
  options.upper_bound = "k031";
  std::unique_ptr<Iterator> it = engine().iterator(options);

  it->seek("a");  // below the lower bound: the first key in bounds
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->key(), "k020");
  it->prev();
  EXPECT_FALSE(it->valid()) << "prev() crossed the lower bound";

  it->seek("k031");  // at the upper bound: nothing
  EXPECT_FALSE(it->valid());
  it->seek("k040");  // past it, though keys exist there
  EXPECT_FALSE(it->valid());

  it->seek_for_prev("z");  // past the upper bound: the last key in bounds
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->key(), "k030");
  it->next();
  EXPECT_FALSE(it->valid()) << "next() crossed the upper bound";

  it->seek_for_prev("k031");
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->key(), "k030");
  it->seek_for_prev("k019");  // below the lower bound, though keys exist there
  EXPECT_FALSE(it->valid());
  it->seek_for_prev("k020");
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->key(), "k020");
  it->seek_for_prev("k025");
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->key(), "k024");
  it->seek("k025");
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(it->key(), "k026");
  EXPECT_TRUE(it->status().is_ok()) << it->status().to_string();
}

// Bounds that fall among long keys sharing a long prefix: an engine that
// stores such keys specially must still cut exactly at the bound.
TEST_F(StorageBounds, BoundsAmongLongKeys) {
  const std::string stem(600, 'p');
  WriteBatch batch;
  for (int i = 0; i < 40; ++i) {
    batch.put(stem.substr(0, 480 + i * 3) + numbered("/", i, 2), "short-ish " + std::to_string(i));
    batch.put(stem + numbered("/", i, 2), "long " + std::to_string(i));
    batch.put(stem + stem + numbered("/", i, 2), "longer " + std::to_string(i));
  }
  ASSERT_TRUE(write(batch));
  apply_to_model(batch, model_);

  std::vector<std::optional<std::string>> points = {std::nullopt};
  for (int i : {0, 7, 20, 39}) {
    points.push_back(stem.substr(0, 480 + i * 3) + numbered("/", i, 2));
    points.push_back(stem + numbered("/", i, 2));
    points.push_back(stem + numbered("/", i, 2) + '\0');
    points.push_back(stem + stem + numbered("/", i, 2));
  }
  points.push_back(stem);
  points.push_back(stem + stem);
  points.push_back(stem.substr(0, 509));
  points.push_back(stem.substr(0, 510));
  points.push_back(stem.substr(0, 511));
  for (const auto& lower : points) {
    for (const auto& upper : points) {
      if (lower && upper && *lower > *upper) continue;
      expect_range(lower, upper);
    }
  }
}

// Random walks with bounds, compared step by step with the model.
TEST_F(StorageBounds, RandomWalksWithinBounds) {
  const std::vector<std::string> points = {"", "k", "k000", "k013", "k050", "k07", "k098", "l"};
  std::uniform_int_distribution<std::size_t> pick(0, points.size() - 1);
  std::uniform_int_distribution<int> action(0, 5);
  for (int walk = 0; walk < 200; ++walk) {
    std::string lower = points[pick(rng_)];
    std::string upper = points[pick(rng_)];
    if (lower > upper) std::swap(lower, upper);
    IteratorOptions options;
    options.lower_bound = lower;
    options.upper_bound = upper;
    std::unique_ptr<Iterator> it = engine().iterator(options);
    ModelCursor want(model_, lower, upper);
    for (int step = 0; step < 30; ++step) {
      const std::string target = numbered("k", rng_() % 110, 3);
      const auto move = static_cast<CursorMove>(action(rng_));
      // Steps are only taken from a valid position; an invalid one stays put.
      const bool steps = move == CursorMove::kNext || move == CursorMove::kPrev;
      const std::string did = steps && !want.valid() ? "" : move_both(*it, want, move, target);
      ASSERT_EQ(it->valid(), want.valid()) << did << " within [" << lower << ", " << upper << ")";
      if (want.valid()) {
        ASSERT_EQ(it->key(), want.key()) << did << " within [" << lower << ", " << upper << ")";
        ASSERT_EQ(it->value(), want.value());
      }
    }
    ASSERT_TRUE(it->status().is_ok()) << it->status().to_string();
  }
}

}  // namespace
}  // namespace kahuna::testkit
