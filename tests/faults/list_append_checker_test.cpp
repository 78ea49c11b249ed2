// The list-append checker on hand-made histories: serializable ones pass
// (unknown transactions included); a lost update, a write skew, a read skew,
// a circular information flow, a read of an aborted append, reads that
// disagree on a key's order, a duplicate and an invented element are each
// caught.
#include <gtest/gtest.h>

#include "list_append_checker.h"

namespace kahuna::faults {
namespace {

ListMicroOp append(const std::string& key, const std::string& element) {
  return ListMicroOp{ListMicroOp::Kind::kAppend, key, element, {}};
}

ListMicroOp read(const std::string& key, const std::string& list) {
  return ListMicroOp{ListMicroOp::Kind::kRead, key, {}, parse_list(list)};
}

Recorded<ListAppendOp> txn(std::int64_t at, std::vector<ListMicroOp> micro, Outcome outcome = Outcome::kOk) {
  ListAppendOp op;
  op.micro = std::move(micro);
  op.answer = outcome == Outcome::kFail      ? "102 aborted"
              : outcome == Outcome::kUnknown ? "98 unknown"
                                             : "3 get";
  return Recorded<ListAppendOp>{static_cast<int>(at % 3) + 1, at,
                                outcome == Outcome::kUnknown ? kNever : at + 1, outcome, op};
}

Recorded<ListAppendOp> final_read(std::int64_t at, std::vector<ListMicroOp> reads) {
  auto entry = txn(at, std::move(reads));
  entry.process = 1000;
  entry.op.final_read = true;
  return entry;
}

bool mentions(const ListAppendCheckResult& result, const std::string& text) {
  for (const auto& v : result.violations) {
    if (v.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string all(const ListAppendCheckResult& result) {
  std::string text;
  for (const auto& v : result.violations) text += v + "\n";
  return text;
}

TEST(ListAppendChecker, ParsesLists) {
  EXPECT_EQ(parse_list(""), std::vector<std::string>{});
  EXPECT_EQ(parse_list("a"), std::vector<std::string>{"a"});
  EXPECT_EQ(parse_list("a,b,c"), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(ListAppendChecker, ASerialHistoryPasses) {
  const auto result = check_list_append({
      txn(0, {append("x", "1")}),
      txn(2, {append("x", "2"), read("y", "")}),
      txn(4, {read("x", "1,2"), append("y", "3")}),
      txn(6, {append("x", "4")}, Outcome::kFail),  // aborted: nowhere to be seen
      final_read(10, {read("x", "1,2"), read("y", "3")}),
  });
  EXPECT_TRUE(result.ok) << all(result);
  EXPECT_EQ(result.committed, 4);
  EXPECT_EQ(result.longest, 2u);
  EXPECT_TRUE(result.unchecked.empty());
  EXPECT_GT(result.graph_edges, 0);
}

TEST(ListAppendChecker, UnknownTransactionsMayHaveCommittedOrNot) {
  const auto result = check_list_append({
      txn(0, {append("x", "1")}, Outcome::kUnknown),  // seen: it committed
      txn(2, {append("x", "2")}, Outcome::kUnknown),  // never seen: it did not
      txn(4, {read("x", "1")}),
      final_read(10, {read("x", "1")}),
  });
  EXPECT_TRUE(result.ok) << all(result);
  EXPECT_EQ(result.unknown_observed, 1);
}

TEST(ListAppendChecker, ALostUpdateIsCaught) {
  // Both appends read [] and wrote their own list: the first one is gone.
  const auto result = check_list_append({
      txn(0, {append("x", "1")}),
      txn(0, {append("x", "2")}),
      final_read(10, {read("x", "2")}),
  });
  ASSERT_FALSE(result.ok);
  EXPECT_TRUE(mentions(result, "lost append: committed, 1 is not in the final x")) << all(result);
}

TEST(ListAppendChecker, AnElementReadThenGoneIsLost) {
  const auto result = check_list_append({
      txn(0, {append("x", "1")}, Outcome::kUnknown),
      txn(2, {read("x", "1")}),
      final_read(10, {read("x", "")}),
  });
  ASSERT_FALSE(result.ok);
  EXPECT_TRUE(mentions(result, "lost append: 1 was read in x")) << all(result);
}

TEST(ListAppendChecker, AnUnknownTransactionSeenToCommitMustHaveCommittedWhole) {
  // Its append to x was read, so it committed: its append to y must be there too.
  const auto result = check_list_append({
      txn(0, {append("x", "1"), append("y", "2")}, Outcome::kUnknown),
      txn(2, {read("x", "1")}),
      final_read(10, {read("x", "1"), read("y", "")}),
  });
  ASSERT_FALSE(result.ok);
  EXPECT_TRUE(mentions(result, "lost append: seen to commit, 2 is not in the final y")) << all(result);
}

TEST(ListAppendChecker, AStaleReadAfterACommitWasAnsweredBreaksRealTime) {
  // Serializable (the read could come first), but it began after the
  // append's commit was answered and did not see it.
  const auto result = check_list_append({
      txn(0, {append("x", "1")}),
      txn(5, {read("x", "")}),
      final_read(10, {read("x", "1")}),
  });
  ASSERT_FALSE(result.ok);
  EXPECT_TRUE(mentions(result, "realtime cycle: not strictly serializable")) << all(result);
  EXPECT_TRUE(mentions(result, "G-single-realtime")) << all(result);
  EXPECT_FALSE(mentions(result, "cycle: not serializable")) << all(result);
  // Concurrent with the append, the same read is fine.
  EXPECT_TRUE(check_list_append(
                  {txn(0, {append("x", "1")}), txn(0, {read("x", "")}), final_read(10, {read("x", "1")})})
                  .ok);
}

TEST(ListAppendChecker, AWriteSkewIsAG2Cycle) {
  // Each read the other's key before the other's append, and both committed.
  const auto result = check_list_append({
      txn(0, {read("x", ""), append("y", "1")}),
      txn(0, {read("y", ""), append("x", "2")}),
      final_read(10, {read("x", "2"), read("y", "1")}),
  });
  ASSERT_FALSE(result.ok);
  EXPECT_TRUE(mentions(result, "G2 cycle of 2 transactions")) << all(result);
  EXPECT_TRUE(mentions(result, "-rw on x->")) << all(result);
  EXPECT_TRUE(mentions(result, "-rw on y->")) << all(result);
}

TEST(ListAppendChecker, AReadSkewIsAGSingleCycle) {
  // One transaction appends to x and y; another sees its y but not its x.
  const auto result = check_list_append({
      txn(0, {append("x", "1"), append("y", "2")}),
      txn(2, {read("x", ""), read("y", "2")}),
      final_read(10, {read("x", "1"), read("y", "2")}),
  });
  ASSERT_FALSE(result.ok);
  EXPECT_TRUE(mentions(result, "G-single cycle")) << all(result);
}

TEST(ListAppendChecker, CircularInformationFlowIsAG1cCycle) {
  const auto result = check_list_append({
      txn(0, {append("x", "1"), read("y", "2")}),
      txn(0, {append("y", "2"), read("x", "1")}),
      final_read(10, {read("x", "1"), read("y", "2")}),
  });
  ASSERT_FALSE(result.ok);
  EXPECT_TRUE(mentions(result, "G1c cycle")) << all(result);
}

TEST(ListAppendChecker, AReadOfAnAbortedAppendIsCaught) {
  const auto result = check_list_append({
      txn(0, {append("x", "1")}, Outcome::kFail),
      txn(2, {read("x", "1")}),
  });
  ASSERT_FALSE(result.ok);
  EXPECT_TRUE(mentions(result, "aborted read (G1a)")) << all(result);
}

TEST(ListAppendChecker, AnAbortedAppendInTheFinalListIsCaught) {
  const auto result = check_list_append({
      txn(0, {append("x", "1")}),
      txn(2, {append("x", "2")}, Outcome::kFail),
      final_read(10, {read("x", "1,2")}),
  });
  EXPECT_TRUE(mentions(result, "aborted read (G1a)")) << all(result);
}

TEST(ListAppendChecker, AReadThatIsNotAPrefixOfTheLongestIsCaught) {
  const auto result = check_list_append({
      txn(0, {append("x", "1")}),
      txn(0, {append("x", "2")}),
      txn(2, {read("x", "1,2")}),
      txn(4, {read("x", "2")}),
  });
  ASSERT_FALSE(result.ok);
  EXPECT_TRUE(mentions(result, "incompatible orders")) << all(result);
}

TEST(ListAppendChecker, DuplicatesAndInventedElementsAreCaught) {
  const auto twice = check_list_append({txn(0, {append("x", "1")}), txn(2, {read("x", "1,1")})});
  EXPECT_TRUE(mentions(twice, "duplicate element")) << all(twice);
  const auto invented = check_list_append({txn(0, {append("x", "1")}), txn(2, {read("x", "1,7")})});
  EXPECT_TRUE(mentions(invented, "element nobody appended")) << all(invented);
  const auto elsewhere = check_list_append({txn(0, {append("y", "1")}), txn(2, {read("x", "1")})});
  EXPECT_TRUE(mentions(elsewhere, "element of another key")) << all(elsewhere);
}

TEST(ListAppendChecker, KeysWithoutAFinalReadAreListedAsUnchecked) {
  const auto result = check_list_append({txn(0, {append("x", "1")}), final_read(10, {read("y", "")})});
  EXPECT_TRUE(result.ok) << all(result);
  EXPECT_EQ(result.unchecked, std::vector<std::string>{"x"});
}

TEST(ListAppendChecker, ALongerCycleThroughManyTransactionsIsFound) {
  // T0 → T1 → T2 → T0 through ww and wr on three keys, among bystanders.
  const auto result = check_list_append({
      txn(0, {append("a", "a1"), read("c", "c1")}),
      txn(1, {read("a", "a1"), append("b", "b1")}),
      txn(2, {read("b", "b1"), append("c", "c1")}),
      txn(3, {append("d", "d1")}),
      txn(4, {read("d", "d1")}),
      final_read(10, {read("a", "a1"), read("b", "b1"), read("c", "c1"), read("d", "d1")}),
  });
  ASSERT_FALSE(result.ok);
  EXPECT_TRUE(mentions(result, "G1c cycle of 3 transactions")) << all(result);
}

}  // namespace
}  // namespace kahuna::faults
