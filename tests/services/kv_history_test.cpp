// Key/value history: reads at an exact revision and as of a timestamp,
// tombstones, setNoRevision, retention and exists.
#include <gtest/gtest.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "replica.h"
#include "service_test_support.h"

namespace kahuna::services {
namespace {

using testing::at;
using testing::plain;
using testing::Replica;

TEST(KvHistory, ReadsAnExactRevision) {
  Replica r;
  r.kv(100, plain("k", "v0"));
  r.kv(200, plain("k", "v1"));
  r.kv(300, plain("k", "v2"));
  for (int rev = 0; rev <= 2; ++rev) {
    const auto reply = r.get(400, "k", rev);
    EXPECT_EQ(reply.code, KvCode::kGet) << rev;
    EXPECT_EQ(reply.revision, rev);
    EXPECT_EQ(reply.value, "v" + std::to_string(rev));
    EXPECT_EQ(reply.last_modified, at(100 * (rev + 1)));
  }
  EXPECT_EQ(r.get(400, "k", 3).code, KvCode::kDoesNotExist);
  EXPECT_EQ(r.get(400, "never", 0).code, KvCode::kDoesNotExist);
}

TEST(KvHistory, ATombstoneRevisionReadsAsAbsentButOlderOnesRemain) {
  Replica r;
  r.kv(100, plain("k", "a"));
  r.kv(200, KvDelete{"k"});
  r.kv(300, plain("k", "b"));
  EXPECT_EQ(r.get(400, "k", 0).value, "a");
  EXPECT_EQ(r.get(400, "k", 1).code, KvCode::kDoesNotExist);
  EXPECT_EQ(r.get(400, "k", 2).value, "b");
}

TEST(KvHistory, NoRevisionWritesAreNotReadableByNumber) {
  Replica r;
  r.kv(100, plain("k", "a"));
  r.kv(200, plain("k", "quiet", kSetNoRevision));
  EXPECT_EQ(r.get(300, "k", 1).code, KvCode::kDoesNotExist);  // the current one
  EXPECT_EQ(r.get(300, "k").value, "quiet");                  // but it is the latest value
  r.kv(400, plain("k", "c"));
  EXPECT_EQ(r.get(500, "k", 1).code, KvCode::kDoesNotExist);  // superseded
  EXPECT_EQ(r.get(500, "k", 0).value, "a");
  EXPECT_EQ(r.get(500, "k", 2).value, "c");
}

// Reads "k" at `now` as of each time in `reads` and checks what each finds:
// the value paired with it, or nothing (nullopt) where the key did not exist.
using AsOf = std::pair<std::int64_t, std::optional<std::string>>;
void expect_reads_as_of(Replica& r, std::int64_t now, std::initializer_list<AsOf> reads) {
  for (const auto& [ms, value] : reads) {
    const auto reply = r.get(now, "k", -1, at(ms));
    if (value) {
      EXPECT_EQ(reply.value, *value) << "as of " << ms;
    } else {
      EXPECT_EQ(reply.code, KvCode::kDoesNotExist) << "as of " << ms;
    }
  }
}

TEST(KvHistory, ReadsAsOfATimestamp) {
  Replica r;
  r.kv(100, plain("k", "a"));
  r.kv(200, plain("k", "b"));
  r.kv(300, KvDelete{"k"});
  r.kv(400, plain("k", "c"));
  expect_reads_as_of(
      r, 1000, {{50, std::nullopt}, {100, "a"}, {199, "a"}, {250, "b"}, {350, std::nullopt}, {450, "c"}});
  EXPECT_EQ(r.get(1000, "k", -1, at(250)).revision, 1);
  // The wire form "as of ms T": every counter of millisecond T.
  EXPECT_EQ(r.get(1000, "k", -1, hlc_as_of_ms(200)).value, "b");
  // An exact revision wins over a timestamp.
  EXPECT_EQ(r.get(1000, "k", 0, at(450)).value, "a");
}

TEST(KvHistory, AsOfRespectsTheExpiryAtThatTime) {
  Replica r;
  r.kv(1000, plain("k", "v", kSet, 100));
  r.kv(5000, plain("k", "w"));
  expect_reads_as_of(r, 6000, {{1050, "v"}, {1100, std::nullopt}, {5000, "w"}});
}

TEST(KvHistory, AsOfANoRevisionTimeDoesNotReturnTheOlderValue) {
  Replica r;
  r.kv(100, plain("k", "a"));
  r.kv(200, plain("k", "quiet", kSetNoRevision));
  r.kv(300, plain("k", "c"));
  // At 250 "quiet" was current; its value was not kept, so "a" would be wrong.
  expect_reads_as_of(r, 400, {{150, "a"}, {250, std::nullopt}, {350, "c"}});
}

TEST(KvHistory, RetentionKeepsTheLastNRevisions) {
  ServiceOptions options;
  options.kv.history_revisions = 3;
  Replica r(1, options);
  for (int i = 0; i < 10; ++i) r.kv(100 + i, plain("k", "v" + std::to_string(i)));
  // Current is 9; 6, 7, 8 are kept.
  for (int rev = 0; rev <= 5; ++rev) EXPECT_EQ(r.get(200, "k", rev).code, KvCode::kDoesNotExist) << rev;
  for (int rev = 6; rev <= 9; ++rev) EXPECT_EQ(r.get(200, "k", rev).value, "v" + std::to_string(rev)) << rev;
  // As of a time whose version was dropped: unknown, so absent, not older.
  expect_reads_as_of(r, 200, {{102, std::nullopt}, {107, "v7"}});
  // The history family holds exactly 3 entries for the key.
  const KeyRange range = r.machine().kv().store().layout().kv_history_range("k");
  EXPECT_EQ(testing::records_in(r.state(), range), 3);
}

TEST(KvHistory, LoweringRetentionNeverMakesAsOfReadsAnswerWithAnOlderValue) {
  ServiceOptions wide;
  wide.kv.history_revisions = 4;
  Replica before(1, wide);
  for (int i = 0; i <= 5; ++i) before.kv(100 + i, plain("k", "v" + std::to_string(i)));
  // The cluster restarts with a smaller retention over the same state.
  ServiceOptions narrow;
  narrow.kv.history_revisions = 1;
  Replica after(1, narrow);
  after.state() = before.state();
  after.kv(106, plain("k", "v6"));  // drops revision 4; 1..3 linger
  EXPECT_EQ(after.get(200, "k", 3).value, "v3");
  // As of 104 the value was v4, which is gone: unknown, not v3. As of 103
  // too: revision 4's time is unknown, so v3 may already be stale.
  expect_reads_as_of(after, 200, {{104, std::nullopt}, {103, std::nullopt}, {102, "v2"}, {105, "v5"}});
}

TEST(KvHistory, ZeroRetentionKeepsNoHistory) {
  ServiceOptions options;
  options.kv.history_revisions = 0;
  Replica r(1, options);
  r.kv(100, plain("k", "a"));
  r.kv(200, plain("k", "b"));
  EXPECT_EQ(r.get(300, "k", 0).code, KvCode::kDoesNotExist);
  EXPECT_EQ(r.get(300, "k", 1).value, "b");
  EXPECT_EQ(r.get(300, "k", -1, at(150)).code, KvCode::kDoesNotExist);
}

TEST(KvHistory, DefaultRetentionIsSixteen) {
  EXPECT_EQ(KvOptions{}.history_revisions, 16u);
  Replica r;
  for (int i = 0; i < 20; ++i) r.kv(100 + i, plain("k", std::to_string(i)));
  EXPECT_EQ(r.get(200, "k", 2).code, KvCode::kDoesNotExist);
  EXPECT_EQ(r.get(200, "k", 3).value, "3");
}

TEST(KvHistory, Exists) {
  Replica r;
  const auto missing = r.exists(1, "k");
  EXPECT_EQ(missing.code, KvCode::kDoesNotExist);
  EXPECT_EQ(missing.revision, 0);
  EXPECT_TRUE(missing.last_modified.is_zero());
  r.kv(10, plain("k", "v"));
  const auto live = r.exists(11, "k");
  EXPECT_EQ(live.code, KvCode::kExists);
  EXPECT_EQ(live.revision, 0);
  EXPECT_FALSE(live.value.has_value());
  EXPECT_EQ(live.last_modified, at(10));
  r.kv(20, plain("k", "w"));
  EXPECT_EQ(r.exists(21, "k", 0).code, KvCode::kExists);
  EXPECT_EQ(r.exists(21, "k", -1, at(15)).revision, 0);
}

TEST(KvHistory, DoesNotExistReplyHasZeroFields) {
  Replica r;
  r.kv(1, plain("k", "v"));
  r.kv(2, KvDelete{"k"});
  const auto reply = r.get(3, "k");
  EXPECT_EQ(reply.code, KvCode::kDoesNotExist);
  EXPECT_EQ(reply.revision, 0);
  EXPECT_FALSE(reply.value.has_value());
  EXPECT_TRUE(reply.expires.is_zero());
  EXPECT_TRUE(reply.last_modified.is_zero());
}

}  // namespace
}  // namespace kahuna::services
