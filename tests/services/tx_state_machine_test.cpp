// Transactions in the partition state machine (TRANSACTIONS.md §3):
// intents, the decision record, resolution, the one-partition fast path,
// and how intents hold plain writes off.
#include <gtest/gtest.h>

#include <string>

#include "replica.h"
#include "service_test_support.h"

namespace kahuna::services {
namespace {

using testing::at;
using testing::plain;
using testing::Replica;

const HlcTimestamp kTx = at(500, 1);
const HlcTimestamp kOther = at(501, 1);
const HlcTimestamp kDeadline = at(10000);

TxWrite set_of(std::string key, std::string value) {
  return TxWrite{std::move(key), TxWriteKind::kSet, std::move(value)};
}
TxWrite delete_of(std::string key) { return TxWrite{std::move(key), TxWriteKind::kDelete}; }

// A prepare on the anchor's partition (it creates the record).
TxPrepare anchor_prepare(HlcTimestamp tx, std::vector<TxWrite> writes, std::vector<TxRead> reads = {}) {
  return TxPrepare{tx, kDeadline, 7, std::move(writes), std::move(reads), {7, 9}};
}

std::uint64_t intents(Replica& r) {
  std::uint64_t count = 0;
  EXPECT_TRUE(r.machine().tx().intent_count(r.state(), count).is_ok());
  return count;
}

std::optional<TxRecord> record_of(Replica& r, HlcTimestamp tx) {
  std::optional<TxRecord> record;
  EXPECT_TRUE(r.machine().tx().load_record(r.state(), tx, record).is_ok());
  return record;
}

TEST(TxPrepare, StoresIntentsThatReadersDoNotSeeAndPlainWritesCannotPass) {
  Replica r;
  r.kv(100, plain("a", "old"));
  EXPECT_EQ(r.tx(1000, anchor_prepare(kTx, {set_of("a", "new"), set_of("b", "fresh")})).code,
            TxCode::kPrepared);
  EXPECT_EQ(intents(r), 2u);
  // Readers see the committed versions only.
  EXPECT_EQ(r.get(1001, "a").value, "old");
  EXPECT_EQ(r.get(1001, "b").code, KvCode::kDoesNotExist);
  // Every plain change of a held key is refused, unapplied.
  EXPECT_EQ(r.kv(1002, plain("a", "x")).code, KvCode::kMustRetry);
  EXPECT_EQ(r.kv(1002, KvDelete{"a"}).code, KvCode::kMustRetry);
  EXPECT_EQ(r.kv(1002, KvExtend{"a", 100}).code, KvCode::kMustRetry);
  EXPECT_EQ(r.kv(1002, plain("b", "x")).code, KvCode::kMustRetry);
  EXPECT_EQ(r.get(1003, "a").revision, 0);
  // Keys no intent holds are untouched by all this.
  EXPECT_EQ(r.kv(1004, plain("c", "free")).code, KvCode::kSet);
  const auto record = record_of(r, kTx);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->state, TxState::kUndecided);
  EXPECT_EQ(record->participants, (std::vector<std::uint32_t>{7, 9}));
}

TEST(TxPrepare, ANonAnchorParticipantKeepsNoRecord) {
  Replica r;
  EXPECT_EQ(r.tx(1000, TxPrepare{kTx, kDeadline, 9, {set_of("a", "1")}, {}, {}}).code, TxCode::kPrepared);
  EXPECT_FALSE(record_of(r, kTx).has_value());
  EXPECT_EQ(intents(r), 1u);
}

TEST(TxCommit, ResolvedWritesAppearTogetherWithTheCommitStamp) {
  Replica r;
  r.kv(100, plain("a", "old"));
  r.kv(110, plain("gone", "x"));
  ASSERT_EQ(
      r.tx(1000, anchor_prepare(kTx, {set_of("a", "new"), set_of("b", "fresh"), delete_of("gone")})).code,
      TxCode::kPrepared);
  const TxReply decided = r.tx(1100, TxDecide{kTx, true});
  ASSERT_EQ(decided.code, TxCode::kCommitted);
  EXPECT_EQ(decided.commit_stamp, at(1100));
  // Nothing changes for readers until the intents are resolved.
  EXPECT_EQ(r.get(1150, "a").value, "old");
  EXPECT_EQ(r.tx(1200, TxResolve{kTx, true, decided.commit_stamp, {"a", "b", "gone"}}).code,
            TxCode::kResolved);
  const KvReply a = r.get(1300, "a");
  EXPECT_EQ(a.value, "new");
  EXPECT_EQ(a.revision, 1);
  EXPECT_EQ(a.last_modified, at(1100));
  const KvReply b = r.get(1300, "b");
  EXPECT_EQ(b.value, "fresh");
  EXPECT_EQ(b.revision, 0);
  EXPECT_EQ(b.last_modified, at(1100));
  EXPECT_EQ(r.get(1300, "gone").code, KvCode::kDoesNotExist);
  EXPECT_EQ(r.get(1300, "gone", 1).code, KvCode::kDoesNotExist);  // the tombstone's revision
  // As of a moment before the commit stamp, the old version is still there.
  EXPECT_EQ(r.get(1300, "a", -1, at(1099)).value, "old");
  EXPECT_EQ(intents(r), 0u);
  EXPECT_EQ(r.kv(1400, plain("a", "plain again")).code, KvCode::kSet);
}

TEST(TxCommit, ResolveTwiceChangesNothingTheSecondTime) {
  Replica r;
  r.tx(1000, anchor_prepare(kTx, {set_of("a", "1")}));
  const HlcTimestamp commit = r.tx(1100, TxDecide{kTx, true}).commit_stamp;
  r.tx(1200, TxResolve{kTx, true, commit, {"a"}});
  r.tx(1300, TxResolve{kTx, true, commit, {"a"}});
  EXPECT_EQ(r.get(1400, "a").revision, 0);
  EXPECT_EQ(intents(r), 0u);
}

TEST(TxCommit, ResolveLeavesAnotherTransactionsIntentAlone) {
  Replica r;
  r.tx(1000, anchor_prepare(kTx, {set_of("a", "mine")}));
  EXPECT_EQ(r.tx(1100, TxResolve{kOther, false, {}, {"a"}}).code, TxCode::kResolved);
  EXPECT_EQ(intents(r), 1u);
  EXPECT_EQ(r.kv(1200, plain("a", "x")).code, KvCode::kMustRetry);
}

TEST(TxAbort, AbortedIntentsVanishAndNothingChanges) {
  Replica r;
  r.kv(100, plain("a", "old"));
  r.tx(1000, anchor_prepare(kTx, {set_of("a", "new"), delete_of("a2")}));
  EXPECT_EQ(r.tx(1100, TxDecide{kTx, false}).code, TxCode::kAborted);
  EXPECT_EQ(r.tx(1200, TxResolve{kTx, false, {}, {"a", "a2"}}).code, TxCode::kResolved);
  EXPECT_EQ(r.get(1300, "a").value, "old");
  EXPECT_EQ(r.get(1300, "a").revision, 0);
  EXPECT_EQ(intents(r), 0u);
}

TEST(TxDecide, TheFirstDecisionStands) {
  Replica r;
  r.tx(1000, anchor_prepare(kTx, {set_of("a", "1")}));
  const TxReply first = r.tx(1100, TxDecide{kTx, true});
  EXPECT_EQ(first.code, TxCode::kCommitted);
  const TxReply again = r.tx(1200, TxDecide{kTx, true});
  EXPECT_EQ(again.code, TxCode::kCommitted);
  EXPECT_EQ(again.commit_stamp, first.commit_stamp);
  EXPECT_EQ(r.tx(1300, TxDecide{kTx, false}).code, TxCode::kCommitted);  // a rollback after the commit
  Replica s;
  s.tx(1000, anchor_prepare(kTx, {set_of("a", "1")}));
  EXPECT_EQ(s.tx(1100, TxDecide{kTx, false}).code, TxCode::kAborted);
  EXPECT_EQ(s.tx(1200, TxDecide{kTx, true}).code, TxCode::kAborted);
}

TEST(TxDecide, PastTheDeadlineOnlyAbortIsPossible) {
  Replica r;
  r.tx(1000, anchor_prepare(kTx, {set_of("a", "1")}));
  EXPECT_EQ(r.tx(kDeadline.physical, TxDecide{kTx, true}).code, TxCode::kAborted);
  EXPECT_EQ(record_of(r, kTx)->state, TxState::kAborted);
}

TEST(TxDecide, ADecisionBeforeThePrepareAbortsAndTheLatePrepareFails) {
  Replica r;
  EXPECT_EQ(r.tx(1000, TxDecide{kTx, true}).code, TxCode::kAborted);
  EXPECT_EQ(r.tx(1100, anchor_prepare(kTx, {set_of("a", "1")})).code, TxCode::kAborted);
  EXPECT_EQ(intents(r), 0u);
  EXPECT_EQ(r.kv(1200, plain("a", "free")).code, KvCode::kSet);
}

TEST(TxPrepare, AnotherTransactionsIntentAbortsItNamingTheHolder) {
  Replica r;
  r.tx(1000, anchor_prepare(kTx, {set_of("a", "1")}));
  const TxReply blocked = r.tx(1100, anchor_prepare(kOther, {set_of("z", "2"), set_of("a", "2")}));
  EXPECT_EQ(blocked.code, TxCode::kAborted);
  EXPECT_EQ(blocked.key, "a");
  EXPECT_EQ(blocked.holder, kTx);
  // Reading a held key is a conflict too: its value may be about to change.
  const TxReply read_blocked =
      r.tx(1100, anchor_prepare(kOther, {set_of("z", "2")}, {TxRead{"a", -1, false}}));
  EXPECT_EQ(read_blocked.code, TxCode::kAborted);
  EXPECT_EQ(read_blocked.holder, kTx);
  // Nothing of the refused prepares stayed.
  EXPECT_EQ(intents(r), 1u);
  EXPECT_FALSE(record_of(r, kOther).has_value());
}

TEST(TxPrepare, AResendOfTheSamePrepareIsHarmless) {
  Replica r;
  const TxPrepare prepare = anchor_prepare(kTx, {set_of("a", "1"), set_of("b", "2")});
  EXPECT_EQ(r.tx(1000, prepare).code, TxCode::kPrepared);
  EXPECT_EQ(r.tx(1001, prepare).code, TxCode::kPrepared);
  EXPECT_EQ(intents(r), 2u);  // counted once
  const HlcTimestamp commit = r.tx(1100, TxDecide{kTx, true}).commit_stamp;
  EXPECT_EQ(r.tx(1200, prepare).code, TxCode::kCommitted);  // decided: the decision answers
  r.tx(1300, TxResolve{kTx, true, commit, {"a", "b"}});
  EXPECT_EQ(intents(r), 0u);
}

TEST(TxPrepare, ReadsAreValidatedByRevisionAndLiveness) {
  Replica r;
  r.kv(100, plain("seen", "1"));
  r.kv(100, plain("ttl", "t", kSet, 1000));  // expires at 1100
  // Unchanged: passes.
  EXPECT_EQ(
      r.tx(200,
           TxCommitLocal{kTx, {set_of("out", "x")}, {TxRead{"seen", 0, true}, TxRead{"never", -1, false}}})
          .code,
      TxCode::kCommitted);
  // Written since the read: fails on that key.
  r.kv(300, plain("seen", "2"));
  const TxReply stale = r.tx(400, TxCommitLocal{kOther, {set_of("out", "y")}, {TxRead{"seen", 0, true}}});
  EXPECT_EQ(stale.code, TxCode::kAborted);
  EXPECT_EQ(stale.key, "seen");
  EXPECT_EQ(r.get(500, "out").value, "x");
  // Expired since the read (same revision, no longer live): fails too.
  EXPECT_EQ(r.tx(1200, TxCommitLocal{at(1200, 1), {set_of("out", "z")}, {TxRead{"ttl", 0, true}}}).code,
            TxCode::kAborted);
  // A key created since it was read absent: fails.
  r.kv(1300, plain("never", "now"));
  EXPECT_EQ(r.tx(1400, TxCommitLocal{at(1400, 1), {set_of("out", "w")}, {TxRead{"never", -1, false}}}).code,
            TxCode::kAborted);
}

TEST(TxPrepare, AKeyReadAbsentOnlyNeedsToStayAbsent) {
  Replica r;
  r.kv(100, plain("k", "v"));
  r.kv(110, KvDelete{"k"});
  // Absent when read, absent now: the revision a reader of an absent key
  // cannot see does not matter.
  EXPECT_EQ(r.tx(200, TxCommitLocal{kTx, {set_of("out", "1")}, {TxRead{"k", -1, false}}}).code,
            TxCode::kCommitted);
  // Created and deleted again since: still absent, still valid.
  r.kv(300, plain("k", "again"));
  r.kv(310, KvDelete{"k"});
  EXPECT_EQ(r.tx(400, TxCommitLocal{kOther, {set_of("out", "2")}, {TxRead{"k", -1, false}}}).code,
            TxCode::kCommitted);
}

TEST(TxCommitLocal, ExtendKeepsTheRevisionAndMovesTheExpiry) {
  Replica r;
  r.kv(100, plain("lease", "v", kSet, 1000));
  TxWrite extend{"lease", TxWriteKind::kExtend, std::nullopt, 5000};
  TxWrite extend_missing{"missing", TxWriteKind::kExtend, std::nullopt, 5000};
  const TxReply reply = r.tx(500, TxCommitLocal{kTx, {extend, extend_missing}, {}});
  ASSERT_EQ(reply.code, TxCode::kCommitted);
  EXPECT_EQ(reply.revisions, (std::vector<std::int64_t>{0, -1}));
  const KvReply lease = r.get(600, "lease");
  EXPECT_EQ(lease.revision, 0);
  EXPECT_EQ(lease.value, "v");
  EXPECT_EQ(lease.expires, at(5500));
  EXPECT_EQ(r.get(600, "missing").code, KvCode::kDoesNotExist);
  // An extend needs a positive time.
  TxWrite zero{"lease", TxWriteKind::kExtend, std::nullopt, 0};
  EXPECT_EQ(r.tx(700, TxCommitLocal{kOther, {zero}, {}}).code, TxCode::kInvalidInput);
}

TEST(TxPrepare, PastItsDeadlineNothingIsPrepared) {
  Replica r;
  EXPECT_EQ(r.tx(kDeadline.physical + 1, anchor_prepare(kTx, {set_of("a", "1")})).code, TxCode::kAborted);
  EXPECT_EQ(intents(r), 0u);
  EXPECT_FALSE(record_of(r, kTx).has_value());
}

TEST(TxPrepare, BadInputIsRefused) {
  Replica r;
  EXPECT_EQ(r.tx(1000, anchor_prepare({}, {set_of("a", "1")})).code, TxCode::kInvalidInput);
  EXPECT_EQ(r.tx(1000, anchor_prepare(kTx, {})).code, TxCode::kInvalidInput);
  EXPECT_EQ(r.tx(1000, anchor_prepare(kTx, {set_of("a", "1"), delete_of("a")})).code, TxCode::kInvalidInput);
  EXPECT_EQ(r.tx(1000, anchor_prepare(kTx, {set_of("", "1")})).code, TxCode::kInvalidInput);
  EXPECT_EQ(r.tx(1000, anchor_prepare(kTx, {set_of(std::string(2000, 'k'), "1")})).code,
            TxCode::kInvalidInput);
  EXPECT_EQ(r.tx(1000, anchor_prepare(kTx, {set_of("a", std::string(2 * 1024 * 1024, 'v'))})).code,
            TxCode::kInvalidInput);
  TxWrite negative = set_of("a", "1");
  negative.expires_ms = -1;
  EXPECT_EQ(r.tx(1000, anchor_prepare(kTx, {negative})).code, TxCode::kInvalidInput);
  TxWrite unknown_kind = set_of("a", "1");
  unknown_kind.kind = static_cast<TxWriteKind>(7);
  EXPECT_EQ(r.tx(1000, anchor_prepare(kTx, {unknown_kind})).code, TxCode::kInvalidInput);
  EXPECT_EQ(r.tx(1000, anchor_prepare(kTx, {set_of("a", "1")}, {TxRead{""}})).code, TxCode::kInvalidInput);
  EXPECT_EQ(r.tx(1000, TxPrepare{kTx, kDeadline, 0, {set_of("a", "1")}, {}, {}}).code, TxCode::kInvalidInput);
  EXPECT_EQ(r.tx(1000, TxDecide{{}, true}).code, TxCode::kInvalidInput);
  EXPECT_EQ(r.tx(1000, TxResolve{kTx, true, {}, {"a"}}).code, TxCode::kInvalidInput);
  EXPECT_EQ(intents(r), 0u);
}

TEST(TxCommitLocal, CommitsAllWritesInOneEntryWithOneStamp) {
  Replica r;
  r.kv(100, plain("a", "old"));
  r.kv(100, plain("d", "doomed"));
  const TxReply reply =
      r.tx(1000, TxCommitLocal{kTx, {set_of("a", "new"), set_of("b", "b"), delete_of("d")}, {}});
  ASSERT_EQ(reply.code, TxCode::kCommitted);
  EXPECT_EQ(reply.commit_stamp, at(1000));
  EXPECT_EQ(reply.revisions, (std::vector<std::int64_t>{1, 0, 1}));
  EXPECT_EQ(r.get(1100, "a").value, "new");
  EXPECT_EQ(r.get(1100, "b").last_modified, at(1000));
  EXPECT_EQ(r.get(1100, "d").code, KvCode::kDoesNotExist);
  // Its record answers a resend, which changes nothing.
  const TxReply again = r.tx(1200, TxCommitLocal{kTx, {set_of("a", "newer")}, {}});
  EXPECT_EQ(again.code, TxCode::kCommitted);
  EXPECT_EQ(again.commit_stamp, at(1000));
  EXPECT_EQ(r.get(1300, "a").value, "new");
}

TEST(TxCommitLocal, AFailedCheckWritesNothing) {
  Replica r;
  r.tx(1000, anchor_prepare(kOther, {set_of("held", "x")}));
  const TxReply reply = r.tx(1100, TxCommitLocal{kTx, {set_of("free", "1"), set_of("held", "2")}, {}});
  EXPECT_EQ(reply.code, TxCode::kAborted);
  EXPECT_EQ(reply.holder, kOther);
  EXPECT_EQ(r.get(1200, "free").code, KvCode::kDoesNotExist);
  EXPECT_FALSE(record_of(r, kTx).has_value());
}

TEST(TxCommitLocal, TakesOverItsOwnIntents) {
  Replica r;
  r.tx(1000, TxPrepare{kTx, kDeadline, 9, {set_of("a", "prepared")}, {}, {}});
  EXPECT_EQ(r.tx(1100, TxCommitLocal{kTx, {set_of("a", "final")}, {}}).code, TxCode::kCommitted);
  EXPECT_EQ(r.get(1200, "a").value, "final");
  EXPECT_EQ(intents(r), 0u);
}

TEST(TxForget, OnlyADecidedRecordIsForgotten) {
  Replica r;
  r.tx(1000, anchor_prepare(kTx, {set_of("a", "1")}));
  EXPECT_EQ(r.tx(1100, TxForget{kTx}).code, TxCode::kUndecided);
  EXPECT_TRUE(record_of(r, kTx).has_value());
  r.tx(1200, TxDecide{kTx, false});
  EXPECT_EQ(r.tx(1300, TxForget{kTx}).code, TxCode::kForgotten);
  EXPECT_FALSE(record_of(r, kTx).has_value());
  EXPECT_EQ(r.tx(1400, TxForget{kTx}).code, TxCode::kForgotten);
}

TEST(TxDecideResolve, DecidesAndResolvesTheAnchorsOwnIntentsInOneEntry) {
  Replica r;
  r.kv(100, plain("a", "old"));
  ASSERT_EQ(r.tx(1000, anchor_prepare(kTx, {set_of("a", "new"), set_of("b", "fresh")})).code,
            TxCode::kPrepared);
  const TxReply decided = r.tx(1100, TxDecideResolve{kTx, true, {"a", "b"}});
  ASSERT_EQ(decided.code, TxCode::kCommitted);
  EXPECT_EQ(decided.commit_stamp, at(1100));
  EXPECT_EQ(intents(r), 0u);
  EXPECT_EQ(r.get(1200, "a").value, "new");
  EXPECT_EQ(r.get(1200, "a").last_modified, decided.commit_stamp);
  EXPECT_EQ(record_of(r, kTx)->state, TxState::kCommitted);
  // Aborted: the intents vanish, the old versions stay.
  Replica s;
  s.kv(100, plain("a", "old"));
  s.tx(1000, anchor_prepare(kTx, {set_of("a", "new")}));
  EXPECT_EQ(s.tx(1100, TxDecideResolve{kTx, false, {"a"}}).code, TxCode::kAborted);
  EXPECT_EQ(intents(s), 0u);
  EXPECT_EQ(s.get(1200, "a").value, "old");
}

TEST(TxPrepare, ALockIntentHoldsTheKeyAndCommitsNothing) {
  Replica r;
  r.kv(100, plain("a", "old"));
  const TxWrite lock{"a", TxWriteKind::kLock};
  ASSERT_EQ(r.tx(1000, TxPrepare{kTx, kDeadline, 7, {lock}, {}, {}}).code, TxCode::kPrepared);
  EXPECT_EQ(r.kv(1001, plain("a", "x")).code, KvCode::kMustRetry);
  EXPECT_EQ(r.tx(1002, TxPrepare{kOther, kDeadline, 7, {set_of("a", "other")}, {}, {}}).holder, kTx);
  // Committed as a lock, it leaves the key as it was, revision included.
  EXPECT_EQ(r.tx(1100, TxCommitLocal{kTx, {lock}, {}}).code, TxCode::kCommitted);
  EXPECT_EQ(r.get(1200, "a").value, "old");
  EXPECT_EQ(r.get(1200, "a").revision, 0);
  EXPECT_EQ(intents(r), 0u);
}

TEST(TxRecords, DecidedRecordsAreDroppedAfterTheirRetentionAndNotPresumedAborted) {
  Replica r;
  r.tx(1000, anchor_prepare(kTx, {set_of("a", "1")}));
  ASSERT_EQ(r.tx(1100, TxDecideResolve{kTx, true, {"a"}}).code, TxCode::kCommitted);
  const std::int64_t later = kTx.physical + TxStateMachine::kRecordRetentionMs;
  // Within the retention the record answers; a newer decide drops it after.
  EXPECT_EQ(r.tx(later, TxDecide{at(later - 1), false}).code, TxCode::kAborted);
  EXPECT_TRUE(record_of(r, kTx).has_value());
  EXPECT_EQ(r.tx(later + 10, TxDecide{at(later), false}).code, TxCode::kAborted);
  EXPECT_FALSE(record_of(r, kTx).has_value());
  // A question about it now cannot be answered truthfully from a missing
  // record: it says so rather than record an abort.
  EXPECT_EQ(r.tx(later + 20, TxDecide{kTx, false}).code, TxCode::kForgotten);
  EXPECT_FALSE(record_of(r, kTx).has_value());
}

TEST(TxCommands, ARequestIdAppliesOnce) {
  Replica r;
  const TxCommitLocal commit{kTx, {set_of("a", "1")}, {}};
  const RequestId id{42, 1, 0};
  const Reply first = r.apply(encode_command(Command{at(1000), commit, id}));
  const Reply second = r.apply(encode_command(Command{at(1100), commit, id}));
  EXPECT_EQ(first, second);
  EXPECT_EQ(r.get(1200, "a").revision, 0);
  // The id reused for another command is refused as such.
  const Reply reused = r.apply(encode_command(Command{at(1300), TxForget{kTx}, id}));
  EXPECT_EQ(std::get<TxReply>(reused).code, TxCode::kInvalidInput);
}

}  // namespace
}  // namespace kahuna::services
