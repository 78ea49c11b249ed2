// A randomized test against a std::map model: random batches of puts,
// deletes and delete-ranges over keys built to collide, share long
// prefixes and straddle representation limits, checked with random gets,
// random bounded walks, held snapshots and a reopen.
#include "engine_test.h"
#include "link_anchors.h"
#include "model_cursor.h"

namespace kahuna::testkit {
namespace anchors {
void model_tests() {}
}  // namespace anchors
namespace {

// Keys from a small alphabet around one long random master string, so that
// random keys often collide, are prefixes of each other, share prefixes of
// every length up to 4 KiB and differ near their ends.
class KeyMaker {
 public:
  explicit KeyMaker(std::mt19937_64& rng) : rng_(rng) {
    for (int i = 0; i < 4096; ++i) master_.push_back(letter());
  }

  std::string key() {
    std::string k;
    if (rng_() % 2 == 0) {
      k = tail(4);
    } else {
      static constexpr std::size_t kCuts[] = {1,   2,   64,  255, 256,  507,  508,  509,
                                              510, 511, 512, 600, 1024, 2048, 4000, 4094};
      std::size_t cut = kCuts[rng_() % std::size(kCuts)];
      k = master_.substr(0, cut);
      if (rng_() % 4 == 0) k[rng_() % k.size()] = letter();  // a sibling prefix
      k += tail(2);
    }
    if (k.size() > 4096) k.resize(4096);
    return k;
  }

  std::string value() {
    const std::size_t size = rng_() % 8 == 0 ? rng_() % 5000 : rng_() % 40;
    return random_bytes(rng_, size);
  }

 private:
  char letter() {
    static constexpr char kAlphabet[] = {'\x00', '\x01', 'a', 'b', '\x7f', '\x80', '\xfe', '\xff'};
    return kAlphabet[rng_() % std::size(kAlphabet)];
  }
  std::string tail(std::size_t max) {
    std::string t;
    for (std::size_t n = rng_() % (max + 1); n > 0; --n) t.push_back(letter());
    return t;
  }

  std::mt19937_64& rng_;
  std::string master_;
};

class StorageModel : public StorageTest {
 protected:
  // A random walk of seeks and steps with random bounds, in `snapshot`'s
  // view (described by `model`).
  void random_walk(KeyMaker& keys, const Model& model, const Snapshot* snapshot) {
    IteratorOptions options;
    options.snapshot = snapshot;
    if (rng_() % 2 == 0) options.lower_bound = keys.key();
    if (rng_() % 2 == 0) options.upper_bound = keys.key();
    std::unique_ptr<Iterator> it = engine().iterator(options);
    ModelCursor want(model, options.lower_bound, options.upper_bound);
    for (int step = 0; step < 25; ++step) {
      const std::string target = keys.key();
      // Steps only from a valid position, and as often as seeks.
      const int action = want.valid() ? static_cast<int>(rng_() % 8) : static_cast<int>(rng_() % 4);
      const CursorMove move = action < 4   ? static_cast<CursorMove>(action)
                              : action < 6 ? CursorMove::kNext
                                           : CursorMove::kPrev;
      const std::string did = move_both(*it, want, move, target);
      const std::string where = did + " with bounds [" +
                                (options.lower_bound ? printable(*options.lower_bound) : "none") + ", " +
                                (options.upper_bound ? printable(*options.upper_bound) : "none") + ")";
      ASSERT_EQ(it->valid(), want.valid()) << where;
      if (want.valid()) {
        ASSERT_EQ(printable(it->key()), printable(want.key())) << where;
        ASSERT_TRUE(it->key() == want.key()) << where;
        ASSERT_TRUE(it->value() == want.value()) << where << " value";
      }
    }
    ASSERT_TRUE(it->status().is_ok()) << it->status().to_string();
  }

  void check_gets(KeyMaker& keys, const Model& model, const Snapshot* snapshot) {
    for (int i = 0; i < 4; ++i) {
      std::string key = keys.key();
      if (i % 2 == 0) {  // an existing key, when there is one near
        auto it = model.lower_bound(key);
        if (it != model.end()) key = it->first;
      }
      const auto want = model.find(key);
      const std::optional<std::string> got = get(key, snapshot);
      ASSERT_EQ(got.has_value(), want != model.end()) << "get " << printable(key);
      if (got) {
        ASSERT_TRUE(*got == want->second) << "get " << printable(key);
      }
    }
  }

  struct Held {
    std::unique_ptr<Snapshot> snapshot;
    Model model;
    int release_at;
  };
};

TEST_F(StorageModel, RandomOperationsMatchStdMap) {
  constexpr int kBatches = 500;
  KeyMaker keys(rng_);
  Model model;
  std::vector<Held> held;
  for (int b = 0; b < kBatches; ++b) {
    WriteBatch batch;
    for (int n = 1 + static_cast<int>(rng_() % 16); n > 0; --n) {
      const int kind = static_cast<int>(rng_() % 20);
      if (kind < 13) {
        batch.put(keys.key(), keys.value());
      } else if (kind < 18) {
        std::string key = keys.key();
        auto it = model.lower_bound(key);
        batch.remove(it != model.end() && rng_() % 2 ? it->first : key);
      } else {
        std::string a = keys.key();
        std::string c = keys.key();
        if (a > c) std::swap(a, c);
        batch.remove_range(a, c);
      }
    }
    ASSERT_TRUE(write(batch, rng_() % 10 == 0)) << "batch " << b;
    apply_to_model(batch, model);

    ASSERT_NO_FATAL_FAILURE(check_gets(keys, model, nullptr)) << "batch " << b;
    ASSERT_NO_FATAL_FAILURE(random_walk(keys, model, nullptr)) << "batch " << b;

    if (b % 20 == 0 && held.size() < 3) {
      held.push_back({snapshot(), model, b + 10 + static_cast<int>(rng_() % 60)});
    }
    for (auto h = held.begin(); h != held.end();) {
      ASSERT_NO_FATAL_FAILURE(random_walk(keys, h->model, h->snapshot.get())) << "snapshot, batch " << b;
      ASSERT_NO_FATAL_FAILURE(check_gets(keys, h->model, h->snapshot.get()));
      if (h->release_at > b) {
        ++h;
        continue;
      }
      IteratorOptions options;
      options.snapshot = h->snapshot.get();
      ASSERT_TRUE(same_entries(scan(engine(), options), model_entries(h->model)))
          << "snapshot released at batch " << b;
      h = held.erase(h);
    }
    if (b == kBatches / 2) {
      held.clear();
      ASSERT_NO_FATAL_FAILURE(reopen());
      ASSERT_TRUE(same_entries(scan(engine()), model_entries(model))) << "after reopen";
    }
  }
  held.clear();
  EXPECT_TRUE(same_entries(scan(engine()), model_entries(model)));
  EXPECT_TRUE(same_entries(scan_backward(engine()), reversed(model_entries(model))));
}

}  // namespace
}  // namespace kahuna::testkit
