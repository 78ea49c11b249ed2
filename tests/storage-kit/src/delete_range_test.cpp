// Delete-range: removes exactly the keys in [begin, end).
#include "engine_test.h"
#include "link_anchors.h"

namespace kahuna::testkit {
namespace anchors {
void delete_range_tests() {}
}  // namespace anchors
namespace {

using StorageDeleteRange = StorageTest;
using namespace std::string_literals;

TEST_F(StorageDeleteRange, RemovesExactlyTheRange) {
  Model model;
  WriteBatch setup;
  for (int i = 0; i < 100; ++i) setup.put(numbered("k", i, 2), std::to_string(i));
  ASSERT_TRUE(write(setup));
  apply_to_model(setup, model);

  WriteBatch batch;
  batch.remove_range("k20", "k50");    // begin is a key, end is a key
  batch.remove_range("k60a", "k70a");  // neither is a key
  batch.remove_range("k90", "k9");     // inverted: nothing
  batch.remove_range("k95", "k95");    // empty: nothing
  ASSERT_TRUE(write(batch, true));
  apply_to_model(batch, model);

  EXPECT_TRUE(same_entries(scan(engine()), model_entries(model)));
  EXPECT_EQ(get("k19"), "19");
  EXPECT_EQ(get("k20"), std::nullopt);
  EXPECT_EQ(get("k49"), std::nullopt);
  EXPECT_EQ(get("k50"), "50");
  EXPECT_EQ(get("k60"), "60");
  EXPECT_EQ(get("k61"), std::nullopt);
  EXPECT_EQ(get("k70"), std::nullopt);
  EXPECT_EQ(get("k71"), "71");
  EXPECT_EQ(get("k95"), "95");
}

TEST_F(StorageDeleteRange, KeysThatArePrefixesOfEachOther) {
  Model model;
  WriteBatch setup;
  for (const std::string& k : {""s, "\x00"s, "a"s, "a\x00"s, "a\x00\x00"s, "a\x01"s, "ab"s, "b"s}) {
    setup.put(k, "v" + k);
  }
  ASSERT_TRUE(write(setup));
  apply_to_model(setup, model);

  WriteBatch batch;
  batch.remove_range("a", "a\x00"s);       // exactly "a"
  batch.remove_range("a\x00"s, "a\x01"s);  // "a\0" and "a\0\0"
  batch.remove_range(""s, "\x00"s);        // exactly the empty key
  ASSERT_TRUE(write(batch));
  apply_to_model(batch, model);
  EXPECT_TRUE(same_entries(scan(engine()), model_entries(model)));
  EXPECT_EQ(model.size(), 4u);
}

TEST_F(StorageDeleteRange, RangeOverEverything) {
  WriteBatch setup;
  setup.put("", "empty key");
  setup.put(std::string(4096, '\xff'), "largest");
  for (int i = 0; i < 1000; ++i) setup.put(numbered("x", i, 4), "v");
  ASSERT_TRUE(write(setup));
  WriteBatch batch;
  batch.remove_range("", std::string(4097, '\xff'));
  ASSERT_TRUE(write(batch));
  EXPECT_TRUE(same_entries(scan(engine()), {}));
  ASSERT_NO_FATAL_FAILURE(reopen());
  EXPECT_TRUE(same_entries(scan(engine()), {}));
}

// Ranges that start and end among long keys sharing long prefixes, and
// ranges that cover some of those keys but not others.
TEST_F(StorageDeleteRange, RangesAmongLongKeys) {
  const std::string stem = random_bytes(rng_, 3000);
  std::vector<std::string> keys;
  for (std::size_t n : {100, 508, 509, 510, 511, 512, 700, 1500, 3000}) {
    for (int i = 0; i < 12; ++i) keys.push_back(stem.substr(0, n) + numbered("#", i, 2));
    keys.push_back(stem.substr(0, n));
  }
  for (int round = 0; round < 20; ++round) {
    Model model;
    WriteBatch setup;
    setup.remove_range("", std::string(4000, '\xff'));
    for (const std::string& k : keys) setup.put(k, "v" + std::to_string(round));
    ASSERT_TRUE(write(setup));
    apply_to_model(setup, model);

    WriteBatch batch;
    for (int r = 0; r < 3; ++r) {
      std::string a = keys[rng_() % keys.size()];
      std::string b = keys[rng_() % keys.size()];
      if (rng_() % 2) a += '\0';
      if (rng_() % 2) b = b.substr(0, b.size() - 1);
      if (a > b) std::swap(a, b);
      batch.remove_range(a, b);
    }
    batch.put(keys[rng_() % keys.size()], "put after the ranges");
    ASSERT_TRUE(write(batch));
    apply_to_model(batch, model);
    ASSERT_TRUE(same_entries(scan(engine()), model_entries(model))) << "round " << round;
    ASSERT_TRUE(same_entries(scan_backward(engine()), reversed(model_entries(model)))) << "round " << round;
  }
}

}  // namespace
}  // namespace kahuna::testkit
