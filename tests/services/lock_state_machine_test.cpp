// Locks (HTTP-API.md §5): every reply code and every fencing-token rule,
// driven through encoded commands as the Raft driver applies them.
#include <gtest/gtest.h>

#include "replica.h"
#include "service_test_support.h"

namespace kahuna::services {
namespace {

using testing::Replica;

// A lock reply's code and fencing token, checked together so that a failure
// shows both.
::testing::AssertionResult is_reply(const LockReply& reply, LockCode code, std::int64_t token) {
  if (reply.code == code && reply.fencing_token == token) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "code " << to_string(reply.code) << ", fencing token " << reply.fencing_token;
}

TEST(Locks, FirstGrantEverGetsTokenZero) {
  Replica r;
  EXPECT_TRUE(is_reply(r.lock(1000, LockTryLock{"orders/42", "owner-a", 10000}), LockCode::kLocked, 0));
}

TEST(Locks, AnotherOwnerOfALiveLockIsBusyWithTokenZero) {
  Replica r;
  r.lock(1000, LockTryLock{"res", "a", 10000});
  EXPECT_TRUE(is_reply(r.lock(2000, LockTryLock{"res", "b", 10000}), LockCode::kBusy, 0));
}

TEST(Locks, SameOwnerRelockingKeepsTokenAndDoesNotExtendTheLease) {
  Replica r;
  r.lock(1000, LockTryLock{"res", "a", 10000});
  EXPECT_TRUE(is_reply(r.lock(5000, LockTryLock{"res", "a", 60000}), LockCode::kLocked, 0));
  // The lease still ends at 1000 + 10000.
  EXPECT_EQ(r.lock_info(10999, "res").code, LockCode::kGot);
  EXPECT_EQ(r.lock_info(10999, "res").expires.physical, 11000);
  EXPECT_EQ(r.lock_info(11000, "res").code, LockCode::kLockDoesNotExist);
}

TEST(Locks, EveryNewGrantIncrementsTheToken) {
  Replica r;
  EXPECT_EQ(r.lock(1000, LockTryLock{"res", "a", 100}).fencing_token, 0);
  EXPECT_EQ(r.lock(1050, LockUnlock{"res", "a"}).code, LockCode::kUnlocked);
  EXPECT_EQ(r.lock(1060, LockTryLock{"res", "b", 100}).fencing_token, 1);
  // b's lease expires; c gets it lazily.
  const auto c = r.lock(5000, LockTryLock{"res", "c", 100});
  EXPECT_TRUE(is_reply(c, LockCode::kLocked, 2));
  // The same owner after its own lease ended is a new grant too.
  EXPECT_EQ(r.lock(9000, LockTryLock{"res", "c", 100}).fencing_token, 3);
}

TEST(Locks, TokensAreIndependentPerResource) {
  Replica r;
  r.lock(1000, LockTryLock{"x", "a", 100});
  r.lock(2000, LockTryLock{"x", "a", 100});
  EXPECT_EQ(r.lock(3000, LockTryLock{"y", "a", 100}).fencing_token, 0);
}

TEST(Locks, TokenSurvivesUnlockAndRestartFromTheStoredState) {
  Replica r;
  r.lock(1000, LockTryLock{"res", "a", 100});
  r.lock(1010, LockUnlock{"res", "a"});
  // A new replica object over the same stored state (a restart).
  Replica restarted;
  restarted.state() = r.state();
  EXPECT_EQ(restarted.lock(2000, LockTryLock{"res", "b", 100}).fencing_token, 1);
}

TEST(Locks, ExpiryIsLazyAndDecidedByTheCommandStamp) {
  Replica r;
  r.lock(1000, LockTryLock{"res", "a", 500});
  // One millisecond before the lease ends it is still held.
  EXPECT_EQ(r.lock(1499, LockTryLock{"res", "b", 500}).code, LockCode::kBusy);
  // At the end instant it is free.
  EXPECT_TRUE(is_reply(r.lock(1500, LockTryLock{"res", "b", 500}), LockCode::kLocked, 1));
}

TEST(Locks, ExtendKeepsTheTokenAndMovesTheExpiry) {
  Replica r;
  r.lock(1000, LockTryLock{"res", "a", 1000});
  EXPECT_TRUE(is_reply(r.lock(1500, LockTryExtend{"res", "a", 5000}), LockCode::kExtended, 0));
  const auto info = r.lock_info(1600, "res");
  EXPECT_EQ(info.code, LockCode::kGot);
  EXPECT_EQ(info.expires.physical, 6500);
  EXPECT_EQ(r.lock(3000, LockTryLock{"res", "b", 100}).code, LockCode::kBusy);
}

TEST(Locks, ExtendByAnotherOwnerIsInvalidOwner) {
  Replica r;
  r.lock(1000, LockTryLock{"res", "a", 1000});
  EXPECT_EQ(r.lock(1100, LockTryExtend{"res", "b", 1000}).code, LockCode::kInvalidOwner);
}

TEST(Locks, ExtendOfAMissingReleasedOrExpiredLockDoesNotExist) {
  Replica r;
  EXPECT_EQ(r.lock(1000, LockTryExtend{"never", "a", 1000}).code, LockCode::kLockDoesNotExist);
  r.lock(1000, LockTryLock{"released", "a", 1000});
  r.lock(1001, LockUnlock{"released", "a"});
  EXPECT_EQ(r.lock(1002, LockTryExtend{"released", "a", 1000}).code, LockCode::kLockDoesNotExist);
  r.lock(1000, LockTryLock{"expired", "a", 10});
  EXPECT_EQ(r.lock(1010, LockTryExtend{"expired", "a", 1000}).code, LockCode::kLockDoesNotExist);
}

TEST(Locks, UnlockOutcomes) {
  Replica r;
  EXPECT_EQ(r.lock(1000, LockUnlock{"res", "a"}).code, LockCode::kLockDoesNotExist);
  r.lock(1000, LockTryLock{"res", "a", 1000});
  EXPECT_EQ(r.lock(1100, LockUnlock{"res", "b"}).code, LockCode::kInvalidOwner);
  EXPECT_EQ(r.lock(1200, LockUnlock{"res", "a"}).code, LockCode::kUnlocked);
  EXPECT_EQ(r.lock(1300, LockUnlock{"res", "a"}).code, LockCode::kLockDoesNotExist);
  // An expired lease is not held any more: nothing to unlock.
  r.lock(2000, LockTryLock{"res2", "a", 10});
  EXPECT_EQ(r.lock(3000, LockUnlock{"res2", "a"}).code, LockCode::kLockDoesNotExist);
}

TEST(Locks, UnlockFreesTheLockForOthers) {
  Replica r;
  r.lock(1000, LockTryLock{"res", "a", 100000});
  r.lock(1100, LockUnlock{"res", "a"});
  EXPECT_EQ(r.lock(1200, LockTryLock{"res", "b", 1000}).code, LockCode::kLocked);
}

TEST(Locks, GetInfo) {
  Replica r;
  auto none = r.lock_info(1000, "res");
  EXPECT_EQ(none.code, LockCode::kLockDoesNotExist);
  EXPECT_FALSE(none.owner.has_value());
  EXPECT_TRUE(none.expires.is_zero());
  r.lock(1000, LockTryLock{"res", "owner-a", 10000});
  r.lock(1001, LockTryLock{"res", "owner-b", 10000});
  const auto got = r.lock_info(2000, "res");
  EXPECT_EQ(got.code, LockCode::kGot);
  EXPECT_EQ(got.owner, "owner-a");
  EXPECT_EQ(got.expires, (HlcTimestamp{1, 11000, 0}));
  EXPECT_EQ(got.fencing_token, 0);
  EXPECT_EQ(r.lock_info(11000, "res").code, LockCode::kLockDoesNotExist);
  r.lock(12000, LockTryLock{"res", "owner-b", 10000});
  EXPECT_EQ(r.lock_info(12000, "res").fencing_token, 1);
  EXPECT_EQ(r.lock_info(12000, "").code, LockCode::kInvalidInput);
}

TEST(Locks, InvalidInput) {
  Replica r;
  EXPECT_EQ(r.lock(1000, LockTryLock{"", "a", 100}).code, LockCode::kInvalidInput);
  EXPECT_EQ(r.lock(1000, LockTryLock{"res", "", 100}).code, LockCode::kInvalidInput);
  EXPECT_EQ(r.lock(1000, LockTryLock{"res", "a", 0}).code, LockCode::kInvalidInput);
  EXPECT_EQ(r.lock(1000, LockTryLock{"res", "a", -5}).code, LockCode::kInvalidInput);
  EXPECT_EQ(r.lock(1000, LockTryLock{"__kahuna:x", "a", 100}).code, LockCode::kInvalidInput);
  EXPECT_EQ(r.lock(1000, LockTryExtend{"res", "a", 0}).code, LockCode::kInvalidInput);
  EXPECT_EQ(r.lock(1000, LockTryExtend{"", "a", 10}).code, LockCode::kInvalidInput);
  EXPECT_EQ(r.lock(1000, LockTryExtend{"res", "", 10}).code, LockCode::kInvalidInput);
  EXPECT_EQ(r.lock(1000, LockUnlock{"", "a"}).code, LockCode::kInvalidInput);
  EXPECT_EQ(r.lock(1000, LockUnlock{"res", ""}).code, LockCode::kInvalidInput);
  // Nothing was written by any of them.
  EXPECT_EQ(r.state().size(), 0u);
}

TEST(Locks, TokensNeverGoBackOverManyGrants) {
  Replica r;
  std::int64_t last = -1;
  for (int i = 0; i < 50; ++i) {
    const std::int64_t t = 1000 + i * 100;
    const auto reply = r.lock(t, LockTryLock{"res", "owner-" + std::to_string(i % 3), 50});
    ASSERT_EQ(reply.code, LockCode::kLocked);
    EXPECT_EQ(reply.fencing_token, last + 1);
    last = reply.fencing_token;
    if (i % 2 == 0) r.lock(t + 10, LockUnlock{"res", "owner-" + std::to_string(i % 3)});
  }
}

TEST(Locks, CodesMapToTheProtocolNumbers) {
  testing::expect_protocol_numbers(
      {LockCode::kLocked, LockCode::kBusy, LockCode::kExtended, LockCode::kUnlocked, LockCode::kGot,
       LockCode::kErrored, LockCode::kInvalidInput, LockCode::kMustRetry, LockCode::kLockDoesNotExist,
       LockCode::kInvalidOwner},
      {0, 1, 2, 3, 4, 99, 100, 101, 102, 103});
  EXPECT_EQ(to_string(LockCode::kLockDoesNotExist), "lockDoesNotExist");
  EXPECT_EQ(to_string(LockCode::kBusy), "busy");
}

}  // namespace
}  // namespace kahuna::services
