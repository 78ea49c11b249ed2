// LMDB stores keys longer than its 511-byte limit inside bucket records
// (plugins/storage/lmdb/key_layout.h). These tests aim at that scheme:
// keys around the bucket boundary, many keys in one bucket, buckets edited
// by deletes and ranges, all against a std::map model.
#include <optional>
#include <random>

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "kv_testing.h"

namespace kahuna::storage_tests {
namespace {

using testkit::Model;

class LmdbLongKeys : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(open()); }

  void open() {
    engine_.reset();
    const Status status = open_engine("lmdb", toml::table{}, dir_.path(), engine_);
    ASSERT_TRUE(status.is_ok()) << status.to_string();
  }

  void write(const WriteBatch& batch) {
    const Status status = engine_->write(batch, WriteOptions{false});
    ASSERT_TRUE(status.is_ok()) << status.to_string();
    testkit::apply_to_model(batch, model_);
  }

  // Full scans both ways, a get of every key, and seeks around random keys.
  void check(std::mt19937_64& rng, const Snapshot* snapshot = nullptr, const Model* expected = nullptr) {
    const Model& model = expected ? *expected : model_;
    IteratorOptions options;
    options.snapshot = snapshot;
    std::unique_ptr<Iterator> it = engine_->iterator(options);
    auto want = model.begin();
    for (it->seek_to_first(); it->valid(); it->next(), ++want) {
      ASSERT_NE(want, model.end()) << "more keys than the model";
      ASSERT_EQ(it->key().size(), want->first.size());
      ASSERT_TRUE(it->key() == want->first) << "at a key of " << want->first.size() << " bytes";
      ASSERT_TRUE(it->value() == want->second);
    }
    ASSERT_EQ(want, model.end()) << "fewer keys than the model";
    auto back = model.rbegin();
    for (it->seek_to_last(); it->valid(); it->prev(), ++back) {
      ASSERT_NE(back, model.rend());
      ASSERT_TRUE(it->key() == back->first);
    }
    ASSERT_EQ(back, model.rend());
    for (const auto& [key, value] : model) {
      std::string got;
      ASSERT_TRUE(engine_->get(key, got, snapshot).is_ok());
      ASSERT_TRUE(got == value);
    }
    for (int i = 0; i < 200 && !model.empty(); ++i) {
      auto pick = model.begin();
      std::advance(pick, static_cast<long>(rng() % model.size()));
      std::string target = pick->first;
      switch (rng() % 3) {
        case 0: target.push_back('\0'); break;
        case 1: target.pop_back(); break;
        default: break;
      }
      it->seek(target);
      auto ge = model.lower_bound(target);
      ASSERT_EQ(it->valid(), ge != model.end());
      if (ge != model.end()) {
        ASSERT_TRUE(it->key() == ge->first);
      }
      it->seek_for_prev(target);
      auto le = model.upper_bound(target);
      ASSERT_EQ(it->valid(), le != model.begin());
      if (le != model.begin()) {
        ASSERT_TRUE(it->key() == std::prev(le)->first);
      }
    }
    ASSERT_TRUE(it->status().is_ok()) << it->status().to_string();
  }

  TempDir dir_;
  PluginObject<StorageEngine> engine_;
  Model model_;
};

// Keys built from a few 1 KiB stems that share their first 509 bytes, then
// differ in byte 509, 510 or later: the stored prefix is 509 bytes on
// Debian's LMDB, so these land in a few buckets right at the boundary.
std::string boundary_key(std::mt19937_64& rng) {
  static const std::string base = [] {
    std::string s;
    std::mt19937_64 fixed(509);
    for (int i = 0; i < 1024; ++i) s.push_back(static_cast<char>("\x00\x01\x7f\x80\xff"[fixed() % 5]));
    return s;
  }();
  std::string key = base.substr(0, 501 + rng() % 23);
  if (rng() % 3 == 0) key[500 + rng() % (key.size() - 500)] = static_cast<char>(rng() % 3 == 0 ? 0 : 0xff);
  for (int n = static_cast<int>(rng() % 3); n > 0; --n) key.push_back(static_cast<char>(rng() % 4));
  if (rng() % 8 == 0) key += base.substr(0, 1 + rng() % 1500);
  return key;
}

