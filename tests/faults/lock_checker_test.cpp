// The lock-safety checker on hand-made histories, safe and not.
#include <gtest/gtest.h>

#include "lock_checker.h"

namespace kahuna::faults {
namespace {

using Kind = LockOp::Kind;
using Result = LockOp::Result;

constexpr std::int64_t ms = 1'000'000;

Recorded<LockOp> entry(std::int64_t invoke_ms, std::int64_t complete_ms, Kind kind, std::string owner,
                       Result result, std::int64_t token = 0, std::int64_t lease_ms = 100,
                       Outcome outcome = Outcome::kOk) {
  return Recorded<LockOp>{0, invoke_ms * ms, outcome == Outcome::kUnknown ? kNever : complete_ms * ms,
                          outcome, LockOp{kind, "r", std::move(owner), lease_ms, result, token}};
}
Recorded<LockOp> lock(std::int64_t i, std::int64_t c, std::string owner, Result result,
                      std::int64_t token = 0) {
  return entry(i, c, Kind::kLock, std::move(owner), result, token);
}
Recorded<LockOp> unlock(std::int64_t i, std::int64_t c, std::string owner,
                        Result result = Result::kUnlocked) {
  return entry(i, c, Kind::kUnlock, std::move(owner), result);
}
// An unlock whose answer never came: it may have released the lock.
Recorded<LockOp> unknown_unlock(std::int64_t i, std::string owner) {
  return entry(i, 0, Kind::kUnlock, std::move(owner), Result::kNone, 0, 0, Outcome::kUnknown);
}
// A request that did not happen (never sent, or `mustRetry` in strict mode).
Recorded<LockOp> failed(std::int64_t i, std::int64_t c, Kind kind, std::string owner, std::int64_t lease_ms) {
  return entry(i, c, kind, std::move(owner), Result::kNone, 0, lease_ms, Outcome::kFail);
}

TEST(LockChecker, HandOversAfterUnlockAndExpiryAreSafe) {
  const auto result = check_locks({
      lock(0, 1, "a", Result::kGranted, 0), lock(5, 6, "b", Result::kBusy), unlock(10, 11, "a"),
      lock(12, 13, "b", Result::kGranted, 1), entry(50, 51, Kind::kExtend, "b", Result::kExtended, 1),
      lock(120, 121, "a", Result::kBusy),        // b's extension still runs to 150
      lock(200, 201, "a", Result::kGranted, 2),  // b's lease ran out
  });
  EXPECT_TRUE(result.ok) << (result.violations.empty() ? "" : result.violations[0]);
}

TEST(LockChecker, TwoOwnersHoldingAtOnceFails) {
  const auto result =
      check_locks({lock(0, 1, "a", Result::kGranted, 0), lock(50, 51, "b", Result::kGranted, 1)});
  ASSERT_FALSE(result.ok);
  EXPECT_NE(result.violations[0].find("two owners held the lock at once"), std::string::npos)
      << result.violations[0];
}

TEST(LockChecker, AnExtendLengthensTheBelief) {
  // b is granted while a's extension should still run.
  EXPECT_FALSE(check_locks({lock(0, 1, "a", Result::kGranted, 0),
                            entry(80, 81, Kind::kExtend, "a", Result::kExtended, 0),
                            lock(150, 151, "b", Result::kGranted, 1)})
                   .ok);
}

TEST(LockChecker, TokensMustGrowOnAChangeOfHolderAndNeverGoBack) {
  // a held token 4; b's token is the same for a new holder, backwards, or
  // further on with a gap (which is fine).
  for (const auto& [b_token, safe] : {std::pair{4, false}, std::pair{3, false}, std::pair{9, true}}) {
    EXPECT_EQ(check_locks({lock(0, 1, "a", Result::kGranted, 4), unlock(2, 3, "a"),
                           lock(4, 5, "b", Result::kGranted, b_token)})
                  .ok,
              safe)
        << "b's token " << b_token;
  }
}

TEST(LockChecker, OneTokenNamesOneHolderEvenWhenConcurrent) {
  EXPECT_FALSE(check_locks({lock(0, 10, "a", Result::kGranted, 1), unlock(11, 12, "a"),
                            lock(5, 20, "b", Result::kGranted, 1)})
                   .ok);
}

TEST(LockChecker, BusyAfterAnAcknowledgedUnlockNeedsAGrantInBetween) {
  const auto violated = check_locks(
      {lock(0, 1, "a", Result::kGranted, 0), unlock(10, 11, "a"), lock(20, 21, "b", Result::kBusy)});
  ASSERT_FALSE(violated.ok);
  EXPECT_NE(violated.violations[0].find("busy after an acknowledged unlock"), std::string::npos);
  // A concurrent grant to c, or an unknown one, explains the busy answer.
  EXPECT_TRUE(check_locks({lock(0, 1, "a", Result::kGranted, 0), unlock(10, 11, "a"),
                           lock(12, 13, "c", Result::kGranted, 1), lock(20, 21, "b", Result::kBusy)})
                  .ok);
  EXPECT_TRUE(check_locks({lock(0, 1, "a", Result::kGranted, 0), unlock(10, 11, "a"),
                           entry(12, 0, Kind::kLock, "c", Result::kNone, 0, 100, Outcome::kUnknown),
                           lock(20, 21, "b", Result::kBusy)})
                  .ok);
}

TEST(LockChecker, AnExtendAfterTheHoldingWasReplacedFails) {
  EXPECT_FALSE(check_locks({lock(0, 1, "a", Result::kGranted, 0), lock(200, 201, "b", Result::kGranted, 1),
                            entry(210, 211, Kind::kExtend, "a", Result::kExtended, 0)})
                   .ok);
  // An extend by an owner never granted.
  EXPECT_FALSE(check_locks({entry(0, 1, Kind::kExtend, "a", Result::kExtended, 0)}).ok);
  // An extend carrying another token than its grant's.
  EXPECT_FALSE(check_locks({lock(0, 1, "a", Result::kGranted, 3),
                            entry(5, 6, Kind::kExtend, "a", Result::kExtended, 2)})
                   .ok);
}

TEST(LockChecker, AnUnknownUnlockEndsTheBeliefAtItsInvocation) {
  EXPECT_TRUE(check_locks({lock(0, 1, "a", Result::kGranted, 0), unknown_unlock(10, "a"),
                           lock(20, 21, "b", Result::kGranted, 1)})
                  .ok);
}

// A failed unlock (never sent, or `mustRetry` in strict mode) released
// nothing: its owner still holds the lock until the lease ends. A grant to
// another owner before then is what a server that answers `mustRetry` to an
// unlock it then applies produces.
TEST(LockChecker, AFailedUnlockReleasesNothing) {
  const auto failed_unlock = failed(10, 11, Kind::kUnlock, "a", 0);
  const auto violated = check_locks(
      {lock(0, 1, "a", Result::kGranted, 0), failed_unlock, lock(20, 21, "b", Result::kGranted, 1)});
  ASSERT_FALSE(violated.ok);
  EXPECT_NE(violated.violations[0].find("two owners held the lock at once, from 0.021000s to 0.100000s"),
            std::string::npos)
      << violated.violations[0];
  EXPECT_NE(violated.violations[0].find("p0 unlock(r, a) fail"), std::string::npos) << violated.violations[0];
  // Once a's lease has run out, b may have it.
  EXPECT_TRUE(check_locks({lock(0, 1, "a", Result::kGranted, 0), failed_unlock,
                           lock(120, 121, "b", Result::kGranted, 1)})
                  .ok);
  // An unlock that was acknowledged, or whose outcome is unknown, may have
  // released it.
  EXPECT_TRUE(check_locks({lock(0, 1, "a", Result::kGranted, 0), unlock(10, 11, "a"),
                           lock(20, 21, "b", Result::kGranted, 1)})
                  .ok);
  EXPECT_TRUE(check_locks({lock(0, 1, "a", Result::kGranted, 0), unknown_unlock(10, "a"),
                           lock(20, 21, "b", Result::kGranted, 1)})
                  .ok);
}

TEST(LockChecker, AFailedUnlockOfAnExtendedHoldingReleasesNothing) {
  // a's extension runs to 180; its unlock at 100 failed; b's grant at 150
  // overlaps.
  EXPECT_FALSE(
      check_locks({lock(0, 1, "a", Result::kGranted, 0),
                   entry(80, 81, Kind::kExtend, "a", Result::kExtended, 0),
                   failed(100, 101, Kind::kUnlock, "a", 0), lock(150, 151, "b", Result::kGranted, 1)})
          .ok);
}

TEST(LockChecker, AFailedTryLockGrantsNothing) {
  // After a's acknowledged unlock only a grant explains b's busy answer, and
  // c's failed try-lock granted nothing.
  const auto violated =
      check_locks({lock(0, 1, "a", Result::kGranted, 0), unlock(10, 11, "a"),
                   failed(12, 13, Kind::kLock, "c", 100), lock(20, 21, "b", Result::kBusy)});
  ASSERT_FALSE(violated.ok);
  EXPECT_NE(violated.violations[0].find("busy after an acknowledged unlock"), std::string::npos);
  // Nor does a failed try-lock let its owner extend or unlock.
  EXPECT_FALSE(check_locks({failed(0, 1, Kind::kLock, "a", 100),
                            entry(5, 6, Kind::kExtend, "a", Result::kExtended, 0)})
                   .ok);
  EXPECT_FALSE(check_locks({failed(0, 1, Kind::kLock, "a", 100), unlock(5, 6, "a")}).ok);
}

TEST(LockChecker, AFailedExtendDoesNotLengthenTheBelief) {
  // a's lease ends at 100 whatever the failed extend at 80 asked for.
  EXPECT_TRUE(check_locks({lock(0, 1, "a", Result::kGranted, 0), failed(80, 81, Kind::kExtend, "a", 100),
                           lock(150, 151, "b", Result::kGranted, 1)})
                  .ok);
}

TEST(LockChecker, ResourcesAreIndependent) {
  auto other = lock(50, 51, "b", Result::kGranted, 0);
  other.op.resource = "other";
  EXPECT_TRUE(check_locks({lock(0, 1, "a", Result::kGranted, 0), other}).ok);
}

}  // namespace
}  // namespace kahuna::faults
