// Applying a request id at most once (services/partition/request_table.h):
// a repeat gets the first apply's reply and changes nothing, whatever the
// state became in between; another command reusing an id is refused; the
// table forgets by count and by age; snapshots carry it.
#include "services/partition/request_table.h"

#include <gtest/gtest.h>

#include "replica.h"
#include "service_test_support.h"

namespace kahuna::services {
namespace {

using testing::at;
using testing::cas;
using testing::plain;
using testing::Replica;

std::string with_id(std::int64_t ms, CommandBody body, RequestId id) {
  return encode_command(Command{at(ms), std::move(body), id});
}

const RequestId kFirst{0xC0FFEE, 1, 0};

// The case that made clients unable to tell success from failure: a
// compare-and-set that succeeded, resent, must report "set" again rather
// than "notSet" (its own write changed the value it compared against).
TEST(RequestTable, AResentCompareAndSetReportsItsFirstOutcome) {
  Replica r;
  r.kv(1, plain("k", "a"));
  const KvReply first = std::get<KvReply>(r.apply(with_id(2, cas("k", "a", "b"), kFirst)));
  ASSERT_EQ(first.code, KvCode::kSet);
  const MemoryState after_first = r.state();

  const KvReply resent = std::get<KvReply>(r.apply(with_id(3, cas("k", "a", "b"), kFirst)));
  EXPECT_EQ(resent, first);
  EXPECT_EQ(r.state(), after_first) << "a repeat changed the state";
  EXPECT_EQ(r.get(4, "k").revision, first.revision);

  // Without the id the same command runs again, and fails as it should.
  EXPECT_EQ(r.kv(5, cas("k", "a", "b")).code, KvCode::kNotSet);
}

// A resent unlock must not release a lock granted to someone else since.
TEST(RequestTable, AResentUnlockDoesNotReleaseALaterOwnersLock) {
  Replica r;
  ASSERT_EQ(r.lock(1, LockTryLock{"res", "a", 10000}).code, LockCode::kLocked);
  const LockReply unlocked = std::get<LockReply>(r.apply(with_id(2, LockUnlock{"res", "a"}, kFirst)));
  ASSERT_EQ(unlocked.code, LockCode::kUnlocked);
  const LockReply granted = r.lock(3, LockTryLock{"res", "b", 10000});
  ASSERT_EQ(granted.code, LockCode::kLocked);

  EXPECT_EQ(std::get<LockReply>(r.apply(with_id(4, LockUnlock{"res", "a"}, kFirst))).code,
            LockCode::kUnlocked);
  const LockReply holder = r.lock_info(5, "res");
  EXPECT_EQ(holder.owner, "b");
  EXPECT_EQ(holder.fencing_token, granted.fencing_token);
}

TEST(RequestTable, AResentNextHandsOutNoNewValue) {
  Replica r;
  r.seq(1, SequenceCreate{"s", 0, 1, std::nullopt, std::nullopt});
  const SequenceReply first = std::get<SequenceReply>(r.apply(with_id(2, SequenceNext{"s"}, kFirst)));
  ASSERT_EQ(first.allocation.start, 1);
  const SequenceReply resent = std::get<SequenceReply>(r.apply(with_id(3, SequenceNext{"s"}, kFirst)));
  EXPECT_EQ(resent, first);
  EXPECT_EQ(r.seq(4, SequenceNext{"s"}).allocation.start, 2) << "the repeat consumed a value";
}

// Two copies of one request in the same batch (a re-proposal committed
// right behind the original): the second sees the first's staged record.
TEST(RequestTable, ARepeatInTheSameBatchIsRecognised) {
  Replica r;
  const auto replies =
      r.apply_batch({with_id(1, SequenceCreate{"s", 0, 1, std::nullopt, std::nullopt}, kFirst),
                     with_id(1, SequenceCreate{"s", 0, 1, std::nullopt, std::nullopt}, kFirst)});
  EXPECT_EQ(std::get<SequenceReply>(replies[0]).code, SequenceCode::kSuccess);
  EXPECT_EQ(std::get<SequenceReply>(replies[1]), std::get<SequenceReply>(replies[0]))
      << "the copy reported alreadyExists: it ran twice";
}

TEST(RequestTable, IdsDifferingInAnyPartAreDifferentRequests) {
  Replica r;
  r.seq(1, SequenceCreate{"s", 0, 1, std::nullopt, std::nullopt});
  std::vector<std::int64_t> starts;
  for (const RequestId id :
       {RequestId{1, 1, 0}, RequestId{2, 1, 0}, RequestId{1, 2, 0}, RequestId{1, 1, 1}}) {
    starts.push_back(std::get<SequenceReply>(r.apply(with_id(2, SequenceNext{"s"}, id))).allocation.start);
  }
  EXPECT_EQ(starts, (std::vector<std::int64_t>{1, 2, 3, 4}));
}

TEST(RequestTable, AnIdReusedByAnotherCommandIsInvalidInput) {
  Replica r;
  ASSERT_EQ(std::get<KvReply>(r.apply(with_id(1, plain("k", "a"), kFirst))).code, KvCode::kSet);
  const MemoryState before = r.state();
  EXPECT_EQ(std::get<KvReply>(r.apply(with_id(2, plain("k", "OTHER"), kFirst))).code, KvCode::kInvalidInput);
  EXPECT_EQ(std::get<LockReply>(r.apply(with_id(2, LockUnlock{"k", "a"}, kFirst))).code,
            LockCode::kInvalidInput);
  const auto batch = std::get<KvBatchReply>(r.apply(with_id(2, KvDeleteMany{{"x", "y"}}, kFirst)));
  EXPECT_EQ(batch.items, (std::vector<KvReply>(2, KvReply{KvCode::kInvalidInput})));
  EXPECT_EQ(r.state(), before);
}

TEST(RequestTable, TheOldestIdIsForgottenBeyondCapacity) {
  ServiceOptions options;
  options.requests.capacity = 3;
  Replica r(7, options);
  r.seq(1, SequenceCreate{"s", 0, 1, std::nullopt, std::nullopt});
  for (std::uint64_t n = 1; n <= 4; ++n) r.apply(with_id(2, SequenceNext{"s"}, RequestId{9, n, 0}));
  // Ids 2..4 are remembered; id 1 was forgotten and runs again.
  EXPECT_EQ(
      std::get<SequenceReply>(r.apply(with_id(3, SequenceNext{"s"}, RequestId{9, 4, 0}))).allocation.start,
      4);
  EXPECT_EQ(
      std::get<SequenceReply>(r.apply(with_id(3, SequenceNext{"s"}, RequestId{9, 1, 0}))).allocation.start,
      5);
}

TEST(RequestTable, IdsOlderThanTheRetentionAreForgotten) {
  ServiceOptions options;
  options.requests.retention_ms = 1000;
  Replica r(7, options);
  r.seq(1, SequenceCreate{"s", 0, 1, std::nullopt, std::nullopt});
  r.apply(with_id(10, SequenceNext{"s"}, kFirst));
  // Within the retention: still the first reply.
  EXPECT_EQ(std::get<SequenceReply>(r.apply(with_id(1009, SequenceNext{"s"}, kFirst))).allocation.start, 1);
  // Another request past the retention makes the table forget kFirst.
  r.apply(with_id(1011, SequenceNext{"s"}, RequestId{9, 9, 0}));
  EXPECT_EQ(std::get<SequenceReply>(r.apply(with_id(1012, SequenceNext{"s"}, kFirst))).allocation.start, 3);
  // The table holds only what it must: two ids now.
  const KeyLayout layout(7);
  EXPECT_EQ(testing::records_in(r.state(), layout.family_range(Family::kRequest)), 2);
}

// A replica restored from a snapshot must answer a resend exactly as the
// replica that applied the first send, or a leader change would let a
// retried write run twice.
TEST(RequestTable, ASnapshotCarriesTheTable) {
  Replica source;
  source.kv(1, plain("k", "a"));
  const KvReply first = std::get<KvReply>(source.apply(with_id(2, cas("k", "a", "b"), kFirst)));
  std::string image;
  ASSERT_TRUE(source.machine().encode_snapshot(source.state(), image).is_ok());

  Replica target;
  ApplyContext ctx(target.state());
  ASSERT_TRUE(target.machine().restore_snapshot(image, ctx).is_ok());
  target.state().apply(ctx.take_batch());
  EXPECT_EQ(std::get<KvReply>(target.apply(with_id(3, cas("k", "a", "b"), kFirst))), first);
}

}  // namespace
}  // namespace kahuna::services
