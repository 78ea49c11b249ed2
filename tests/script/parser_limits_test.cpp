// The limits of TRANSACTIONS.md §4 — 64 KiB of text, AST depth 256, loop
// ranges of at most 100,000 elements — plus the interpreter's step and
// string budgets: each a clear error, never a crash.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "script/parser.h"
#include "script_test_support.h"

namespace kahuna::script {
namespace {

using testing::FakeScriptHost;
using testing::parse_error;
using testing::parse_ok;
using testing::returned_text;
using testing::run_text;

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

std::string repeat(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(ScriptLimits, TextOfAtMost64KiB) {
  std::string at_limit = "RETURN 1 --";
  at_limit += std::string(kMaxScriptBytes - at_limit.size(), 'x');
  ASSERT_EQ(at_limit.size(), 65536u);
  EXPECT_TRUE(parse_ok(at_limit));
  std::string over = at_limit + "x";
  EXPECT_EQ(parse_error(over), "script of 65537 bytes exceeds the limit of 65536 bytes at line 1");
}

TEST(ScriptLimits, HundredThousandNestedParenthesesAreAnError) {
  const std::string text = "RETURN " + std::string(100'000, '(') + "1" + std::string(100'000, ')');
  // Over 64 KiB: refused by size first. The same nesting within the size limit:
  EXPECT_TRUE(contains(parse_error(text), "exceeds the limit of 65536 bytes"));
  const std::string deep = "RETURN " + std::string(30'000, '(') + "1" + std::string(30'000, ')');
  EXPECT_EQ(parse_error(deep), "script is nested deeper than the limit of 256 levels at line 1");
  // And the parser itself copes with 100,000 levels (no size check in the way).
  ParseOutput output = parse_program(text, SIZE_MAX);
  ASSERT_TRUE(output.error);
  EXPECT_EQ(output.error->reason(), "script is nested deeper than the limit of 256 levels at line 1");
  EXPECT_TRUE(output.program.empty());
}

TEST(ScriptLimits, NestingWithinTheLimitParses) {
  const std::string text = "RETURN " + std::string(200, '(') + "1" + std::string(200, ')');
  FakeScriptHost host;
  EXPECT_EQ(returned_text(run_text(text, host)), "1");
}

TEST(ScriptLimits, DeepUnaryOperatorsAreAnError) {
  EXPECT_TRUE(
      contains(parse_error("RETURN " + repeat("!", 50'000) + "true"), "nested deeper than the limit"));
  EXPECT_TRUE(contains(parse_error("RETURN " + repeat("- ", 20'000) + "1"), "nested deeper than the limit"));
  EXPECT_TRUE(
      contains(parse_error("RETURN " + repeat("not ", 10'000) + "true"), "nested deeper than the limit"));
}

TEST(ScriptLimits, LongOperatorChainsCountAsDepth) {
  // A left-deep chain is as deep as it is long: evaluating it recurses.
  EXPECT_TRUE(contains(parse_error("RETURN 1" + repeat(" + 1", 10'000)), "nested deeper than the limit"));
  FakeScriptHost host;
  EXPECT_EQ(returned_text(run_text("RETURN 1" + repeat(" + 1", 200), host)), "201");
}

TEST(ScriptLimits, DeepBlocksAndCallsAreAnError) {
  EXPECT_TRUE(contains(parse_error(repeat("IF true THEN ", 3'000) + "RETURN 1" + repeat(" END", 3'000)),
                       "nested deeper than the limit"));
  EXPECT_TRUE(contains(parse_error("RETURN " + repeat("abs(", 5'000) + "1" + repeat(")", 5'000)),
                       "nested deeper than the limit"));
  EXPECT_TRUE(contains(parse_error("RETURN x" + repeat("[0]", 5'000)), "nested deeper than the limit"));
  FakeScriptHost host;
  EXPECT_EQ(returned_text(run_text(repeat("IF true THEN ", 100) + "RETURN 1" + repeat(" END", 100), host)),
            "1");
}

TEST(ScriptLimits, RangesOfAtMostHundredThousandElements) {
  FakeScriptHost host;
  auto ok = run_text("LET total = 0 FOR i IN 1..100000 DO LET total = total + i END RETURN total", host);
  EXPECT_EQ(returned_text(ok), "5000050000");
  auto too_long = run_text("LET n = 0\nFOR i IN 0..100000 DO LET n = n + 1 END", host);
  EXPECT_EQ(too_long.code, ScriptCode::kErrored);
  EXPECT_EQ(too_long.reason, "range 0..100000 has more than 100000 elements at line 2");
  auto huge = run_text("RETURN count(-9223372036854775807..9223372036854775807)", host);
  EXPECT_EQ(huge.code, ScriptCode::kErrored);
  EXPECT_TRUE(contains(huge.reason, "has more than 100000 elements"));
}

TEST(ScriptLimits, StepBudgetStopsRunawayLoops) {
  FakeScriptHost host;
  auto result = run_text("FOR i IN 1..100000 DO\nFOR j IN 1..100000 DO LET x = j END END", host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_TRUE(contains(result.reason, "exceeded the limit of 1000000 steps")) << result.reason;
  auto small = run_text("FOR i IN 1..10 DO LET x = i END", host, {}, InterpreterLimits{5});
  EXPECT_EQ(small.code, ScriptCode::kErrored);
  EXPECT_EQ(small.reason, "script exceeded the limit of 5 steps at line 1");
}

TEST(ScriptLimits, StringGrowthIsBounded) {
  FakeScriptHost host;
  auto result = run_text("LET s = 'xxxxxxxxxxxxxxxx'\nFOR i IN 1..40 DO\nLET s = concat(s, s)\nEND", host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_TRUE(contains(result.reason, "exceed")) << result.reason;
  EXPECT_TRUE(contains(result.reason, "at line 3")) << result.reason;
  auto plus = run_text("LET s = 'xxxxxxxxxxxxxxxx'\nFOR i IN 1..40 DO LET s = s + s END", host);
  EXPECT_EQ(plus.code, ScriptCode::kErrored);
}

}  // namespace
}  // namespace kahuna::script
