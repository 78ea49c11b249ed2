// Parser: every statement of TRANSACTIONS.md §4, expression precedence, and
// error messages with their lines.
#include <gtest/gtest.h>

#include "script/parser.h"
#include "script_test_support.h"

namespace kahuna::script {
namespace {

using testing::evaluate;
using testing::parse_error;
using testing::parse_ok;
using testing::returned_text;

// The single statement of a one-statement script. The script stays alive
// until the test program ends, so the reference outlives a temporary argument.
template <class Node>
const Node& only(const std::shared_ptr<const Script>& script) {
  static std::vector<std::shared_ptr<const Script>> keep_alive;
  keep_alive.push_back(script);
  EXPECT_EQ(script->program().size(), 1u);
  const Node* node = std::get_if<Node>(&script->program().front()->node);
  EXPECT_NE(node, nullptr);
  return *node;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(ScriptParser, SetWithEveryOption) {
  auto plain = parse_ok("SET `k` @value");
  const auto& set = only<SetStmt>(plain);
  EXPECT_EQ(set.key.source, KeyRef::Source::kLiteral);
  EXPECT_EQ(set.key.text, "k");
  EXPECT_EQ(set.condition, SetCondition::kAlways);
  EXPECT_EQ(set.durability, Durability::kPersistent);
  EXPECT_FALSE(set.expires_ms);

  auto nx = parse_ok("set k 'v' NX ex 1000");
  EXPECT_EQ(only<SetStmt>(nx).condition, SetCondition::kIfNotExists);
  EXPECT_TRUE(only<SetStmt>(nx).expires_ms);
  auto ex_first = parse_ok("SET k 'v' EX 1000 XX");
  EXPECT_EQ(only<SetStmt>(ex_first).condition, SetCondition::kIfExists);
  auto cmp = parse_ok("SET k 'new' CMP 'old'");
  EXPECT_EQ(only<SetStmt>(cmp).condition, SetCondition::kIfValueEquals);
  EXPECT_TRUE(only<SetStmt>(cmp).compare);
  auto cmprev = parse_ok("SET k 'new' CMPREV 3 EX 5");
  EXPECT_EQ(only<SetStmt>(cmprev).condition, SetCondition::kIfRevisionEquals);
  auto eset = parse_ok("ESET 'quoted key' 1 + 2");
  EXPECT_EQ(only<SetStmt>(eset).durability, Durability::kEphemeral);
  EXPECT_EQ(only<SetStmt>(eset).key.text, "quoted key");
}

TEST(ScriptParser, SetConditionsExcludeEachOther) {
  EXPECT_EQ(parse_error("SET k 1 NX XX"),
            "Syntax error: SET takes only one of NX, XX, CMP and CMPREV at line 1");
  EXPECT_TRUE(
      contains(parse_error("SET k 1\nCMP 2 CMPREV 3"), "only one of NX, XX, CMP and CMPREV at line 2"));
  EXPECT_EQ(parse_error("SET k 1 EX 1 EX 2"), "Syntax error: EX given twice at line 1");
}

TEST(ScriptParser, Reads) {
  auto get = parse_ok("GET `k`");
  const auto& read = only<ReadStmt>(get).op;
  EXPECT_EQ(read.kind, ReadKind::kGet);
  EXPECT_EQ(read.key.text, "k");

  auto at = parse_ok("GET k AT 3");
  EXPECT_TRUE(only<ReadStmt>(at).op.at_revision);
  auto as_of = parse_ok("get k as of 1700000000000");
  EXPECT_TRUE(only<ReadStmt>(as_of).op.as_of);
  auto exists = parse_ok("EXISTS @key");
  EXPECT_EQ(only<ReadStmt>(exists).op.kind, ReadKind::kExists);
  EXPECT_EQ(only<ReadStmt>(exists).op.key.source, KeyRef::Source::kParameter);
  auto bucket = parse_ok("GET BY BUCKET `users`");
  EXPECT_EQ(only<ReadStmt>(bucket).op.kind, ReadKind::kGetByBucket);
  EXPECT_EQ(only<ReadStmt>(bucket).op.key.text, "users");
  auto scan = parse_ok("SCAN BY PREFIX 'users/'");
  EXPECT_EQ(only<ReadStmt>(scan).op.kind, ReadKind::kScanByPrefix);
  auto eget = parse_ok("EGET k");
  EXPECT_EQ(only<ReadStmt>(eget).op.durability, Durability::kEphemeral);
  auto eexists = parse_ok("EEXISTS k");
  EXPECT_EQ(only<ReadStmt>(eexists).op.durability, Durability::kEphemeral);
  EXPECT_EQ(only<ReadStmt>(eexists).op.kind, ReadKind::kExists);
  auto ebucket = parse_ok("EGET BY BUCKET b");
  EXPECT_EQ(only<ReadStmt>(ebucket).op.kind, ReadKind::kGetByBucket);
  EXPECT_EQ(only<ReadStmt>(ebucket).op.durability, Durability::kEphemeral);
  // "by" alone is a key.
  auto key_by = parse_ok("GET by");
  EXPECT_EQ(only<ReadStmt>(key_by).op.kind, ReadKind::kGet);
  EXPECT_EQ(only<ReadStmt>(key_by).op.key.text, "by");
}

TEST(ScriptParser, DeleteAndExtend) {
  EXPECT_EQ(only<DeleteStmt>(parse_ok("DELETE k")).key.text, "k");
  EXPECT_EQ(only<DeleteStmt>(parse_ok("del `a/b`")).key.text, "a/b");
  EXPECT_EQ(only<DeleteStmt>(parse_ok("EDELETE k")).durability, Durability::kEphemeral);
  EXPECT_TRUE(only<ExtendStmt>(parse_ok("EXTEND k 5000")).expires_ms);
  EXPECT_EQ(only<ExtendStmt>(parse_ok("EEXTEND k 5000")).durability, Durability::kEphemeral);
}

TEST(ScriptParser, LetIncludingReads) {
  const auto& let = only<LetStmt>(parse_ok("LET x = 1 + 2"));
  EXPECT_EQ(let.name, "x");
  const auto& let_get = only<LetStmt>(parse_ok("let cur = get `election/leader`"));
  EXPECT_TRUE(std::holds_alternative<Expr::Read>(let_get.value->node));
  const auto& let_bucket = only<LetStmt>(parse_ok("LET items = GET BY BUCKET users"));
  EXPECT_TRUE(std::holds_alternative<Expr::Read>(let_bucket.value->node));
  const auto& let_call = only<LetStmt>(parse_ok("let stock = to_int(get @item)"));
  EXPECT_TRUE(std::holds_alternative<Expr::Call>(let_call.value->node));
}

TEST(ScriptParser, ControlFlow) {
  const auto& if_stmt = only<IfStmt>(parse_ok("IF x > 1 THEN SET a 1 SET b 2 ELSE DELETE c END"));
  EXPECT_EQ(if_stmt.then_block.size(), 2u);
  EXPECT_EQ(if_stmt.else_block.size(), 1u);
  const auto& empty_if = only<IfStmt>(parse_ok("if true then end"));
  EXPECT_TRUE(empty_if.then_block.empty());
  const auto& for_stmt = only<ForStmt>(parse_ok("FOR i IN 1..10 DO SET k i END"));
  EXPECT_EQ(for_stmt.variable, "i");
  EXPECT_EQ(for_stmt.body.size(), 1u);
  auto nested = parse_ok("IF a THEN IF b THEN RETURN 1 ELSE RETURN 2 END ELSE FOR x IN y DO THROW x END END");
  EXPECT_EQ(nested->program().size(), 1u);
}

TEST(ScriptParser, TransactionsAndTheirOptions) {
  const auto& plain = only<BeginStmt>(parse_ok("BEGIN SET a 1 COMMIT END"));
  EXPECT_EQ(plain.options, TransactionOptions{});
  EXPECT_EQ(plain.body.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<CommitStmt>(plain.body[1]->node));

  const auto& options = only<BeginStmt>(
      parse_ok("BEGIN (locking=\"optimistic\", timeout=5000, priority=3) SET @key @value COMMIT END"));
  EXPECT_EQ(options.options.locking, LockingMode::kOptimistic);
  EXPECT_EQ(options.options.timeout_ms, 5000);
  EXPECT_EQ(options.options.priority, 3);
  const auto& bare_word = only<BeginStmt>(parse_ok("begin (LOCKING=Pessimistic) rollback end"));
  EXPECT_EQ(bare_word.options.locking, LockingMode::kPessimistic);
  EXPECT_TRUE(std::holds_alternative<RollbackStmt>(bare_word.body[0]->node));
  EXPECT_EQ(only<BeginStmt>(parse_ok("BEGIN () COMMIT END")).options, TransactionOptions{});
}

TEST(ScriptParser, ReturnThrowSleep) {
  EXPECT_FALSE(only<ReturnStmt>(parse_ok("RETURN")).value);
  EXPECT_TRUE(only<ReturnStmt>(parse_ok("RETURN 1")).value);
  EXPECT_TRUE(only<ReturnStmt>(parse_ok("RETURN get k")).value);
  auto bare_then_more = parse_ok("IF x THEN RETURN ELSE RETURN -1 END");
  EXPECT_FALSE(std::get<ReturnStmt>(only<IfStmt>(bare_then_more).then_block[0]->node).value);
  EXPECT_TRUE(only<ThrowStmt>(parse_ok("THROW 'boom'")).message);
  EXPECT_TRUE(only<SleepStmt>(parse_ok("SLEEP 10")).ms);
}

TEST(ScriptParser, GuardsAreConditions) {
  for (const char* text : {"IF NOT FOUND THEN RETURN 1 END", "IF NOT SET THEN THROW 'taken' END",
                           "IF not deleted THEN RETURN 1 END", "IF NOT EXTENDED || x THEN RETURN 1 END"}) {
    auto script = parse_ok(text);
    ASSERT_TRUE(script) << text;
  }
  const auto& guard = only<IfStmt>(parse_ok("IF NOT FOUND THEN RETURN 1 END"));
  EXPECT_TRUE(std::holds_alternative<Expr::GuardCheck>(guard.condition->node));
  // NOT before anything else is a negation.
  const auto& negation = only<IfStmt>(parse_ok("IF NOT x THEN RETURN 1 END"));
  EXPECT_TRUE(std::holds_alternative<Expr::Unary>(negation.condition->node));
}

TEST(ScriptParser, StatementsNeedNoSeparators) {
  auto script = parse_ok("SET a 1 SET b a + 1 GET b RETURN b");
  EXPECT_EQ(script->program().size(), 4u);
  auto lines = parse_ok("SET a 1\nSET b 2\n\nGET b");
  EXPECT_EQ(lines->program()[2]->line, 4);
}

TEST(ScriptParser, QualifyingWordsAreUsableAsNamesAndKeys) {
  testing::FakeScriptHost host;
  auto result = testing::run_text(
      "LET in = 1 LET found = 2 LET ex = 3\n"
      "SET prefix in + found + ex EX 1000 NX\n"
      "FOR at IN 1..2 DO LET bucket = at END\n"
      "RETURN concat(GET prefix, bucket)",
      host);
  EXPECT_EQ(returned_text(result), "62") << result.reason;
  EXPECT_EQ(host.value_of("prefix"), "6");
}

TEST(ScriptParser, KeywordsInAnyCase) {
  testing::FakeScriptHost host;
  auto result = testing::run_text("Set K 'v' nX\nIf NoT sEt ThEn ThRoW 'taken' ElSe ReTuRn GeT K eNd", host);
  EXPECT_EQ(returned_text(result), "v") << result.reason;
}

TEST(ScriptParser, PrecedenceShapesTheTree) {
  auto script = parse_ok("RETURN 1 + 2 * 3");
  const Expr& top = *only<ReturnStmt>(script).value;
  const auto& add = std::get<Expr::Binary>(top.node);
  EXPECT_EQ(add.op, BinaryOp::kAdd);
  EXPECT_EQ(std::get<Expr::Binary>(add.rhs->node).op, BinaryOp::kMultiply);

  auto range = parse_ok("RETURN 1 .. 2 + 3 || false");
  EXPECT_EQ(std::get<Expr::Binary>(only<ReturnStmt>(range).value->node).op, BinaryOp::kRange);
}

TEST(ScriptParser, PrecedenceEvaluates) {
  EXPECT_EQ(returned_text(evaluate("1 + 2 * 3")), "7");
  EXPECT_EQ(returned_text(evaluate("(1 + 2) * 3")), "9");
  EXPECT_EQ(returned_text(evaluate("10 - 2 - 3")), "5");
  EXPECT_EQ(returned_text(evaluate("64 / 4 / 2")), "8");
  EXPECT_EQ(returned_text(evaluate("2 * 3 - 4 / 2")), "4");
  EXPECT_EQ(returned_text(evaluate("true || false && false")), "true");
  EXPECT_EQ(returned_text(evaluate("(true || false) && false")), "false");
  EXPECT_EQ(returned_text(evaluate("1 < 2 == true")), "true");
  EXPECT_EQ(returned_text(evaluate("1 + 1 = 2 && 3 <> 4")), "true");
  EXPECT_EQ(returned_text(evaluate("!true == false")), "true");
  EXPECT_EQ(returned_text(evaluate("not false && true")), "true");
  EXPECT_EQ(returned_text(evaluate("-2 * 3")), "-6");
  EXPECT_EQ(returned_text(evaluate("- - 2")), "2");
  EXPECT_EQ(returned_text(evaluate("count(1 .. 2 + 1)")), "3");
  EXPECT_EQ(returned_text(evaluate("(1..5)[1 + 1] * 10")), "30");
  EXPECT_EQ(returned_text(evaluate("-(1..3)[2]")), "-3");
  EXPECT_EQ(returned_text(evaluate("split('a,b', ',')[1] + 'x'")), "bx");
  // `not` binds tighter than `==`: (not 1) is a type error, not not(1 == 2).
  EXPECT_EQ(evaluate("not 1 == 2").code, ScriptCode::kErrored);
}

TEST(ScriptParser, SyntaxErrorsSayWhereAndWhat) {
  EXPECT_EQ(parse_error("SET a 1\nIF a == 1\nSET b 2 END"),
            "Syntax error: expected THEN after the IF condition, found 'SET' at line 3");
  EXPECT_EQ(parse_error("IF true THEN\nSET a 1\n"),
            "Syntax error: expected END to close IF, found end of script at line 3");
  EXPECT_EQ(parse_error("SET a 1\nEND"), "Syntax error: expected a statement, found 'END' at line 2");
  EXPECT_EQ(parse_error("SET 5 1"),
            "Syntax error: expected a key after SET (an identifier, `key`, 'key' or @param), found number 5 "
            "at line 1");
  EXPECT_EQ(parse_error("SET k"), "Syntax error: expected an expression, found end of script at line 1");
  EXPECT_EQ(
      parse_error("GET (k)"),
      "Syntax error: expected a key after GET (an identifier, `key`, 'key' or @param), found '(' at line 1");
  EXPECT_EQ(parse_error("x = 1"), "Syntax error: expected a statement, found 'x' at line 1");
  EXPECT_EQ(parse_error("LET = 1"), "Syntax error: expected a variable name after LET, found '=' at line 1");
  EXPECT_EQ(parse_error("LET x 1"), "Syntax error: expected '=' after LET x, found number 1 at line 1");
  EXPECT_EQ(parse_error("RETURN (1 + 2"), "Syntax error: expected ')', found end of script at line 1");
  EXPECT_EQ(parse_error("FOR i 1..3 DO END"),
            "Syntax error: expected IN after FOR i, found number 1 at line 1");
  EXPECT_EQ(parse_error("FOR i IN 1..3 SET a i END"),
            "Syntax error: expected DO after the FOR range, found 'SET' at line 1");
  EXPECT_EQ(parse_error("RETURN 1..2..3"),
            "Syntax error: expected one '..' per range (use parentheses), found '..' at line 1");
  EXPECT_EQ(parse_error("SCAN PREFIX a"), "Syntax error: expected BY after SCAN, found 'PREFIX' at line 1");
  EXPECT_EQ(parse_error("SET k ''\nGET ''"), "Syntax error: empty key after GET at line 2");
  EXPECT_EQ(parse_error(""), "Syntax error: the script is empty at line 1");
  EXPECT_EQ(parse_error("-- nothing\n"), "Syntax error: the script is empty at line 2");
  EXPECT_EQ(parse_error("RETURN a[1"), "Syntax error: expected ']', found end of script at line 1");
  EXPECT_EQ(parse_error("SET a 'x\n"), "Syntax error: unterminated string at line 1");
}

TEST(ScriptParser, FunctionErrorsNameTheFunction) {
  EXPECT_EQ(parse_error("SET a 1\nRETURN frobnicate(1)"), "Unknown function 'frobnicate' at line 2");
  EXPECT_EQ(parse_error("RETURN abs(1, 2)"),
            "Wrong number of arguments: abs takes 1 argument, got 2 at line 1");
  EXPECT_EQ(parse_error("RETURN min()"),
            "Wrong number of arguments: min takes at least 1 argument, got 0 at line 1");
  EXPECT_EQ(parse_error("RETURN substring('a')"),
            "Wrong number of arguments: substring takes 2 or 3 arguments, got 1 at line 1");
  EXPECT_EQ(parse_error("RETURN current_time(1)"),
            "Wrong number of arguments: current_time takes 0 arguments, got 1 at line 1");
  // Function names are case-insensitive; variables are not functions.
  EXPECT_TRUE(parse_ok("RETURN TO_INT('1') + Abs(-1)"));
}

TEST(ScriptParser, TransactionRules) {
  EXPECT_EQ(parse_error("SET a 1\nCOMMIT"), "COMMIT outside BEGIN … END at line 2");
  EXPECT_EQ(parse_error("BEGIN\nBEGIN COMMIT END\nCOMMIT END"),
            "BEGIN inside BEGIN … END is not allowed at line 2");
  EXPECT_TRUE(contains(parse_error("BEGIN\nSCAN BY PREFIX p\nCOMMIT END"),
                       "SCAN BY PREFIX is not allowed inside BEGIN … END"));
  EXPECT_TRUE(contains(parse_error("BEGIN LET x = SCAN BY PREFIX p COMMIT END"), "at line 1"));
  EXPECT_EQ(
      parse_error("SET a 1\nBEGIN SET b 2 COMMIT END"),
      "a script with BEGIN must keep every key/value statement inside BEGIN … END (the BEGIN is at line 2) "
      "at line 1");
  EXPECT_TRUE(contains(parse_error("BEGIN SET b 2 COMMIT END\nRETURN get b"), "at line 2"));
  EXPECT_EQ(parse_error("BEGIN (isolation=1) COMMIT END"),
            "unknown BEGIN option 'isolation' (known: locking, timeout, priority) at line 1");
  EXPECT_EQ(
      parse_error("BEGIN (locking='eventual') COMMIT END"),
      "BEGIN option locking: expected \"optimistic\" or \"pessimistic\", found string 'eventual' at line 1");
  EXPECT_EQ(parse_error("BEGIN (timeout=0) COMMIT END"),
            "BEGIN option timeout: expected a number of milliseconds > 0, found number 0 at line 1");
  EXPECT_EQ(parse_error("BEGIN (priority=9) COMMIT END"),
            "BEGIN option priority: expected a priority from 0 to 4, found number 9 at line 1");
  EXPECT_EQ(parse_error("BEGIN (timeout=1, timeout=2) COMMIT END"),
            "BEGIN option timeout: given twice at line 1");
  EXPECT_EQ(parse_error("BEGIN (timeout=1 COMMIT END"),
            "Syntax error: expected ')' or ',' in the BEGIN options, found 'COMMIT' at line 1");
  // Non-access statements may stand outside BEGIN; BEGIN may sit in a branch.
  EXPECT_TRUE(parse_ok("LET x = 1 BEGIN SET a x COMMIT END RETURN x"));
  EXPECT_TRUE(parse_ok("IF @go == 'y' THEN BEGIN SET a 1 COMMIT END END"));
  EXPECT_TRUE(parse_ok("SET a 1 ROLLBACK"));
}

}  // namespace
}  // namespace kahuna::script
