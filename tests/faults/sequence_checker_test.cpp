// The sequencer checker on hand-made histories, safe and not.
#include <gtest/gtest.h>

#include "sequence_checker.h"

namespace kahuna::faults {
namespace {

Recorded<SequenceOp> reserve(std::int64_t start, std::int64_t count, std::string key = "",
                             std::int64_t increment = 1, std::int64_t got = -1) {
  SequenceOp op;
  op.name = "s";
  op.count = count;
  op.increment = increment;
  op.idempotency_key = std::move(key);
  op.allocated = true;
  op.start = start;
  op.got_count = got < 0 ? count : got;
  op.end = start + (op.got_count - 1) * increment;
  return Recorded<SequenceOp>{1, 0, 1, Outcome::kOk, op};
}

TEST(SequenceChecker, DisjointContiguousAllocationsPass) {
  const auto result = check_sequences({reserve(1, 3), reserve(4, 1), reserve(10, 5), reserve(1001, 2)});
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.values, 11);
}

TEST(SequenceChecker, AValueHandedOutTwiceFails) {
  const auto result = check_sequences({reserve(1, 3), reserve(3, 2)});
  ASSERT_FALSE(result.ok);
  EXPECT_NE(result.violations[0].find("handed out twice"), std::string::npos);
  EXPECT_FALSE(check_sequences({reserve(5, 1), reserve(5, 1)}).ok);
}

TEST(SequenceChecker, InterleavedStepsDoNotCollide) {
  EXPECT_TRUE(check_sequences({reserve(0, 3, "", 10), reserve(5, 3, "", 10)}).ok);
  EXPECT_FALSE(check_sequences({reserve(0, 3, "", 10), reserve(10, 3, "", 10)}).ok);
}

TEST(SequenceChecker, AnAllocationMustBeContiguousAndOfTheSizeAsked) {
  auto gap = reserve(1, 3);
  gap.op.end = 5;
  EXPECT_FALSE(check_sequences({gap}).ok);
  EXPECT_FALSE(check_sequences({reserve(1, 3, "", 1, 2)}).ok);
}

TEST(SequenceChecker, RetriesWithOneIdempotencyKeyShareOneAllocation) {
  EXPECT_TRUE(check_sequences({reserve(1, 2, "k"), reserve(1, 2, "k"), reserve(3, 1, "j")}).ok);
  const auto result = check_sequences({reserve(1, 2, "k"), reserve(7, 2, "k")});
  ASSERT_FALSE(result.ok);
  EXPECT_NE(result.violations[0].find("idempotency key"), std::string::npos);
}

TEST(SequenceChecker, UnknownAndRefusedCallsAllocateNothing) {
  auto unknown = reserve(1, 2);
  unknown.outcome = Outcome::kUnknown;
  auto refused = reserve(1, 2);
  refused.op.allocated = false;
  EXPECT_TRUE(check_sequences({unknown, refused, reserve(1, 2)}).ok);
}

TEST(SequenceChecker, AFailedCallHandedOutNothing) {
  // Whatever a failed call's op holds (never sent, or `mustRetry` in strict
  // mode), it did not happen: no value of it collides, and a keyed one is no
  // allocation its key's retries must match.
  auto failed = reserve(1, 2);
  failed.outcome = Outcome::kFail;
  auto failed_keyed = reserve(9, 2, "k");
  failed_keyed.outcome = Outcome::kFail;
  const auto result = check_sequences({failed, reserve(1, 2), failed_keyed, reserve(3, 2, "k")});
  EXPECT_TRUE(result.ok) << (result.violations.empty() ? "" : result.violations[0]);
  EXPECT_EQ(result.values, 4);
}

}  // namespace
}  // namespace kahuna::faults
