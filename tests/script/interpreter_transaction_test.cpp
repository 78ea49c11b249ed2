// Transactions in scripts: the implicit transaction of an auto-commit
// script, explicit BEGIN … END blocks, and what ends each of them.
#include <gtest/gtest.h>

#include "script_test_support.h"

namespace kahuna::script {
namespace {

using testing::FakeScriptHost;
using testing::returned_text;
using testing::run_text;

using Log = std::vector<std::string>;

TEST(ScriptAutoCommit, WrapsTheWholeRun) {
  FakeScriptHost host;
  auto result = run_text("SET a 1\nSET b 2", host);
  EXPECT_EQ(result.code, ScriptCode::kSet);
  EXPECT_EQ(host.log, (Log{"begin", "set a", "set b", "commit"}));
  ASSERT_EQ(host.begun.size(), 1u);
  EXPECT_EQ(host.begun[0], TransactionOptions{});
  EXPECT_FALSE(host.in_transaction);
}

TEST(ScriptAutoCommit, AnErrorUndoesEarlierWrites) {
  FakeScriptHost host;
  auto result = run_text("SET a 1\nSET b 2\nTHROW 'stop'", host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_EQ(result.reason, "stop at line 3");
  EXPECT_EQ(host.value_of("a"), std::nullopt);
  EXPECT_EQ(host.log.back(), "rollback");
  EXPECT_FALSE(host.in_transaction);
}

TEST(ScriptAutoCommit, RollbackStatementAnswers102) {
  FakeScriptHost host;
  auto result = run_text("SET a 1\nIF true THEN ROLLBACK END\nSET b 2", host);
  EXPECT_EQ(result.code, ScriptCode::kAborted);
  EXPECT_EQ(result.reason, "transaction rolled back by ROLLBACK at line 2");
  EXPECT_EQ(host.log, (Log{"begin", "set a", "rollback"}));
  EXPECT_EQ(host.value_of("a"), std::nullopt);
}

TEST(ScriptAutoCommit, ReturnCommitsFirst) {
  FakeScriptHost host;
  auto result = run_text("SET a 1\nRETURN 'done'\nSET b 2", host);
  EXPECT_EQ(returned_text(result), "done");
  EXPECT_EQ(host.log, (Log{"begin", "set a", "commit"}));
}

TEST(ScriptAutoCommit, AFailedCommitIsTheAnswerAndIsNotRolledBack) {
  FakeScriptHost host;
  host.fail_next("commit", Status::aborted("write conflict on a"));
  auto result = run_text("SET a 1\nSET b 2", host);
  EXPECT_EQ(result.code, ScriptCode::kAborted);
  EXPECT_EQ(result.reason, "COMMIT failed: aborted: write conflict on a at line 2");
  EXPECT_EQ(host.log, (Log{"begin", "set a", "set b", "commit"}));
  FakeScriptHost retry;
  retry.fail_next("commit", Status::must_retry("outcome not known yet"));
  EXPECT_EQ(run_text("SET a 1\nSET b 2", retry).code, ScriptCode::kMustRetry);
}

TEST(ScriptAutoCommit, AFailedBeginRunsNothing) {
  FakeScriptHost host;
  host.fail_next("begin", Status::must_retry("admission refused"));
  auto result = run_text("SET a 1\nSET b 2", host);
  EXPECT_EQ(result.code, ScriptCode::kMustRetry);
  EXPECT_EQ(host.log, (Log{"begin"}));
}

TEST(ScriptExplicit, CommitMakesWritesStay) {
  FakeScriptHost host;
  auto result = run_text("BEGIN (timeout=100)\nSET a 1\nSET b 2\nCOMMIT\nEND", host);
  EXPECT_EQ(result.code, ScriptCode::kSet);
  EXPECT_EQ(host.log, (Log{"begin", "set a", "set b", "commit"}));
  EXPECT_EQ(host.begun[0].timeout_ms, 100);
  EXPECT_EQ(host.value_of("b"), "2");
}

TEST(ScriptExplicit, EndWithoutCommitRollsBack) {
  FakeScriptHost host;
  auto result = run_text("BEGIN\nSET a 1\nEND", host);
  EXPECT_EQ(result.code, ScriptCode::kAborted);
  EXPECT_EQ(result.reason, "transaction rolled back: BEGIN … END ended without COMMIT at line 1");
  EXPECT_EQ(host.log, (Log{"begin", "set a", "rollback"}));
  EXPECT_EQ(host.value_of("a"), std::nullopt);
}

TEST(ScriptExplicit, ReturnBeforeCommitRollsBack) {
  FakeScriptHost host;
  auto result = run_text("BEGIN SET a 1 RETURN 5 COMMIT END", host);
  EXPECT_EQ(result.code, ScriptCode::kAborted);
  EXPECT_EQ(host.value_of("a"), std::nullopt);
}

TEST(ScriptExplicit, ReturnAfterCommit) {
  FakeScriptHost host;
  auto result = run_text("BEGIN SET a 1 COMMIT RETURN GET a END", host);
  // GET a after COMMIT has no transaction: refused.
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_EQ(result.reason,
            "key/value statement after COMMIT: its transaction is already committed at line 1");
  EXPECT_EQ(host.value_of("a"), "1");  // the commit stands
  auto fine = run_text("BEGIN LET x = GET a COMMIT RETURN x END", host);
  EXPECT_EQ(returned_text(fine), "1");
}

TEST(ScriptExplicit, DoubleCommitIsAnError) {
  FakeScriptHost host;
  auto result = run_text("BEGIN SET a 1 COMMIT\nCOMMIT END", host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_EQ(result.reason, "COMMIT with no open transaction (already committed?) at line 2");
}

TEST(ScriptExplicit, ErrorsInsideRollBack) {
  FakeScriptHost host;
  auto result = run_text("BEGIN\nSET a 1\nSET b 1 / 0\nCOMMIT END", host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_EQ(result.reason, "division by zero at line 3");
  EXPECT_EQ(host.log, (Log{"begin", "set a", "rollback"}));
}

TEST(ScriptExplicit, SeveralTransactionsInOneScript) {
  FakeScriptHost host;
  auto result = run_text(
      "FOR i IN 1..3 DO\n"
      "  BEGIN (locking=pessimistic) SET `counter` i COMMIT END\n"
      "END",
      host);
  EXPECT_EQ(result.code, ScriptCode::kSet) << result.reason;
  EXPECT_EQ(host.begun.size(), 3u);
  EXPECT_EQ(host.value_of("counter"), "3");
  auto conditional = run_text("IF @go == 'y' THEN BEGIN SET a 'y' COMMIT END END", host, {{"@go", "n"}});
  EXPECT_EQ(conditional.code, ScriptCode::kSet);  // nothing ran
  EXPECT_TRUE(conditional.values.empty());
}

TEST(ScriptExplicit, AbortFromTheHostInsideATransaction) {
  FakeScriptHost host;
  host.fail_next("get", Status::aborted("lost its lock to a leader change"));
  auto result = run_text("BEGIN\nLET x = GET a\nSET a 1\nCOMMIT\nEND", host);
  EXPECT_EQ(result.code, ScriptCode::kAborted);
  EXPECT_EQ(result.reason, "GET 'a' failed: aborted: lost its lock to a leader change at line 2");
  EXPECT_EQ(host.log, (Log{"begin", "get a", "rollback"}));
}

}  // namespace
}  // namespace kahuna::script
