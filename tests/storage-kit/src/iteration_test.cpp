// Iteration without bounds: positioning, reverse order, seek and
// seek_for_prev, and changes of direction.
#include "engine_test.h"
#include "link_anchors.h"
#include "model_cursor.h"

namespace kahuna::testkit {
namespace anchors {
void iteration_tests() {}
}  // namespace anchors
namespace {

using StorageIteration = StorageTest;
using namespace std::string_literals;

TEST_F(StorageIteration, NewIteratorIsNotPositioned) {
  ASSERT_TRUE(put("a", "1"));
  std::unique_ptr<Iterator> it = engine().iterator({});
  ASSERT_NE(it, nullptr);
  EXPECT_FALSE(it->valid());
  EXPECT_TRUE(it->status().is_ok()) << it->status().to_string();
}

TEST_F(StorageIteration, EmptyEngineHasNothingToVisit) {
  std::unique_ptr<Iterator> it = engine().iterator({});
  it->seek_to_first();
  EXPECT_FALSE(it->valid());
  it->seek_to_last();
  EXPECT_FALSE(it->valid());
  it->seek("");
  EXPECT_FALSE(it->valid());
  it->seek_for_prev("\xff\xff");
  EXPECT_FALSE(it->valid());
  EXPECT_TRUE(it->status().is_ok()) << it->status().to_string();
}

TEST_F(StorageIteration, ReverseIterationVisitsEveryKey) {
  Model model;
  WriteBatch batch;
  for (int i = 0; i < 3000; ++i) {
    batch.put(numbered("r/", rng_() % 100000, 5), std::to_string(i));
  }
  ASSERT_TRUE(write(batch));
  apply_to_model(batch, model);
  EXPECT_TRUE(same_entries(scan_backward(engine()), reversed(model_entries(model))));
}

TEST_F(StorageIteration, SeekAndSeekForPrevFindTheNearestKeys) {
  WriteBatch batch;
  for (const char* k : {"b", "d", "d\x01", "f"}) batch.put(k, std::string("v") + k);
  ASSERT_TRUE(write(batch));
  std::unique_ptr<Iterator> it = engine().iterator({});
  struct Case {
    std::string target;
    std::optional<std::string> seek;           // first key >= target
    std::optional<std::string> seek_for_prev;  // last key <= target
  };
  const std::vector<Case> cases = {
      {"", "b", std::nullopt},
      {"a", "b", std::nullopt},
      {"b", "b", "b"},
      {"b\x00"s, "d", "b"},
      {"c", "d", "b"},
      {"d", "d", "d"},
      {"d\x00"s, "d\x01", "d"},
      {"d\x01", "d\x01", "d\x01"},
      {"d\x01\x00"s, "f", "d\x01"},
      {"e", "f", "d\x01"},
      {"f", "f", "f"},
      {"f\x00"s, std::nullopt, "f"},
      {"\xff", std::nullopt, "f"},
  };
  for (const Case& c : cases) {
    it->seek(c.target);
    ASSERT_EQ(it->valid(), c.seek.has_value()) << "seek(" << printable(c.target) << ")";
    if (c.seek) {
      EXPECT_EQ(it->key(), *c.seek) << "seek(" << printable(c.target) << ")";
      EXPECT_EQ(it->value(), "v" + *c.seek);
    }
    it->seek_for_prev(c.target);
    ASSERT_EQ(it->valid(), c.seek_for_prev.has_value()) << "seek_for_prev(" << printable(c.target) << ")";
    if (c.seek_for_prev) {
      EXPECT_EQ(it->key(), *c.seek_for_prev) << "seek_for_prev(" << printable(c.target) << ")";
    }
  }
}

// Alternating next() and prev() is where iterators that keep direction
// state go wrong; long keys sharing prefixes are mixed in.
TEST_F(StorageIteration, DirectionChangesMatchTheModel) {
  Model model;
  WriteBatch batch;
  const std::string stem(700, 's');
  for (int i = 0; i < 300; ++i) {
    batch.put(numbered("w/", rng_() % 1000, 3), std::to_string(i));
    if (i % 3 == 0) batch.put("w/" + stem.substr(0, 500 + rng_() % 100) + std::to_string(i), "L");
  }
  ASSERT_TRUE(write(batch));
  apply_to_model(batch, model);

  std::unique_ptr<Iterator> it = engine().iterator({});
  ModelCursor want(model, std::nullopt, std::nullopt);
  it->seek_to_first();
  want.seek_to_first();
  for (int step = 0; step < 5000; ++step) {
    const int action = static_cast<int>(rng_() % 10);
    if (!want.valid() || action == 0) {
      const std::string target = numbered("w/", rng_() % 1000, 3);
      if (rng_() % 2 == 0) {
        it->seek(target);
        want.seek(target);
      } else {
        it->seek_for_prev(target);
        want.seek_for_prev(target);
      }
    } else if (action < 6) {
      it->next();
      want.next();
    } else {
      it->prev();
      want.prev();
    }
    ASSERT_EQ(it->valid(), want.valid()) << "step " << step;
    if (want.valid()) {
      ASSERT_EQ(it->key(), want.key()) << "step " << step;
      ASSERT_EQ(it->value(), want.value()) << "step " << step;
    }
  }
  EXPECT_TRUE(it->status().is_ok()) << it->status().to_string();
}

}  // namespace
}  // namespace kahuna::testkit
