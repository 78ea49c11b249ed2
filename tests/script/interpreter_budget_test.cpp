// The run's budget (run_budget.h, InterpreterLimits): bytes of values made
// and steps including the bytes read, each a clear error that ends the run
// quickly; copies share their bytes and cost nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "script/run_budget.h"
#include "script/script_error.h"
#include "script_test_support.h"

namespace kahuna::script {
namespace {

using testing::FakeScriptHost;
using testing::returned_text;
using testing::run_text;

constexpr std::size_t kMiB = std::size_t{1} << 20;

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// Script lines that leave in `name` a string of 16 * 2^doublings bytes ('x').
std::string doubled(std::string_view name, int doublings) {
  const std::string n(name);
  return "LET " + n + " = 'xxxxxxxxxxxxxxxx'\nFOR i IN 1.." + std::to_string(doublings) + " DO LET " + n +
         " = " + n + " + " + n + " END\n";
}

InterpreterLimits with_value_bytes(std::size_t bytes) {
  InterpreterLimits limits;
  limits.max_value_bytes = bytes;
  return limits;
}

InterpreterLimits with_steps(std::int64_t steps) {
  InterpreterLimits limits;
  limits.max_steps = steps;
  return limits;
}

TEST(ScriptBudget, TerabyteOfSharedStringsEndsWithTheMemoryLimit) {
  // An array of 65,536 references to one 16 MiB string is cheap to hold now
  // that copies share, but making it does not fit in 48 MiB: nearly 32 for
  // the doublings, 16 for split()'s copy, 5 for the arrays.
  const auto start = std::chrono::steady_clock::now();
  FakeScriptHost host;
  auto result = run_text(
      "LET s = 'aaaaaaaaaaaaaaaa'\n"
      "FOR i IN 1..20 DO LET s = s + s END\n"
      "LET a = split(s, '#')\n"
      "FOR i IN 1..16 DO LET a = concat(a, a) END\n"
      "RETURN len(a)",
      host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_TRUE(contains(result.reason, "script exceeded the limit of 50331648 bytes of values at line "))
      << result.reason;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ScriptBudget, DoublingAStringEndsWithTheMemoryLimit) {
  FakeScriptHost host;
  auto result = run_text("LET s = 'xxxxxxxxxxxxxxxx'\nFOR i IN 1..40 DO\nLET s = s + s\nEND", host, {},
                         with_value_bytes(kMiB));
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_EQ(result.reason, "script exceeded the limit of 1048576 bytes of values at line 3");
  // With the default budget two strings doubling run out of it before
  // either reaches the 16 MiB string limit.
  auto two = run_text(
      "LET s = 'xxxxxxxxxxxxxxxx'\nLET t = s\nFOR i IN 1..40 DO\nLET s = s + s\nLET t = t + t\nEND", host);
  EXPECT_EQ(two.code, ScriptCode::kErrored);
  EXPECT_TRUE(contains(two.reason, "script exceeded the limit of 50331648 bytes of values at line "))
      << two.reason;
}

TEST(ScriptBudget, CopiesDoNotSpendTheBudget) {
  // 20,000 copies of an 8 MiB string: 160 GB if each copied its bytes.
  FakeScriptHost host;
  auto result = run_text(doubled("s", 19) +
                             "FOR i IN 1..10000 DO LET b = s LET c = b END\n"
                             "FOR x IN split(s, '#') DO LET d = x END\n"
                             "RETURN len(c) + len(d)",
                         host);
  EXPECT_EQ(result.code, ScriptCode::kGet) << result.reason;
  EXPECT_EQ(returned_text(result), std::to_string(2 * 8 * kMiB));
}

TEST(ScriptBudget, TheLargestStringCanBeBuilt) {
  // Doubling to 16 MiB spends nearly 32 MiB of the default 48.
  FakeScriptHost host;
  auto result = run_text(
      doubled("s", 20) + "RETURN concat(len(s), substring(s, 0, 3), upper(substring(s, 0, 3)))", host);
  EXPECT_EQ(returned_text(result), "16777216xxxXXX") << result.reason;
}

TEST(ScriptBudget, ParametersAreMadeOnce) {
  FakeScriptHost host;
  auto result = run_text("FOR i IN 1..1000 DO LET x = @big END RETURN len(x)", host,
                         {{"@big", std::string(kMiB, 'p')}}, with_value_bytes(2 * kMiB));
  EXPECT_EQ(returned_text(result), std::to_string(kMiB)) << result.reason;
}

TEST(ScriptBudget, ReadingBigStringsCountsAsSteps) {
  // Comparing two distinct 1 MiB strings reads 1 MiB: 1,024 steps. The same
  // string shared by two variables is equal without being read.
  FakeScriptHost host;
  const std::string setup = doubled("s", 16) + "LET t = s + ''\nLET u = s\n";
  auto shared = run_text(setup + "FOR i IN 1..1000 DO IF s == u THEN LET n = i END END RETURN n", host, {},
                         with_steps(10'000));
  EXPECT_EQ(returned_text(shared), "1000") << shared.reason;
  auto distinct = run_text(setup + "FOR i IN 1..1000 DO\nIF s == t THEN LET n = i END END RETURN n", host, {},
                           with_steps(10'000));
  EXPECT_EQ(distinct.code, ScriptCode::kErrored);
  EXPECT_EQ(distinct.reason, "script exceeded the limit of 10000 steps at line 6");
  auto search =
      run_text(setup + "FOR i IN 1..1000 DO\nLET at = index_of(s, 'y') END", host, {}, with_steps(10'000));
  EXPECT_EQ(search.reason, "script exceeded the limit of 10000 steps at line 6");
}

TEST(ScriptBudget, SettingABigStringInALoopEndsWithTheMemoryLimit) {
  // What SET hands the host is made for it: 1 MiB each time.
  FakeScriptHost host;
  auto result = run_text(doubled("s", 16) + "FOR i IN 1..100000 DO\nSET k s\nEND", host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_EQ(result.reason, "script exceeded the limit of 50331648 bytes of values at line 4");
  EXPECT_EQ(host.log.back(), "rollback");
}

TEST(ScriptBudget, AReplyTooBigToAnswerRollsBack) {
  // 64 rows of one shared 1 MiB string: 64 MiB to answer.
  FakeScriptHost host;
  auto result = run_text(doubled("s", 16) +
                             "SET k 'v'\n"
                             "LET a = split(s, '#')\n"
                             "FOR i IN 1..6 DO LET a = concat(a, a) END\n"
                             "RETURN a",
                         host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_EQ(result.reason, "script exceeded the limit of 50331648 bytes of values at line 6");
  EXPECT_TRUE(result.values.empty());
  EXPECT_EQ(host.log, (std::vector<std::string>{"begin", "set k", "rollback"}));
}

TEST(ScriptBudget, ChargesOnlyInsideARun) {
  RunBudget budget(3, 100);
  charge_value(1000);  // no run: free
  {
    const RunBudget::Scope scope(budget);
    charge_value(100);
    EXPECT_THROW(charge_value(1), ValueError);
    charge_work(2 * kWorkBytesPerStep);
    budget.step();
    EXPECT_THROW(budget.step(), ValueError);
  }
  charge_value(1000);
  charge_work(1'000'000);
}

}  // namespace
}  // namespace kahuna::script