TEST_F(LmdbLongKeys, BoundaryKeysMatchTheModel) {
  std::mt19937_64 rng(20240611);
  std::unique_ptr<Snapshot> held;
  Model held_model;
  for (int round = 0; round < 60; ++round) {
    WriteBatch batch;
    for (int n = 1 + static_cast<int>(rng() % 30); n > 0; --n) {
      const int kind = static_cast<int>(rng() % 10);
      if (kind < 6) {
        batch.put(boundary_key(rng), std::to_string(round) + "/" + std::to_string(n));
      } else if (kind < 9) {
        batch.remove(boundary_key(rng));
      } else {
        std::string a = boundary_key(rng);
        std::string b = boundary_key(rng);
        if (a > b) std::swap(a, b);
        batch.remove_range(a, b);
      }
    }
    ASSERT_NO_FATAL_FAILURE(write(batch));
    ASSERT_NO_FATAL_FAILURE(check(rng)) << "round " << round;
    if (round % 15 == 5) {
      ASSERT_TRUE(engine_->snapshot(held).is_ok());
      held_model = model_;
    }
    if (held && round % 15 == 12) {
      // Buckets rewritten since must still read as they were.
      ASSERT_NO_FATAL_FAILURE(check(rng, held.get(), &held_model)) << "snapshot, round " << round;
      held.reset();
    }
  }
  held.reset();
  ASSERT_NO_FATAL_FAILURE(open());
  ASSERT_NO_FATAL_FAILURE(check(rng));
}

TEST_F(LmdbLongKeys, ThousandsOfKeysInOneBucket) {
  std::mt19937_64 rng(7);
  const std::string prefix(600, '\x42');
  for (int b = 0; b < 20; ++b) {
    WriteBatch batch;
    for (int i = 0; i < 100; ++i) {
      std::string suffix = std::to_string(rng() % 100000);
      batch.put(prefix + suffix, std::string(rng() % 200, 'v'));
    }
    ASSERT_NO_FATAL_FAILURE(write(batch));
  }
  ASSERT_NO_FATAL_FAILURE(check(rng));
  WriteBatch trim;
  trim.remove_range(prefix + "3", prefix + "6");
  trim.remove(model_.begin()->first);
  trim.put(prefix + "45", "inside the removed range, put after it");
  ASSERT_NO_FATAL_FAILURE(write(trim));
  ASSERT_NO_FATAL_FAILURE(check(rng));
  WriteBatch all;
  all.remove_range(prefix, prefix + "\xff");
  ASSERT_NO_FATAL_FAILURE(write(all));
  EXPECT_TRUE(model_.empty());
  ASSERT_NO_FATAL_FAILURE(check(rng));
}

TEST_F(LmdbLongKeys, KeysOfEveryLengthAroundTheLimit) {
  std::mt19937_64 rng(3);
  WriteBatch batch;
  const std::string stem(1100, 'k');
  for (std::size_t n = 0; n <= 1100; ++n) {
    batch.put(stem.substr(0, n), std::to_string(n));
    if (n >= 500 && n <= 520) {
      batch.put(stem.substr(0, n) + '\0', "zero after " + std::to_string(n));
      batch.put(stem.substr(0, n - 1) + 'j', "j at " + std::to_string(n));
      batch.put(stem.substr(0, n - 1) + 'l', "l at " + std::to_string(n));
    }
  }
  ASSERT_NO_FATAL_FAILURE(write(batch));
  ASSERT_NO_FATAL_FAILURE(check(rng));
  ASSERT_NO_FATAL_FAILURE(open());
  ASSERT_NO_FATAL_FAILURE(check(rng));
}

}  // namespace
}  // namespace kahuna::storage_tests
