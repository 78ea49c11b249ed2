// The linearizability checker on small hand-made histories, linearizable and
// not, with and without unknown outcomes.
#include <gtest/gtest.h>

#include <random>

#include "register_checker.h"

namespace kahuna::faults {
namespace {

using Kind = RegisterOp::Kind;

Recorded<RegisterOp> op(int process, std::int64_t invoke, std::int64_t complete, Kind kind,
                        std::optional<std::string> value, std::optional<std::string> expected = std::nullopt,
                        bool applied = false, Outcome outcome = Outcome::kOk, std::string key = "k") {
  RegisterOp r{kind, std::move(key), std::move(value), std::move(expected), applied};
  return Recorded<RegisterOp>{process, invoke, outcome == Outcome::kUnknown ? kNever : complete, outcome, r};
}
Recorded<RegisterOp> read(int p, std::int64_t i, std::int64_t c, std::optional<std::string> v,
                          std::string key = "k") {
  return op(p, i, c, Kind::kRead, std::move(v), std::nullopt, false, Outcome::kOk, std::move(key));
}
Recorded<RegisterOp> write(int p, std::int64_t i, std::int64_t c, std::string v, Outcome o = Outcome::kOk) {
  return op(p, i, c, Kind::kWrite, std::move(v), std::nullopt, false, o);
}
Recorded<RegisterOp> cas(int p, std::int64_t i, std::int64_t c, std::string from, std::string to,
                         bool applied, Outcome o = Outcome::kOk) {
  return op(p, i, c, Kind::kCas, std::move(to), std::move(from), applied, o);
}

TEST(RegisterChecker, AnEmptyHistoryIsLinearizable) { EXPECT_TRUE(check_registers({}).ok); }

TEST(RegisterChecker, SequentialReadsSeeTheLastWrite) {
  EXPECT_TRUE(check_registers({read(1, 0, 1, std::nullopt), write(1, 2, 3, "a"), read(2, 4, 5, "a"),
                               write(2, 6, 7, "b"), read(1, 8, 9, "b")})
                  .ok);
}

TEST(RegisterChecker, AStaleReadAfterAWriteCompletedFails) {
  const auto result = check_registers({write(1, 0, 1, "a"), write(1, 2, 3, "b"), read(2, 4, 5, "a")});
  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.inconclusive);
  EXPECT_EQ(result.key, "k");
  EXPECT_NE(result.report.find("cannot be placed: p2 read(k) -> 'a'"), std::string::npos) << result.report;
}

TEST(RegisterChecker, AReadConcurrentWithAWriteMaySeeEitherValue) {
  EXPECT_TRUE(
      check_registers({write(1, 0, 1, "a"), write(1, 2, 10, "b"), read(2, 3, 4, "a"), read(3, 5, 6, "b")})
          .ok);
}

TEST(RegisterChecker, ReadsMustNotGoBackInTime) {
  // Both reads overlap the write, but once one saw the new value a later
  // read cannot see the old one.
  EXPECT_FALSE(
      check_registers({write(1, 0, 1, "a"), write(1, 2, 20, "b"), read(2, 3, 4, "b"), read(3, 5, 6, "a")})
          .ok);
}

TEST(RegisterChecker, AValueNeverWrittenCannotBeRead) {
  EXPECT_FALSE(check_registers({write(1, 0, 1, "a"), read(2, 0, 5, "z")}).ok);
}

TEST(RegisterChecker, CompareAndSetFollowsTheModel) {
  EXPECT_TRUE(check_registers({write(1, 0, 1, "a"), cas(2, 2, 3, "a", "b", true),
                               cas(3, 4, 5, "a", "c", false), read(1, 6, 7, "b")})
                  .ok);
  // A cas that found its expected value cannot answer notSet.
  EXPECT_FALSE(check_registers({write(1, 0, 1, "a"), cas(2, 2, 3, "a", "b", false)}).ok);
  // Two concurrent cas from the same value cannot both apply.
  EXPECT_FALSE(
      check_registers({write(1, 0, 1, "a"), cas(2, 2, 5, "a", "b", true), cas(3, 2, 5, "a", "c", true)}).ok);
}

TEST(RegisterChecker, AnUnknownWriteMayHaveHappenedLate) {
  // The unknown write is seen long after it was sent.
  EXPECT_TRUE(check_registers({write(1, 0, 1, "a"), write(2, 2, 0, "x", Outcome::kUnknown),
                               read(3, 10, 11, "a"), read(3, 100, 101, "x")})
                  .ok);
  // ... or never.
  EXPECT_TRUE(
      check_registers({write(1, 0, 1, "a"), write(2, 2, 0, "x", Outcome::kUnknown), read(3, 10, 11, "a")})
          .ok);
  // But not before it was invoked.
  EXPECT_FALSE(check_registers({read(3, 0, 1, "x"), write(2, 2, 0, "x", Outcome::kUnknown)}).ok);
  // And not undone once seen.
  EXPECT_FALSE(check_registers({write(1, 0, 1, "a"), write(2, 2, 0, "x", Outcome::kUnknown),
                                read(3, 10, 11, "x"), read(3, 12, 13, "a")})
                   .ok);
}

// A failed write or cas (never sent, or `mustRetry` in strict mode) did not
// happen: nothing may observe it. These histories are what a server that
// answers `mustRetry` to a command it then applies produces.
TEST(RegisterChecker, AFailedWriteNeverHappened) {
  const auto result =
      check_registers({write(1, 0, 1, "a"), write(2, 2, 3, "x", Outcome::kFail), read(3, 10, 11, "x")});
  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.inconclusive);
  EXPECT_NE(result.report.find("only a failed (not applied) command wrote"), std::string::npos)
      << result.report;
  EXPECT_NE(result.report.find("p2 write(k, 'x') fail"), std::string::npos) << result.report;
  // The same read after an unknown write is fine: it may have happened.
  EXPECT_TRUE(
      check_registers({write(1, 0, 1, "a"), write(2, 2, 3, "x", Outcome::kUnknown), read(3, 10, 11, "x")})
          .ok);
}

