// Key order: unsigned byte-wise (memcmp), a key before its extensions, for
// any bytes and for keys of up to 4 KiB that share long prefixes.
#include <algorithm>

#include "engine_test.h"
#include "link_anchors.h"

namespace kahuna::testkit {
namespace anchors {
void ordering_tests() {}
}  // namespace anchors
namespace {

using StorageOrdering = StorageTest;
using namespace std::string_literals;

// Writes every key of `keys` (value: a description of its position) in
// shuffled order over several batches; returns the model.
Model write_shuffled(StorageTest& test, std::vector<std::string> keys, std::mt19937_64& rng) {
  std::shuffle(keys.begin(), keys.end(), rng);
  Model model;
  WriteBatch batch;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string value =
        "value of key #" + std::to_string(i) + " (" + std::to_string(keys[i].size()) + " bytes)";
    batch.put(keys[i], value);
    model[keys[i]] = value;
    if (batch.count() == 37 || i + 1 == keys.size()) {
      if (!test.write(batch)) return model;
      batch.clear();
    }
  }
  return model;
}

// Checks forward and backward scans, a get of every key, and a seek and a
// seek_for_prev to every key and to points just around it.
void check_everything(StorageEngine& engine, const Model& model) {
  EXPECT_TRUE(same_entries(scan(engine), model_entries(model)));
  EXPECT_TRUE(same_entries(scan_backward(engine), reversed(model_entries(model))));
  std::unique_ptr<Iterator> it = engine.iterator({});
  for (auto entry = model.begin(); entry != model.end(); ++entry) {
    const std::string& key = entry->first;
    std::string value;
    const Status status = engine.get(key, value);
    ASSERT_TRUE(status.is_ok()) << printable(key) << ": " << status.to_string();
    EXPECT_EQ(value, entry->second) << printable(key);

    it->seek(key);
    ASSERT_TRUE(it->valid()) << "seek(" << printable(key) << ")";
    EXPECT_EQ(it->key(), key);
    it->seek_for_prev(key);
    ASSERT_TRUE(it->valid()) << "seek_for_prev(" << printable(key) << ")";
    EXPECT_EQ(it->key(), key);

    // key + "\0" is the least key after `key`: seek lands on the next entry.
    const auto after = std::next(entry);
    it->seek(key + '\0');
    ASSERT_EQ(it->valid(), after != model.end()) << "seek(" << printable(key + '\0') << ")";
    if (after != model.end()) {
      EXPECT_EQ(it->key(), after->first);
    }
    it->seek_for_prev(key + '\0');
    ASSERT_TRUE(it->valid());
    EXPECT_TRUE(it->key() == key || it->key() == key + '\0') << printable(it->key());
  }
  EXPECT_TRUE(it->status().is_ok()) << it->status().to_string();
}

TEST_F(StorageOrdering, ArbitraryBytesSortByMemcmp) {
  const std::vector<std::string> keys = {
      ""s,
      "\x00"s,
      "\x00\x00"s,
      "\x00\x01"s,
      "\x00\xff"s,
      "\x01"s,
      "\x7f"s,
      "\x80"s,
      "\x80\x00"s,
      "\xfe\xff"s,
      "\xff"s,
      "\xff\x00"s,
      "\xff\xff"s,
      "\xff\xff\xff"s,
      "a"s,
      "a\x00"s,
      "a\x00\x00"s,
      "a\x00\x01"s,
      "a\x01"s,
      "a\xff"s,
      "ab"s,
      "abc"s,
      "abd"s,
      "b"s,
      "B"s,
      "\x00"s + "a\x00"s,
      "a\x00"s + "b",
      "a\xff\xff"s,
      "\xc3\xa9"s,
      "e\xcc\x81"s,
  };
  const Model model = write_shuffled(*this, keys, rng_);
  ASSERT_EQ(model.size(), keys.size());
  check_everything(engine(), model);
}

// Keys around every length where an engine might change representation
// (small-string limits, B-tree key limits such as LMDB's 511 bytes, page
// and buffer sizes), sharing prefixes of those lengths, with 0x00 and 0xFF
// both as the byte that differs and as an extension.
std::vector<std::string> long_keys(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string stem;
  for (int i = 0; i < 4096; ++i) stem.push_back(static_cast<char>(byte(rng)));
  std::vector<std::string> keys;
  const std::size_t lengths[] = {1,    15,   16,   63,   64,   255,  256,  500,  505,  507,
                                 508,  509,  510,  511,  512,  513,  520,  1000, 1023, 1024,
                                 1025, 2047, 2048, 2049, 4000, 4094, 4095, 4096};
  for (std::size_t n : lengths) {
    const std::string prefix = stem.substr(0, n);
    keys.push_back(prefix);
    if (n < 4096) {
      keys.push_back(prefix + '\0');
      keys.push_back(prefix + '\xff');
      keys.push_back(prefix + "\x00\x00"s.substr(0, std::min<std::size_t>(2, 4096 - n)));
      keys.push_back(stem.substr(0, std::min<std::size_t>(n + 37, 4096)));
    }
    // The same length, differing in the last byte, in the first byte and
    // in the middle, downwards and upwards.
    for (std::size_t at : {n - 1, std::size_t{0}, n / 2}) {
      for (char c : {'\0', '\xff'}) {
        std::string k = prefix;
        k[at] = c;
        keys.push_back(k);
      }
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

TEST_F(StorageOrdering, LongKeysSharingLongPrefixes) {
  const std::vector<std::string> keys = long_keys(rng_);
  const Model model = write_shuffled(*this, keys, rng_);
  ASSERT_EQ(model.size(), keys.size());
  check_everything(engine(), model);
  ASSERT_NO_FATAL_FAILURE(reopen());
  EXPECT_TRUE(same_entries(scan(engine()), model_entries(model)));
}

TEST_F(StorageOrdering, DeletingLongKeysKeepsTheirNeighbours) {
  const std::vector<std::string> keys = long_keys(rng_);
  Model model = write_shuffled(*this, keys, rng_);
  WriteBatch batch;
  for (std::size_t i = 0; i < keys.size(); i += 3) batch.remove(keys[i]);
  ASSERT_TRUE(write(batch));
  apply_to_model(batch, model);
  check_everything(engine(), model);
}

}  // namespace
}  // namespace kahuna::testkit
