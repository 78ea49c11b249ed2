// TTL removal: the leader lists keys expired as of its HLC and proposes
// KvExpire for each; replicas apply it by the command's stamp only.
#include <gtest/gtest.h>

#include "replica.h"

namespace kahuna::services {
namespace {

using testing::at;
using testing::entry;
using testing::Replica;

KvSet with_ttl(std::string key, std::string value, std::int64_t ms) {
  KvSet set;
  set.key = std::move(key);
  set.value = std::move(value);
  set.expires_ms = ms;
  return set;
}

std::vector<ExpiredKey> expired(Replica& r, std::int64_t now, std::size_t limit = 100) {
  std::vector<ExpiredKey> out;
  EXPECT_TRUE(r.machine().kv_reads().list_expired(r.state(), at(now), limit, out).is_ok());
  return out;
}

TEST(KvTtl, ListsExpiredKeysSoonestFirstAndBounded) {
  Replica r;
  r.kv(1000, with_ttl("b", "v", 300));  // 1300
  r.kv(1000, with_ttl("a", "v", 100));  // 1100
  r.kv(1000, with_ttl("c", "v", 200));  // 1200
  KvSet forever;
  forever.key = "forever";
  r.kv(1000, forever);
  EXPECT_TRUE(expired(r, 1099).empty());
  EXPECT_EQ(expired(r, 1100), (std::vector<ExpiredKey>{{"a", 0}}));
  EXPECT_EQ(expired(r, 5000), (std::vector<ExpiredKey>{{"a", 0}, {"c", 0}, {"b", 0}}));
  EXPECT_EQ(expired(r, 5000, 2), (std::vector<ExpiredKey>{{"a", 0}, {"c", 0}}));
  EXPECT_TRUE(expired(r, 5000, 0).empty());
}

TEST(KvTtl, IndexFollowsRewritesExtendsAndDeletes) {
  Replica r;
  r.kv(1000, with_ttl("k", "v", 100));
  r.kv(1010, KvExtend{"k", 1000});  // now 2010
  EXPECT_TRUE(expired(r, 1500).empty());
  EXPECT_EQ(expired(r, 2010), (std::vector<ExpiredKey>{{"k", 0}}));
  KvSet no_ttl;
  no_ttl.key = "k";
  r.kv(1020, no_ttl);
  EXPECT_TRUE(expired(r, 99999).empty());
  r.kv(1030, with_ttl("d", "v", 10));
  r.kv(1031, KvDelete{"d"});
  EXPECT_TRUE(expired(r, 99999).empty());
}

TEST(KvTtl, ExpireRemovesTheValueButKeepsTheRevision) {
  Replica r;
  r.kv(1000, with_ttl("k", "v", 100));
  const auto removed = r.kv(1200, KvExpire{"k", 0});
  EXPECT_EQ(removed.code, KvCode::kDeleted);
  EXPECT_EQ(removed.revision, 0);
  EXPECT_TRUE(expired(r, 99999).empty());
  EXPECT_EQ(r.get(1300, "k").code, KvCode::kDoesNotExist);
  // The numbering continues as if the key had expired lazily.
  KvSet again;
  again.key = "k";
  again.value = "w";
  EXPECT_EQ(r.kv(1400, again).revision, 1);
  // History still answers for the expired revision and for times before it.
  EXPECT_EQ(r.get(1500, "k", 0).value, "v");
  EXPECT_EQ(r.get(1500, "k", -1, at(1050)).value, "v");
  EXPECT_EQ(r.get(1500, "k", -1, at(1150)).code, KvCode::kDoesNotExist);
  EXPECT_EQ(r.get(1500, "k", -1, at(1250)).code, KvCode::kDoesNotExist);
  EXPECT_EQ(r.get(1500, "k", -1, at(1400)).value, "w");
}

TEST(KvTtl, NotSetBeforeTheKeyHasExpiredAsOfTheStamp) {
  Replica r;
  r.kv(1000, with_ttl("k", "v", 100));
  const auto early = r.kv(1099, KvExpire{"k", 0});
  EXPECT_EQ(early.code, KvCode::kNotSet);
  EXPECT_EQ(r.get(1050, "k").value, "v");
}

TEST(KvTtl, AConcurrentReSetIsNotDeleted) {
  Replica r;
  r.kv(1000, with_ttl("k", "v", 100));
  // The leader saw revision 0 expired; meanwhile the key was set again.
  r.kv(1150, with_ttl("k", "w", 10000));
  const auto stale = r.kv(1200, KvExpire{"k", 0});
  EXPECT_EQ(stale.code, KvCode::kNotSet);
  EXPECT_EQ(stale.revision, 1);
  EXPECT_EQ(r.get(1300, "k").value, "w");
  // An extended key is not removed either.
  r.kv(2000, with_ttl("e", "v", 100));
  r.kv(2050, KvExtend{"e", 1000});
  EXPECT_EQ(r.kv(2200, KvExpire{"e", 0}).code, KvCode::kNotSet);
  EXPECT_EQ(r.get(2200, "e").value, "v");
}

TEST(KvTtl, ExpireOfUnknownOrDeletedKeys) {
  Replica r;
  EXPECT_EQ(r.kv(1000, KvExpire{"missing", 0}).code, KvCode::kDoesNotExist);
  r.kv(1000, with_ttl("k", "v", 10));
  r.kv(1005, KvDelete{"k"});
  EXPECT_EQ(r.kv(2000, KvExpire{"k", 0}).code, KvCode::kNotSet);
  // Applying it twice is harmless.
  r.kv(3000, with_ttl("t", "v", 10));
  EXPECT_EQ(r.kv(3100, KvExpire{"t", 0}).code, KvCode::kDeleted);
  EXPECT_EQ(r.kv(3200, KvExpire{"t", 0}).code, KvCode::kNotSet);
}

TEST(KvTtl, ReplicasWithDifferentClocksAgreeBecauseOnlyStampsCount) {
  // The leader's clock stamps the commands; the replicas' own clocks (which
  // differ wildly) are never consulted while applying.
  std::int64_t leader_wall = 1'000'000;
  HybridClock leader(1, [&] { return leader_wall; });
  std::vector<std::string> log;
  auto propose = [&](CommandBody body) {
    log.push_back(encode_command(Command{leader.now(), std::move(body)}));
  };
  propose(with_ttl("a", "1", 50));
  propose(with_ttl("b", "2", 5000));
  leader_wall += 100;
  propose(KvExpire{"a", 0});
  propose(KvExpire{"b", 0});  // not expired yet at this stamp
  KvSet cas;
  cas.key = "a";
  cas.value = "3";
  cas.flags = kSetIfNotExists;
  propose(cas);

  Replica fast;  // pretend its wall clock is an hour ahead
  Replica slow;  // and this one's a day behind
  std::vector<Reply> fast_replies;
  std::vector<Reply> slow_replies;
  for (const auto& e : log) fast_replies.push_back(fast.apply(e));
  slow_replies = slow.apply_batch(log);  // also batching differently
  EXPECT_EQ(fast_replies, slow_replies);
  EXPECT_EQ(fast.state(), slow.state());
  EXPECT_EQ(std::get<KvReply>(fast_replies[2]).code, KvCode::kDeleted);
  EXPECT_EQ(std::get<KvReply>(fast_replies[3]).code, KvCode::kNotSet);
  EXPECT_EQ(std::get<KvReply>(fast_replies[4]).code, KvCode::kSet);
  EXPECT_EQ(std::get<KvReply>(fast_replies[4]).revision, 1);
}

}  // namespace
}  // namespace kahuna::services