TEST(RegisterChecker, AFailedWriteIsNotReadEvenWhileItRuns) {
  // The read overlaps the failed write: still nothing wrote 'x'.
  EXPECT_FALSE(
      check_registers({write(1, 0, 1, "a"), write(2, 2, 30, "x", Outcome::kFail), read(3, 5, 6, "x")}).ok);
}

TEST(RegisterChecker, AFailedCasNeverHappened) {
  EXPECT_FALSE(check_registers(
                   {write(1, 0, 1, "a"), cas(2, 2, 3, "a", "b", false, Outcome::kFail), read(3, 10, 11, "b")})
                   .ok);
}

TEST(RegisterChecker, NothingMayDependOnAFailedWrite) {
  // No read of 'x', but a cas from 'x' succeeded: only the failed write could
  // have put 'x' there, so the search itself must reject the history.
  const auto failed = check_registers({write(1, 0, 1, "a"), write(2, 2, 3, "x", Outcome::kFail),
                                       cas(3, 10, 11, "x", "y", true), read(1, 20, 21, "y")});
  EXPECT_FALSE(failed.ok);
  EXPECT_FALSE(failed.inconclusive);
  EXPECT_NE(failed.report.find("cannot be placed: p3 cas(k, 'x' -> 'y') set ok"), std::string::npos)
      << failed.report;
  EXPECT_NE(failed.report.find("failed (not applied), yet the value it needed: p2 write(k, 'x') fail"),
            std::string::npos)
      << failed.report;
  EXPECT_TRUE(check_registers({write(1, 0, 1, "a"), write(2, 2, 3, "x", Outcome::kUnknown),
                               cas(3, 10, 11, "x", "y", true), read(1, 20, 21, "y")})
                  .ok);
}

TEST(RegisterChecker, AFailedWriteNobodyObservedIsFine) {
  EXPECT_TRUE(check_registers({write(1, 0, 1, "a"), write(2, 2, 3, "x", Outcome::kFail), read(3, 10, 11, "a"),
                               cas(3, 12, 13, "x", "z", false), read(3, 14, 15, "a")})
                  .ok);
  // A failed read observed nothing, whatever its op holds.
  auto failed_read = read(3, 10, 11, "never-written");
  failed_read.outcome = Outcome::kFail;
  EXPECT_TRUE(check_registers({write(1, 0, 1, "a"), failed_read, read(3, 12, 13, "a")}).ok);
}

