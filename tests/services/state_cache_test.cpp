// The apply path's cache: it answers repeated reads without the engine, and it
// never answers differently from the engine, whatever the batches, deletes,
// range deletes and evictions in between.
#include "services/storage/state_cache.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <random>
#include <string_view>
#include <utility>

#include "services/storage/apply_context.h"
#include "services/storage/memory_state.h"

namespace kahuna::services {
namespace {

// The engine as the cache sees it, counting the point reads that reach it.
class CountingState final : public StateReader {
 public:
  Status get(std::string_view key, std::string& value) const override {
    ++gets;
    return state.get(key, value);
  }
  std::unique_ptr<StateCursor> scan(std::string_view lower, std::string_view upper) const override {
    return state.scan(lower, upper);
  }

  MemoryState state;
  mutable int gets = 0;
};

// What the apply loop does: stage over the cache, commit to the engine, tell
// the cache.
void commit(CountingState& engine, StateCache& cache, const WriteBatch& batch) {
  engine.state.apply(batch);
  cache.update(batch);
}

// A batch that writes each value of `values` to its key.
WriteBatch puts(std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  WriteBatch batch;
  for (const auto& [key, value] : values) batch.put(key, value);
  return batch;
}

std::optional<std::string> read(const StateReader& reader, std::string_view key) {
  std::string value;
  const Status status = reader.get(key, value);
  if (status.code() == StatusCode::kNotFound) return std::nullopt;
  EXPECT_TRUE(status.is_ok()) << status.to_string();
  return value;
}

TEST(StateCache, RepeatedReadsOfPresentAndAbsentKeysStayInMemory) {
  CountingState engine;
  engine.state.apply(puts({{"a", "1"}}));
  StateCache cache(engine, 1 << 20);

  EXPECT_EQ(read(cache, "a"), "1");
  EXPECT_EQ(read(cache, "missing"), std::nullopt);
  EXPECT_EQ(engine.gets, 2);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(read(cache, "a"), "1");
    EXPECT_EQ(read(cache, "missing"), std::nullopt);
  }
  EXPECT_EQ(engine.gets, 2);
  EXPECT_EQ(cache.stats().hits, 10u);
  EXPECT_EQ(cache.stats().misses, 2u);
}

TEST(StateCache, CommittedWritesAreReadWithoutTheEngine) {
  CountingState engine;
  StateCache cache(engine, 1 << 20);
  WriteBatch batch;
  batch.put("k1", "v1");
  batch.put("k2", "v2");
  batch.remove("k1");
  batch.put("k3", "v3");
  commit(engine, cache, batch);

  EXPECT_EQ(read(cache, "k1"), std::nullopt);
  EXPECT_EQ(read(cache, "k2"), "v2");
  EXPECT_EQ(read(cache, "k3"), "v3");
  EXPECT_EQ(engine.gets, 0);
}

TEST(StateCache, RangeDeletesForgetOnlyTheirRange) {
  CountingState engine;
  StateCache cache(engine, 1 << 20);
  WriteBatch batch;
  for (const char* key : {"a", "b1", "b2", "c"}) batch.put(key, key);
  commit(engine, cache, batch);

  WriteBatch range;
  range.remove_range("b", "c");
  commit(engine, cache, range);
  EXPECT_EQ(read(cache, "a"), "a");
  EXPECT_EQ(read(cache, "c"), "c");
  EXPECT_EQ(engine.gets, 0);
  EXPECT_EQ(read(cache, "b1"), std::nullopt);  // asked of the engine again
  EXPECT_EQ(engine.gets, 1);
}

TEST(StateCache, EvictsTheLeastRecentlyUsedKeysBeyondItsCapacity) {
  CountingState engine;
  WriteBatch seed;
  for (int i = 0; i < 100; ++i) seed.put("key" + std::to_string(i), std::string(100, 'x'));
  engine.state.apply(seed);
  StateCache cache(engine, 10 * 300);  // about ten entries

  for (int i = 0; i < 100; ++i) read(cache, "key" + std::to_string(i));
  EXPECT_LE(cache.stats().bytes, 10u * 300);
  EXPECT_GE(cache.stats().keys, 5u);
  const int before = engine.gets;
  read(cache, "key99");  // the most recent: still there
  EXPECT_EQ(engine.gets, before);
  read(cache, "key0");  // long evicted
  EXPECT_EQ(engine.gets, before + 1);
}

TEST(StateCache, ZeroCapacityReadsTheEngineEveryTime) {
  CountingState engine;
  StateCache cache(engine, 0);
  read(cache, "a");
  read(cache, "a");
  commit(engine, cache, puts({{"a", "1"}}));
  EXPECT_EQ(read(cache, "a"), "1");
  EXPECT_EQ(engine.gets, 3);
  EXPECT_EQ(cache.stats().keys, 0u);
}

TEST(StateCache, ClearForgetsAStateReplacedBehindIt) {
  CountingState engine;
  StateCache cache(engine, 1 << 20);
  commit(engine, cache, puts({{"a", "1"}}));
  engine.state.apply(puts({{"a", "2"}}));  // a snapshot restored without telling the cache
  cache.clear();
  EXPECT_EQ(read(cache, "a"), "2");
}

// Random batches through ApplyContext over the cache, as the apply loop makes
// them, with a cache small enough to evict all the time: every read through the
// cache answers what the engine holds.
TEST(StateCache, AlwaysAgreesWithTheEngine) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 random(seed);
    auto key = [&] { return "k" + std::to_string(random() % 40); };
    CountingState engine;
    StateCache cache(engine, 20 * 180);
    for (int round = 0; round < 200; ++round) {
      ApplyContext ctx(cache);
      for (int op = 0; op < 6; ++op) {
        std::string value;
        const std::string k = key();
        (void)ctx.get(k, value);  // reads fill the cache while the batch is staged
        switch (random() % 5) {
          case 0:
          case 1: ctx.put(k, std::to_string(random())); break;
          case 2: ctx.remove(k); break;
          case 3: {
            std::string a = key(), b = key();
            if (b < a) std::swap(a, b);
            ctx.remove_range(a, b);
            break;
          }
          default: break;
        }
      }
      commit(engine, cache, ctx.take_batch());
      for (int i = 0; i < 40; ++i) {
        const std::string k = "k" + std::to_string(i);
        ASSERT_EQ(read(cache, k), read(engine.state, k)) << k << " after round " << round;
      }
    }
    EXPECT_GT(cache.stats().hits, 0u);
  }
}

}  // namespace
}  // namespace kahuna::services
