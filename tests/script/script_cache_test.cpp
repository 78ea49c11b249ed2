// ScriptCache: hits by exact text only, LRU bounds, no caching of errors,
// and many threads at once.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "script/script_cache.h"

namespace kahuna::script {
namespace {

// Every text collides: the cache must still tell them apart.
ScriptDigest constant_digest(std::string_view) { return ScriptDigest{1, 2}; }

TEST(ScriptCache, SameTextHits) {
  ScriptCache cache;
  auto first = cache.get_or_parse("SET a 1");
  auto second = cache.get_or_parse("SET a 1");
  ASSERT_TRUE(first.script);
  EXPECT_EQ(first.script.get(), second.script.get());
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.find("SET a 1").get(), first.script.get());
}

TEST(ScriptCache, DifferentTextNeverGetsAnotherScript) {
  ScriptCache cache;
  auto a = cache.get_or_parse("SET a 1");
  auto b = cache.get_or_parse("SET a 2");
  ASSERT_TRUE(a.script && b.script);
  EXPECT_NE(a.script.get(), b.script.get());
  EXPECT_EQ(b.script->text(), "SET a 2");
  EXPECT_EQ(cache.find("SET a 1 "), nullptr);  // one byte more is another script
}

TEST(ScriptCache, ADigestCollisionCostsAParseNeverAWrongScript) {
  ScriptCache cache(ScriptCacheLimits{}, constant_digest);
  auto a = cache.get_or_parse("SET a 1");
  EXPECT_EQ(cache.find("SET evil 1"), nullptr);
  auto evil = cache.get_or_parse("SET evil 1");
  ASSERT_TRUE(evil.script);
  EXPECT_EQ(evil.script->text(), "SET evil 1");
  EXPECT_NE(evil.script.get(), a.script.get());
  // The colliding text replaced the first; asking for the first re-parses it.
  auto again = cache.get_or_parse("SET a 1");
  ASSERT_TRUE(again.script);
  EXPECT_EQ(again.script->text(), "SET a 1");
  EXPECT_EQ(cache.size(), 1u);
}

TEST(ScriptCache, ParseErrorsAreNotCached) {
  ScriptCache cache;
  auto bad = cache.get_or_parse("SET");
  EXPECT_FALSE(bad.script);
  ASSERT_TRUE(bad.error);
  EXPECT_NE(bad.error->reason().find("Syntax error"), std::string::npos);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ScriptCache, EvictsTheLeastRecentlyUsed) {
  ScriptCache cache(ScriptCacheLimits{3, 1 << 20});
  cache.get_or_parse("RETURN 1");
  cache.get_or_parse("RETURN 2");
  cache.get_or_parse("RETURN 3");
  cache.get_or_parse("RETURN 1");  // now the most recent
  cache.get_or_parse("RETURN 4");  // evicts RETURN 2
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_NE(cache.find("RETURN 1"), nullptr);
  EXPECT_EQ(cache.find("RETURN 2"), nullptr);
  EXPECT_NE(cache.find("RETURN 3"), nullptr);
  EXPECT_NE(cache.find("RETURN 4"), nullptr);
}

TEST(ScriptCache, BoundsTheTextItHolds) {
  ScriptCache cache(ScriptCacheLimits{100, 40});
  cache.get_or_parse("RETURN 'aaaaaaaaaaaaaaaaaaaa'");  // 29 bytes
  cache.get_or_parse("RETURN 'bbbbbbbbbbbbbbbbbbbb'");  // evicts the first
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_NE(cache.find("RETURN 'bbbbbbbbbbbbbbbbbbbb'"), nullptr);
  auto too_big = cache.get_or_parse("RETURN '" + std::string(50, 'c') + "'");
  EXPECT_TRUE(too_big.script);  // parsed, just not cached
  EXPECT_EQ(cache.size(), 1u);
}

TEST(ScriptCache, ManyThreadsAlwaysGetTheirOwnText) {
  ScriptCache cache(ScriptCacheLimits{5, 1 << 20});
  std::vector<std::string> texts;
  for (int i = 0; i < 20; ++i) texts.push_back("SET k" + std::to_string(i) + " " + std::to_string(i));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1'000; ++i) {
        const std::string& text = texts[static_cast<std::size_t>((i * 7 + t) % 20)];
        auto result = cache.get_or_parse(text);
        if (!result.script || result.script->text() != text) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.size(), 5u);
  EXPECT_EQ(cache.hits() + cache.misses(), 8'000u);
}

TEST(ScriptCache, CollidingTextsUnderThreads) {
  ScriptCache cache(ScriptCacheLimits{}, constant_digest);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string text = "RETURN " + std::to_string(t);
      for (int i = 0; i < 500; ++i) {
        auto result = cache.get_or_parse(text);
        if (!result.script || result.script->text() != text) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace kahuna::script