TEST(RegisterChecker, AnUnknownCasMayApplyOnlyWhereItsExpectationHolds) {
  EXPECT_TRUE(check_registers(
                  {write(1, 0, 1, "a"), cas(2, 2, 0, "a", "b", false, Outcome::kUnknown), read(3, 5, 6, "b")})
                  .ok);
  EXPECT_FALSE(check_registers({write(1, 0, 1, "a"), cas(2, 2, 0, "z", "b", false, Outcome::kUnknown),
                                read(3, 5, 6, "b")})
                   .ok);
}

TEST(RegisterChecker, KeysAreIndependent) {
  EXPECT_TRUE(check_registers({op(1, 0, 1, Kind::kWrite, "a", {}, false, Outcome::kOk, "x"),
                               op(1, 2, 3, Kind::kWrite, "b", {}, false, Outcome::kOk, "y"),
                               read(2, 4, 5, "a", "x"), read(2, 6, 7, "b", "y")})
                  .ok);
  const auto result = check_registers(
      {op(1, 0, 1, Kind::kWrite, "a", {}, false, Outcome::kOk, "x"), read(2, 4, 5, "a", "y")});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.key, "y");
}

TEST(RegisterChecker, TheSearchGivesUpWhenTold) {
  std::vector<Recorded<RegisterOp>> history;
  for (int i = 0; i < 30; ++i) history.push_back(write(i, 0, 100, "v" + std::to_string(i)));
  // v0 then v1 then v0 again, all after every write: impossible, but only
  // an exhaustive search over the 30 concurrent writes can tell.
  history.push_back(read(99, 200, 201, "v0"));
  history.push_back(read(99, 300, 301, "v1"));
  history.push_back(read(99, 400, 401, "v0"));
  const auto result = check_registers(history, 1000);
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(result.inconclusive);
}

// A large history made by running a real register under a lock, with
// random overlapping intervals around each atomic step: always
// linearizable; corrupting one read makes it fail.
TEST(RegisterChecker, LargeGeneratedHistories) {
  std::mt19937_64 random(7);
  std::vector<Recorded<RegisterOp>> history;
  std::optional<std::string> value;
  std::int64_t time = 0;
  for (int i = 0; i < 3000; ++i) {
    time += 10;
    const std::int64_t invoke = time - static_cast<std::int64_t>(random() % 25);
    const std::int64_t complete = time + static_cast<std::int64_t>(random() % 25);
    const int process = static_cast<int>(random() % 5);
    switch (random() % 3) {
      case 0: history.push_back(read(process, invoke, complete, value)); break;
      case 1:
        value = "v" + std::to_string(i);
        history.push_back(
            write(process, invoke, complete, *value, random() % 10 == 0 ? Outcome::kUnknown : Outcome::kOk));
        break;
      default: {
        const std::string expected = random() % 2 && value ? *value : "none";
        const bool applied = value == expected;
        history.push_back(cas(process, invoke, complete, expected, "c" + std::to_string(i), applied));
        if (applied) value = "c" + std::to_string(i);
      }
    }
  }
  EXPECT_TRUE(check_registers(history).ok);
  for (auto& entry : history) {
    if (entry.op.kind == Kind::kRead && entry.invoke > 15000) {
      entry.op.value = "never-written";
      break;
    }
  }
  const auto result = check_registers(history);
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.report.find("never-written"), std::string::npos) << result.report;
}

// A stale read in a mid-sized history without unknown outcomes: the search
// itself must find it (the value was written, just overwritten long ago).
TEST(RegisterChecker, AStaleReadInAMidSizedHistory) {
  std::vector<Recorded<RegisterOp>> history;
  for (int i = 0; i < 300; ++i) {
    const std::int64_t t = i * 10;
    history.push_back(write(i % 3, t, t + 15, "v" + std::to_string(i)));
    history.push_back(read(3, t + 5, t + 12,
                           i == 0 ? std::nullopt : std::optional<std::string>("v" + std::to_string(i - 1))));
  }
  EXPECT_TRUE(check_registers(history).ok);
  history[401].op.value = "v20";  // read at ~2005 while v200 is the latest completed write
  const auto result = check_registers(history);
  EXPECT_FALSE(result.ok);
  EXPECT_FALSE(result.inconclusive);
  EXPECT_NE(result.report.find("cannot be placed: p3 read(k) -> 'v20'"), std::string::npos) << result.report;
}

}  // namespace
}  // namespace kahuna::faults
