// The interpreter against an in-memory host: the examples of
// TRANSACTIONS.md §4, every statement's outcome code, guards, values,
// errors with their lines, and how host failures end a script.
#include <gtest/gtest.h>

#include "script_test_support.h"

namespace kahuna::script {
namespace {

using testing::FakeScriptHost;
using testing::returned_text;
using testing::run_text;

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

const char* const kElection =
    "let cur = get `election/leader`\n"
    "if rev(cur) == 0 then set `election/leader` \"node-A\" else throw \"election failed\" end";

const char* const kStock =
    "let stock = to_int(get @item)\n"
    "if stock >= to_int(@n) then set @item stock - to_int(@n) return 1 else return 0 end";

const char* const kLeader = "SET leader 'node-A' NX\nIF NOT SET THEN THROW 'taken' END";

// ---- The examples of §4 ----

TEST(ScriptExamples, SetWithAParameter) {
  FakeScriptHost host;
  auto result = run_text("SET `k` @value", host, {{"@value", "hello"}});
  EXPECT_EQ(result.code, ScriptCode::kSet);
  EXPECT_TRUE(result.reason.empty());
  ASSERT_EQ(result.values.size(), 1u);
  EXPECT_EQ(result.values[0].key, "k");
  EXPECT_EQ(result.values[0].revision, 0);
  EXPECT_EQ(host.value_of("k"), "hello");
  EXPECT_EQ(host.log, (std::vector<std::string>{"set k"}));  // one command: no transaction
}

TEST(ScriptExamples, Get) {
  FakeScriptHost host;
  host.put("k", "hello");
  host.put("k", "world");
  auto result = run_text("GET `k`", host);
  EXPECT_EQ(result.code, ScriptCode::kGet);
  ASSERT_EQ(result.values.size(), 1u);
  EXPECT_EQ(result.values[0].key, "k");
  EXPECT_EQ(result.values[0].value, "world");
  EXPECT_EQ(result.values[0].revision, 1);
  EXPECT_FALSE(result.values[0].last_modified.is_zero());
}

TEST(ScriptExamples, OptimisticBeginCommit) {
  FakeScriptHost host;
  auto result = run_text("BEGIN (locking=\"optimistic\") SET @key @value COMMIT END", host,
                         {{"@key", "a"}, {"@value", "1"}});
  EXPECT_EQ(result.code, ScriptCode::kSet) << result.reason;
  EXPECT_EQ(host.log, (std::vector<std::string>{"begin", "set a", "commit"}));
  ASSERT_EQ(host.begun.size(), 1u);
  EXPECT_EQ(host.begun[0].locking, LockingMode::kOptimistic);
  EXPECT_EQ(host.value_of("a"), "1");
}

TEST(ScriptExamples, RollbackAnswers102) {
  FakeScriptHost host;
  auto result = run_text("BEGIN SET pp 'x' ROLLBACK END", host);
  EXPECT_EQ(result.code, ScriptCode::kAborted);
  EXPECT_EQ(result.reason, "transaction rolled back by ROLLBACK at line 1");
  EXPECT_EQ(host.value_of("pp"), std::nullopt);
  EXPECT_EQ(host.log, (std::vector<std::string>{"begin", "set pp", "rollback"}));
}

TEST(ScriptExamples, ElectionWinsAnEmptySeat) {
  FakeScriptHost host;
  auto result = run_text(kElection, host);
  EXPECT_EQ(result.code, ScriptCode::kSet) << result.reason;
  EXPECT_EQ(host.value_of("election/leader"), "node-A");
  EXPECT_EQ(host.log,
            (std::vector<std::string>{"begin", "get election/leader", "set election/leader", "commit"}));
}

TEST(ScriptExamples, ElectionFailsOnATakenSeat) {
  FakeScriptHost host;
  host.put("election/leader", "node-B");
  host.put("election/leader", "node-B");  // revision 1
  auto result = run_text(kElection, host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_EQ(result.reason, "election failed at line 2");
  EXPECT_EQ(host.value_of("election/leader"), "node-B");
  EXPECT_EQ(host.log.back(), "rollback");
}

TEST(ScriptExamples, StockDecrementsWhenThereIsEnough) {
  FakeScriptHost host;
  host.put("sku-1", "10");
  auto result = run_text(kStock, host, {{"@item", "sku-1"}, {"@n", "3"}});
  EXPECT_EQ(result.code, ScriptCode::kGet) << result.reason;
  EXPECT_EQ(returned_text(result), "1");
  EXPECT_EQ(host.value_of("sku-1"), "7");
  EXPECT_EQ(host.log.back(), "commit");
}

TEST(ScriptExamples, StockRefusesWhenThereIsNotEnough) {
  FakeScriptHost host;
  host.put("sku-1", "2");
  auto result = run_text(kStock, host, {{"@item", "sku-1"}, {"@n", "3"}});
  EXPECT_EQ(result.code, ScriptCode::kGet);
  EXPECT_EQ(returned_text(result), "0");
  EXPECT_EQ(host.value_of("sku-1"), "2");
}

TEST(ScriptExamples, StockOfAMissingItemIsAnError) {
  FakeScriptHost host;
  auto result = run_text(kStock, host, {{"@item", "sku-9"}, {"@n", "3"}});
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_EQ(result.reason, "to_int() expects a number, bool or string, got null at line 1");
}

TEST(ScriptExamples, LeaderTakenThrows) {
  FakeScriptHost host;
  host.put("leader", "node-B");
  auto result = run_text(kLeader, host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_EQ(result.reason, "taken at line 2");
  EXPECT_EQ(host.value_of("leader"), "node-B");
}

TEST(ScriptExamples, LeaderFreeIsSet) {
  FakeScriptHost host;
  auto result = run_text(kLeader, host);
  EXPECT_EQ(result.code, ScriptCode::kSet) << result.reason;
  EXPECT_EQ(host.value_of("leader"), "node-A");
}

// ---- Outcome codes of every statement ----

TEST(ScriptOutcomes, CodesOfEachStatement) {
  FakeScriptHost host;
  host.put("k", "v");
  EXPECT_EQ(run_text("SET k 'w'", host).code, ScriptCode::kSet);
  EXPECT_EQ(run_text("SET k 'w' NX", host).code, ScriptCode::kNotSet);
  EXPECT_EQ(run_text("GET k", host).code, ScriptCode::kGet);
  EXPECT_EQ(run_text("GET nothing", host).code, ScriptCode::kDoesNotExist);
  EXPECT_EQ(run_text("EXISTS k", host).code, ScriptCode::kExists);
  EXPECT_EQ(run_text("EXISTS nothing", host).code, ScriptCode::kDoesNotExist);
  EXPECT_EQ(run_text("EXTEND k 1000", host).code, ScriptCode::kExtended);
  EXPECT_EQ(run_text("EXTEND nothing 1000", host).code, ScriptCode::kDoesNotExist);
  EXPECT_EQ(run_text("DELETE k", host).code, ScriptCode::kDeleted);
  EXPECT_EQ(run_text("DEL k", host).code, ScriptCode::kDoesNotExist);
  EXPECT_EQ(run_text("GET BY BUCKET k", host).code, ScriptCode::kGet);
  EXPECT_EQ(run_text("SCAN BY PREFIX k", host).code, ScriptCode::kGet);
}

TEST(ScriptOutcomes, TheLastAccessDecides) {
  FakeScriptHost host;
  auto result = run_text("SET a 1\nGET b", host);
  EXPECT_EQ(result.code, ScriptCode::kDoesNotExist);
  ASSERT_EQ(result.values.size(), 1u);
  EXPECT_EQ(result.values[0].key, "b");
  EXPECT_EQ(result.values[0].value, std::nullopt);
  // A script that accesses nothing answers 0 with no rows.
  auto nothing = run_text("LET x = 1", host);
  EXPECT_EQ(nothing.code, ScriptCode::kSet);
  EXPECT_TRUE(nothing.values.empty());
  // A bare RETURN stops with the last access's outcome.
  auto bare = run_text("GET a\nRETURN\nSET a 2", host);
  EXPECT_EQ(bare.code, ScriptCode::kGet);
  EXPECT_EQ(bare.values[0].value, "1");
  EXPECT_EQ(host.value_of("a"), "1");
}

TEST(ScriptOutcomes, SetOptions) {
  FakeScriptHost host;
  EXPECT_EQ(run_text("SET k 'v' XX", host).code, ScriptCode::kNotSet);
  EXPECT_EQ(run_text("SET k 'v' NX", host).code, ScriptCode::kSet);
  EXPECT_EQ(run_text("SET k 'w' CMP 'nope'", host).code, ScriptCode::kNotSet);
  EXPECT_EQ(run_text("SET k 'w' CMP 'v'", host).code, ScriptCode::kSet);
  EXPECT_EQ(run_text("SET k 'x' CMPREV 0", host).code, ScriptCode::kNotSet);
  EXPECT_EQ(run_text("SET k 'x' CMPREV 1", host).code, ScriptCode::kSet);
  EXPECT_EQ(host.value_of("k"), "x");
  EXPECT_EQ(run_text("SET t 'v' EX 50", host).code, ScriptCode::kSet);
  EXPECT_EQ(host.value_of("t"), "v");
  host.clock_ms += 51;
  EXPECT_EQ(host.value_of("t"), std::nullopt);
  // SET of a null stores "no value"; numbers are stored as text.
  run_text("SET n null", host);
  EXPECT_EQ(host.value_of("n"), "<null>");
  run_text("SET i 6 * 7", host);
  EXPECT_EQ(host.value_of("i"), "42");
  EXPECT_EQ(run_text("SET k 'v' EX -1", host).reason, "EX expects an int >= 0, got -1 at line 1");
  EXPECT_EQ(run_text("SET k 'v' CMPREV 'a'", host).reason, "CMPREV expects an int, got string at line 1");
  EXPECT_EQ(run_text("EXTEND k 0", host).reason, "EXTEND expects an int >= 1, got 0 at line 1");
}

TEST(ScriptOutcomes, ReadsAtARevisionOrATime) {
  FakeScriptHost host;
  host.put("k", "v0");
  host.clock_ms += 100;
  host.put("k", "v1");
  EXPECT_EQ(returned_text(run_text("RETURN GET k AT 0", host)), "v0");
  EXPECT_EQ(returned_text(run_text("RETURN GET k", host)), "v1");
  EXPECT_EQ(returned_text(run_text("RETURN GET k AS OF " + std::to_string(host.clock_ms - 50), host)), "v0");
  EXPECT_EQ(run_text("GET k AT 7", host).code, ScriptCode::kDoesNotExist);
  EXPECT_EQ(run_text("GET k AT -1", host).reason, "AT expects an int >= 0, got -1 at line 1");
}

TEST(ScriptOutcomes, EphemeralKeysAreSeparate) {
  FakeScriptHost host;
  auto result = run_text("ESET k 'e' SET k 'p' RETURN concat(EGET k, GET k)", host);
  EXPECT_EQ(returned_text(result), "ep");
  EXPECT_EQ(host.value_of("k", Durability::kEphemeral), "e");
  EXPECT_EQ(run_text("EEXISTS k", host).code, ScriptCode::kExists);
  EXPECT_EQ(run_text("EEXTEND k 100", host).code, ScriptCode::kExtended);
  EXPECT_EQ(run_text("EDELETE k", host).code, ScriptCode::kDeleted);
  EXPECT_EQ(host.value_of("k"), "p");
}

TEST(ScriptOutcomes, BucketsAndScansAreArraysWithTheirKeys) {
  FakeScriptHost host;
  host.put("users/1", "ann");
  host.put("users/2", "bob");
  host.put("users/2", "bob2");
  host.put("other", "x");
  auto rows = run_text("GET BY BUCKET `users/`", host);
  ASSERT_EQ(rows.values.size(), 2u);
  EXPECT_EQ(rows.values[1].key, "users/2");
  EXPECT_EQ(rows.values[1].value, "bob2");
  EXPECT_EQ(rows.values[1].revision, 1);

  auto loop = run_text(
      "LET names = ''\n"
      "FOR u IN GET BY BUCKET `users/` DO LET names = concat(names, u, '@', rev(u), ';') END\n"
      "RETURN names",
      host);
  EXPECT_EQ(returned_text(loop), "ann@0;bob2@1;");
  auto returned = run_text("LET all = SCAN BY PREFIX 'users/' RETURN all", host);
  EXPECT_EQ(returned.code, ScriptCode::kGet);
  ASSERT_EQ(returned.values.size(), 2u);
  EXPECT_EQ(returned.values[0].key, "users/1");
  EXPECT_EQ(returned.values[0].value, "ann");
}

TEST(ScriptOutcomes, ReturnedValues) {
  FakeScriptHost host;
  host.put("k", "v");
  auto read = run_text("LET x = GET k RETURN x", host);
  ASSERT_EQ(read.values.size(), 1u);
  EXPECT_EQ(read.values[0].key, "k");
  EXPECT_EQ(read.values[0].value, "v");
  auto array = run_text("RETURN 1..3", host);
  ASSERT_EQ(array.values.size(), 3u);
  EXPECT_EQ(array.values[2].value, "3");
  EXPECT_EQ(array.values[2].key, "");
  auto null = run_text("RETURN null", host);
  EXPECT_EQ(null.code, ScriptCode::kGet);
  EXPECT_EQ(null.values[0].value, std::nullopt);
  EXPECT_EQ(returned_text(run_text("RETURN EXISTS k", host)), "true");
  EXPECT_EQ(returned_text(run_text("RETURN 2.50", host)), "2.5");
}

TEST(ScriptOutcomes, RevisionsAndExpiriesOfReads) {
  FakeScriptHost host;
  host.put("k", "a");
  host.put("k", "b");
  EXPECT_EQ(returned_text(run_text("RETURN rev(GET k)", host)), "1");
  EXPECT_EQ(returned_text(run_text("RETURN rev(GET missing)", host)), "0");
  EXPECT_EQ(returned_text(run_text("RETURN expires(GET k)", host)), "0");
  run_text("SET t 1 EX 500", host);
  EXPECT_EQ(returned_text(run_text("RETURN expires(GET t)", host)), std::to_string(host.clock_ms + 500));
  EXPECT_EQ(returned_text(run_text("LET x = GET k LET y = x RETURN rev(y)", host)), "1");
  EXPECT_EQ(run_text("RETURN rev(to_str(GET k))", host).code, ScriptCode::kErrored);
}

// ---- Guards ----

TEST(ScriptGuards, ReadTheLastStatementOfTheirKind) {
  FakeScriptHost host;
  host.put("here", "1");
  EXPECT_EQ(
      returned_text(run_text("GET nothing IF NOT FOUND THEN RETURN 'missing' END RETURN 'found'", host)),
      "missing");
  EXPECT_EQ(returned_text(run_text("GET here IF NOT FOUND THEN RETURN 'missing' END RETURN 'found'", host)),
            "found");
  EXPECT_EQ(returned_text(run_text("EXISTS nothing RETURN NOT FOUND", host)), "true");
  EXPECT_EQ(returned_text(run_text("DELETE nothing RETURN NOT DELETED", host)), "true");
  EXPECT_EQ(returned_text(run_text("EXTEND here 100 RETURN NOT EXTENDED", host)), "false");
  // Each guard reads its own kind: a later GET does not change NOT SET.
  EXPECT_EQ(returned_text(run_text("SET here 2 NX GET here RETURN NOT SET && NOT NOT FOUND", host)), "true");
  EXPECT_EQ(returned_text(run_text("LET ok = EXISTS here RETURN ok", host)), "true");
}

TEST(ScriptGuards, AGuardBeforeItsStatementIsAnError) {
  FakeScriptHost host;
  auto result = run_text("SET a 1\nIF NOT FOUND THEN RETURN 1 END", host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_EQ(result.reason, "NOT FOUND needs a GET or EXISTS before it at line 2");
  EXPECT_EQ(run_text("RETURN NOT SET", host).reason, "NOT SET needs a SET before it at line 1");
}

// ---- Errors ----

TEST(ScriptErrors, RuntimeErrorsHaveTheirLine) {
  FakeScriptHost host;
  EXPECT_EQ(run_text("LET a = 1\n\nRETURN a / 0", host).reason, "division by zero at line 3");
  EXPECT_EQ(run_text("RETURN\nnope + 1", host).reason, "unknown variable 'nope' at line 2");
  EXPECT_EQ(run_text("RETURN 9223372036854775807 + 1", host).reason,
            "integer overflow in 9223372036854775807 add 1 at line 1");
  EXPECT_EQ(run_text("SET k 1\nIF 1 THEN RETURN 1 END", host).reason,
            "IF expects a bool condition, got int at line 2");
  EXPECT_EQ(run_text("RETURN 1 && true", host).reason, "&& expects a bool condition, got int at line 1");
  EXPECT_EQ(run_text("FOR x IN 'abc' DO END", host).reason,
            "FOR expects an array (e.g. 1..10), got string at line 1");
  EXPECT_EQ(run_text("SET @k 1", host).reason, "parameter @k was not given at line 1");
  EXPECT_EQ(run_text("SET @k 1", host, {{"@k", std::nullopt}}).reason,
            "parameter @k is null and cannot name a key at line 1");
  EXPECT_EQ(run_text("RETURN @p", host).reason, "parameter @p was not given at line 1");
  EXPECT_EQ(returned_text(run_text("RETURN is_null(@p)", host, {{"@p", std::nullopt}})), "true");
  EXPECT_EQ(run_text("THROW concat('code ', 7)", host).reason, "code 7 at line 1");
  EXPECT_EQ(run_text("SLEEP -1", host).reason, "SLEEP expects an int >= 0, got -1 at line 1");
}

TEST(ScriptErrors, ShortCircuitSkipsTheRightSide) {
  FakeScriptHost host;
  EXPECT_EQ(returned_text(run_text("RETURN false && (1 / 0 == 1)", host)), "false");
  EXPECT_EQ(returned_text(run_text("RETURN true || nope", host)), "true");
  EXPECT_EQ(returned_text(run_text("IF false && (GET k == 'x') THEN RETURN 1 END RETURN 2", host)), "2");
  EXPECT_EQ(host.log, (std::vector<std::string>{"begin", "commit"}));  // no "get k"
}

TEST(ScriptErrors, ParseErrorsAnswer99) {
  FakeScriptHost host;
  auto result = run_text("SET a 1\nIF a THEN", host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_TRUE(contains(result.reason, "Syntax error")) << result.reason;
  EXPECT_TRUE(contains(result.reason, "at line 2")) << result.reason;
  EXPECT_TRUE(host.log.empty());
}

// ---- Host failures ----

TEST(ScriptHostFailures, StatusesMapToCodes) {
  struct Case {
    Status status;
    ScriptCode code;
  };
  const std::vector<Case> cases{
      {Status::aborted("conflict"), ScriptCode::kAborted},
      {Status::must_retry("no leader"), ScriptCode::kMustRetry},
      {Status::busy("locked by tx 5"), ScriptCode::kAlreadyLocked},
      {Status::invalid_argument("reserved key"), ScriptCode::kInvalidInput},
      {Status::io_error("disk"), ScriptCode::kErrored},
  };
  for (const Case& c : cases) {
    FakeScriptHost host;
    host.fail_next("set", c.status);
    auto result = run_text("SET a 1\nSET b 2", host);
    EXPECT_EQ(result.code, c.code) << result.reason;
    EXPECT_TRUE(contains(result.reason, "SET 'a' failed: ")) << result.reason;
    EXPECT_TRUE(contains(result.reason, "at line 1")) << result.reason;
    EXPECT_EQ(host.log, (std::vector<std::string>{"begin", "set a", "rollback"}));
  }
}

TEST(ScriptHostFailures, FailureCodesInRepliesEndTheScript) {
  FakeScriptHost host;
  host.force_code("get", KvCode::kMustRetry);
  auto result = run_text("GET a\nSET b 1", host);
  EXPECT_EQ(result.code, ScriptCode::kMustRetry);
  EXPECT_EQ(result.reason, "GET 'a' answered mustRetry at line 1");
  FakeScriptHost invalid;
  invalid.force_code("set", KvCode::kInvalidInput);
  EXPECT_EQ(run_text("SET `__kahuna:x` 1", invalid).code, ScriptCode::kInvalidInput);
  FakeScriptHost odd;
  odd.force_code("set", KvCode::kExists);  // not an outcome of SET
  auto unexpected = run_text("SET a 1", odd);
  EXPECT_EQ(unexpected.code, ScriptCode::kErrored);
  EXPECT_EQ(unexpected.reason, "SET 'a' answered exists at line 1");
}

TEST(ScriptHostFailures, SleepAndClock) {
  FakeScriptHost host;
  const auto before = host.clock_ms;
  auto result = run_text("LET t0 = current_time() SLEEP 25 RETURN current_time() - t0", host);
  EXPECT_EQ(returned_text(result), "25");
  EXPECT_EQ(host.slept_ms, 25);
  EXPECT_EQ(host.clock_ms, before + 25);
  EXPECT_TRUE(contains(returned_text(run_text("RETURN hlc()", host)), ":1"));
  host.fail_next("sleep", Status::aborted("session expired"));
  EXPECT_EQ(run_text("SLEEP 5", host).code, ScriptCode::kAborted);
}

}  // namespace
}  // namespace kahuna::script
