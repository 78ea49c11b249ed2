// Key/value scans: get-by-bucket / prefix and get-by-range with bounds,
// inclusive flags, limits and cursors.
#include <gtest/gtest.h>

#include <vector>

#include "replica.h"

namespace kahuna::services {
namespace {

using testing::at;
using testing::Replica;

KvSet plain(std::string key, std::optional<std::string> value) {
  KvSet set;
  set.key = std::move(key);
  set.value = std::move(value);
  return set;
}

std::vector<std::string> keys_of(const std::vector<KvItem>& items) {
  std::vector<std::string> keys;
  for (const auto& item : items) keys.push_back(item.key);
  return keys;
}

class KvScan : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* key : {"users/1", "users/2", "users/3", "users/4", "users/5", "users", "users2/x",
                            "users/a/b", "other/1"}) {
      r.kv(100, plain(key, std::string("v-") + key));
    }
    r.kv(110, KvDelete{"users/3"});
    KvSet ttl = plain("users/4", "short");
    ttl.expires_ms = 50;
    r.kv(120, ttl);  // gone from 170 on
  }

  KvScanReply prefix(std::string_view p, std::int64_t now = 1000, HlcTimestamp as_of = {}) {
    KvScanReply reply;
    EXPECT_TRUE(r.machine().kv_reads().scan_prefix(r.state(), p, as_of, at(now), reply).is_ok());
    return reply;
  }

  KvRangePage range(const KvRangeQuery& query, std::int64_t now = 1000) {
    KvRangePage page;
    EXPECT_TRUE(r.machine().kv_reads().get_range(r.state(), query, at(now), page).is_ok());
    return page;
  }

  Replica r;
};

TEST_F(KvScan, PrefixReturnsLiveKeysInOrder) {
  const auto reply = prefix("users/");
  EXPECT_EQ(reply.code, KvCode::kGet);
  EXPECT_EQ(keys_of(reply.items), (std::vector<std::string>{"users/1", "users/2", "users/5", "users/a/b"}));
  EXPECT_EQ(reply.items[0].value, "v-users/1");
  EXPECT_EQ(reply.items[0].revision, 0);
  EXPECT_EQ(reply.items[0].last_modified, at(100));
}

TEST_F(KvScan, BucketPrefixIncludesEveryKeyOfTheKeySpace) {
  const auto reply = prefix("users");
  EXPECT_EQ(keys_of(reply.items),
            (std::vector<std::string>{"users", "users/1", "users/2", "users/5", "users/a/b", "users2/x"}));
}

TEST_F(KvScan, PrefixSeesAnExpiringKeyUntilItExpires) {
  EXPECT_EQ(keys_of(prefix("users/", 150).items),
            (std::vector<std::string>{"users/1", "users/2", "users/4", "users/5", "users/a/b"}));
}

TEST_F(KvScan, PrefixAsOfATimestamp) {
  r.kv(500, plain("users/1", "newer"));
  const auto reply = prefix("users/", 1000, at(115));
  // As of 115: users/3 deleted, users/4 still its first value.
  EXPECT_EQ(keys_of(reply.items),
            (std::vector<std::string>{"users/1", "users/2", "users/4", "users/5", "users/a/b"}));
  EXPECT_EQ(reply.items[0].value, "v-users/1");
  EXPECT_EQ(reply.items[2].value, "v-users/4");
}

TEST_F(KvScan, EmptyPrefixIsInvalid) { EXPECT_EQ(prefix("").code, KvCode::kInvalidInput); }

TEST_F(KvScan, NoMatchIsAnEmptyGet) {
  const auto reply = prefix("nothing");
  EXPECT_EQ(reply.code, KvCode::kGet);
  EXPECT_TRUE(reply.items.empty());
}

TEST_F(KvScan, RangeWalksOnlyItsKeySpace) {
  KvRangeQuery q;
  q.key_space = "users";
  q.limit = 100;
  const auto page = range(q);
  EXPECT_EQ(page.code, KvCode::kGet);
  // Not users/a/b (key space users/a) nor users2/x.
  EXPECT_EQ(keys_of(page.items), (std::vector<std::string>{"users", "users/1", "users/2", "users/5"}));
  EXPECT_FALSE(page.has_more);
  EXPECT_FALSE(page.next_cursor.has_value());
}

