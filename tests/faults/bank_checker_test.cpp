// The bank checker on hand-made histories: reads that keep the total pass;
// a wrong sum, a negative account, a missing account are caught, whatever
// the transfers around them.
#include <gtest/gtest.h>

#include "bank_checker.h"

namespace kahuna::faults {
namespace {

constexpr std::size_t kAccounts = 3;
constexpr std::int64_t kTotal = 30;

Recorded<BankOp> read_all(std::int64_t at, const std::string& returned, Outcome outcome = Outcome::kOk,
                          bool final_read = false) {
  BankOp op;
  op.kind = BankOp::Kind::kReadAll;
  op.returned = returned;
  op.balances = parse_balances(returned);
  op.final_read = final_read;
  return Recorded<BankOp>{1, at, outcome == Outcome::kUnknown ? kNever : at + 1, outcome, op};
}

Recorded<BankOp> transfer(std::int64_t at, std::int64_t amount, Outcome outcome = Outcome::kOk,
                          bool moved = true) {
  BankOp op;
  op.kind = BankOp::Kind::kTransfer;
  op.from = "a0/b";
  op.to = "a1/b";
  op.amount = amount;
  op.moved = moved;
  op.answer = outcome == Outcome::kOk ? "3 get" : "98 unknown";
  return Recorded<BankOp>{2, at, outcome == Outcome::kUnknown ? kNever : at + 1, outcome, op};
}

TEST(BankChecker, ParsesBalances) {
  EXPECT_EQ(parse_balances("10;0;20"), (std::vector<std::optional<std::int64_t>>{10, 0, 20}));
  EXPECT_EQ(parse_balances("10;;x"),
            (std::vector<std::optional<std::int64_t>>{10, std::nullopt, std::nullopt}));
  EXPECT_EQ(parse_balances("-4"), (std::vector<std::optional<std::int64_t>>{-4}));
}

TEST(BankChecker, ReadsThatKeepTheTotalPass) {
  const auto result =
      check_bank({read_all(0, "10;10;10"), transfer(2, 5), read_all(4, "5;15;10"),
                  transfer(6, 3, Outcome::kUnknown), read_all(8, "2;18;10"),
                  transfer(10, 40, Outcome::kOk, false), read_all(12, "2;18;10", Outcome::kOk, true)},
                 kAccounts, kTotal);
  EXPECT_TRUE(result.ok) << result.violations.front();
  EXPECT_EQ(result.reads, 4);
  EXPECT_EQ(result.transfers, 2);
  EXPECT_EQ(result.moved, 1);
  EXPECT_TRUE(result.final_read);
}

TEST(BankChecker, AReadWithAWrongSumIsCaught) {
  // Half of a transfer seen: the money left a0 but has not reached a1.
  const auto result =
      check_bank({read_all(0, "10;10;10"), transfer(2, 5), read_all(4, "5;10;10")}, kAccounts, kTotal);
  ASSERT_FALSE(result.ok);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_NE(result.violations[0].find("sum to 25, not 30"), std::string::npos) << result.violations[0];
  // The window shows the last good read and the transfer in between.
  EXPECT_NE(result.violations[0].find("last good read before it"), std::string::npos) << result.violations[0];
  EXPECT_NE(result.violations[0].find("transfer 5 a0/b -> a1/b"), std::string::npos) << result.violations[0];
}

TEST(BankChecker, AWrongFinalReadIsCaught) {
  EXPECT_FALSE(
      check_bank({read_all(0, "10;10;10"), read_all(9, "10;10;11", Outcome::kOk, true)}, kAccounts, kTotal)
          .ok);
}

TEST(BankChecker, ANegativeAccountIsCaughtEvenWhenTheSumHolds) {
  const auto result = check_bank({read_all(0, "-5;25;10")}, kAccounts, kTotal);
  ASSERT_FALSE(result.ok);
  EXPECT_NE(result.violations[0].find("negative"), std::string::npos);
}

TEST(BankChecker, AMissingOrUnreadableAccountIsCaught) {
  EXPECT_FALSE(check_bank({read_all(0, "10;20")}, kAccounts, kTotal).ok);
  EXPECT_FALSE(check_bank({read_all(0, "10;;20")}, kAccounts, kTotal).ok);
  EXPECT_FALSE(check_bank({read_all(0, "10;x;20")}, kAccounts, kTotal).ok);
}

TEST(BankChecker, ReadsThatDidNotCommitProveNothing) {
  // A read that was aborted or whose answer never came says nothing.
  const auto result = check_bank(
      {read_all(0, "1;2;3", Outcome::kFail), read_all(2, "1;2;3", Outcome::kUnknown)}, kAccounts, kTotal);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.reads, 0);
  EXPECT_FALSE(result.final_read);
}

}  // namespace
}  // namespace kahuna::faults