TEST_F(KvScan, RangeBoundsAndInclusiveFlags) {
  KvRangeQuery q;
  q.key_space = "users";
  q.limit = 100;
  q.start_key = "users/1";
  q.end_key = "users/5";
  EXPECT_EQ(keys_of(range(q).items), (std::vector<std::string>{"users/1", "users/2"}));
  q.end_inclusive = true;
  EXPECT_EQ(keys_of(range(q).items), (std::vector<std::string>{"users/1", "users/2", "users/5"}));
  q.start_inclusive = false;
  EXPECT_EQ(keys_of(range(q).items), (std::vector<std::string>{"users/2", "users/5"}));
  q.start_key.reset();
  EXPECT_EQ(keys_of(range(q).items), (std::vector<std::string>{"users", "users/1", "users/2", "users/5"}));
  q.start_key = "users/9";
  q.end_key = "users/0";
  EXPECT_TRUE(range(q).items.empty());
}

TEST_F(KvScan, RangePagesWithACursor) {
  for (int i = 0; i < 7; ++i) r.kv(200, plain("page/" + std::to_string(i), "x"));
  KvRangeQuery q;
  q.key_space = "page";
  q.limit = 3;
  std::vector<std::string> seen;
  int pages = 0;
  for (;;) {
    const auto page = range(q);
    ASSERT_EQ(page.code, KvCode::kGet);
    ++pages;
    for (const auto& item : page.items) seen.push_back(item.key);
    if (!page.has_more) {
      EXPECT_FALSE(page.next_cursor.has_value());
      break;
    }
    ASSERT_TRUE(page.next_cursor.has_value());
    EXPECT_EQ(page.items.size(), 3u);
    q.cursor = page.next_cursor;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen,
            (std::vector<std::string>{"page/0", "page/1", "page/2", "page/3", "page/4", "page/5", "page/6"}));
}

TEST_F(KvScan, AnExactFullPageHasNoMore) {
  KvRangeQuery q;
  q.key_space = "users";
  q.limit = 4;
  const auto page = range(q);
  EXPECT_EQ(page.items.size(), 4u);
  EXPECT_FALSE(page.has_more);
}

TEST_F(KvScan, RangeLimitIsCappedByThePageSize) {
  ServiceOptions options;
  options.kv.max_page_size = 2;
  Replica capped(7, options);
  for (int i = 0; i < 5; ++i) capped.kv(1, plain("p/" + std::to_string(i), "x"));
  KvRangeQuery q;
  q.key_space = "p";
  q.limit = 100;
  KvRangePage page;
  ASSERT_TRUE(capped.machine().kv_reads().get_range(capped.state(), q, at(2), page).is_ok());
  EXPECT_EQ(page.items.size(), 2u);
  EXPECT_TRUE(page.has_more);
}

TEST_F(KvScan, RangeRejectsBadLimitsAndCursors) {
  KvRangeQuery q;
  q.key_space = "users";
  q.limit = 0;
  EXPECT_EQ(range(q).code, KvCode::kInvalidInput);
  q.limit = 5;
  q.cursor = "garbage";
  EXPECT_EQ(range(q).code, KvCode::kInvalidInput);
  q.cursor = "k1.zz";
  EXPECT_EQ(range(q).code, KvCode::kInvalidInput);
  q.cursor = "k1.abc";
  EXPECT_EQ(range(q).code, KvCode::kInvalidInput);
  q.cursor.reset();
  q.key_space = "";
  EXPECT_EQ(range(q).code, KvCode::kInvalidInput);
}

TEST(KvRangeCursor, RoundTripsAnyBytes) {
  const std::string key("a\0\xff/b", 5);
  std::string back;
  ASSERT_TRUE(decode_range_cursor(encode_range_cursor(key), back));
  EXPECT_EQ(back, key);
}

}  // namespace
}  // namespace kahuna::services
