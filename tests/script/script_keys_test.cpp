// Script::keys (every key of every branch, before the run) and the
// transaction mode the session layer reads.
#include <gtest/gtest.h>

#include "script_test_support.h"

namespace kahuna::script {
namespace {

using testing::parse_ok;

ScriptKey persistent(std::string key) { return ScriptKey{std::move(key), Durability::kPersistent, false}; }

TEST(ScriptKeys, EveryBranchEveryKind) {
  auto script = parse_ok(R"(
    LET stock = to_int(GET @item)
    IF stock > 0 THEN
      SET `orders/1` 'x' NX
      IF EXISTS 'flags/a' THEN DELETE gone END
    ELSE
      FOR i IN 1..3 DO EXTEND `leases/x` 100 END
      ESET eph 1
      LET rows = GET BY BUCKET `users`
      LET all = SCAN BY PREFIX 'logs/'
      RETURN EGET eph2 AT 3
    END
    THROW to_str(GET last))");
  ASSERT_TRUE(script);
  ScriptParameters parameters{{"@item", "items/42"}};
  const std::vector<ScriptKey> expected{
      persistent("flags/a"),
      persistent("gone"),
      persistent("items/42"),
      persistent("last"),
      ScriptKey{"logs/", Durability::kPersistent, true},
      persistent("leases/x"),
      persistent("orders/1"),
      ScriptKey{"users", Durability::kPersistent, true},
      ScriptKey{"eph", Durability::kEphemeral, false},
      ScriptKey{"eph2", Durability::kEphemeral, false},
  };
  std::vector<ScriptKey> sorted = expected;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(script->keys(parameters), sorted);
  EXPECT_EQ(script->access_count(), 10);
}

TEST(ScriptKeys, ParametersResolveAndDuplicatesCollapse) {
  auto script = parse_ok("SET @a 1 SET @b 2 GET @a GET `x` GET x GET 'x' GET @missing GET @null");
  ASSERT_TRUE(script);
  ScriptParameters parameters{{"@a", "k1"}, {"b", "k2"}, {"@null", std::nullopt}};
  EXPECT_EQ(script->keys(parameters),
            (std::vector<ScriptKey>{persistent("k1"), persistent("k2"), persistent("x")}));
}

TEST(ScriptKeys, ExamplesOfTheSpecification) {
  auto election = parse_ok(
      "let cur = get `election/leader`\n"
      "if rev(cur) == 0 then set `election/leader` \"node-A\" else throw \"election failed\" end");
  EXPECT_EQ(election->keys({}), std::vector<ScriptKey>{persistent("election/leader")});
  auto stock = parse_ok(
      "let stock = to_int(get @item)\n"
      "if stock >= to_int(@n) then set @item stock - to_int(@n) return 1 else return 0 end");
  EXPECT_EQ(stock->keys({{"@item", "sku-1"}, {"@n", "2"}}), std::vector<ScriptKey>{persistent("sku-1")});
}

TEST(ScriptTransactionMode, OneCommandRunsAsThatCommand) {
  EXPECT_EQ(parse_ok("SET `k` @value")->transaction_mode(), TransactionMode::kNone);
  EXPECT_EQ(parse_ok("GET `k`")->transaction_mode(), TransactionMode::kNone);
  EXPECT_EQ(parse_ok("LET x = GET k")->transaction_mode(), TransactionMode::kNone);
  EXPECT_EQ(parse_ok("RETURN 1 + 1")->transaction_mode(), TransactionMode::kNone);
  EXPECT_EQ(parse_ok("LET x = 1 RETURN x")->transaction_mode(), TransactionMode::kNone);
  EXPECT_FALSE(parse_ok("SET k 1")->needs_transaction());
}

TEST(ScriptTransactionMode, LongerScriptsAutoCommit) {
  EXPECT_EQ(parse_ok("SET leader 'node-A' NX\nIF NOT SET THEN THROW 'taken' END")->transaction_mode(),
            TransactionMode::kAutoCommit);
  EXPECT_EQ(parse_ok("LET x = to_int(GET a) + to_int(GET b)")->transaction_mode(),
            TransactionMode::kAutoCommit);
  EXPECT_EQ(parse_ok("IF @x == '1' THEN SET k 1 END")->transaction_mode(), TransactionMode::kAutoCommit);
  EXPECT_EQ(parse_ok("FOR i IN 1..3 DO SET k i END")->transaction_mode(), TransactionMode::kAutoCommit);
  EXPECT_EQ(parse_ok("SET a 1 SET b 2")->transaction_mode(), TransactionMode::kAutoCommit);
  EXPECT_TRUE(parse_ok("SET a 1 THROW 'x'")->needs_transaction());
  EXPECT_TRUE(parse_ok("SET a 1 ROLLBACK")->needs_transaction());
}

TEST(ScriptTransactionMode, BeginMakesItExplicit) {
  auto script = parse_ok(
      "BEGIN (locking=\"optimistic\") SET @key @value COMMIT END\n"
      "BEGIN (timeout=100) SET b 1 COMMIT END");
  EXPECT_EQ(script->transaction_mode(), TransactionMode::kExplicit);
  EXPECT_FALSE(script->needs_transaction());
  ASSERT_EQ(script->begin_options().size(), 2u);
  EXPECT_EQ(script->begin_options()[0].locking, LockingMode::kOptimistic);
  EXPECT_EQ(script->begin_options()[1].timeout_ms, 100);
  EXPECT_TRUE(parse_ok("SET a 1 SET b 2")->begin_options().empty());
}

}  // namespace
}  // namespace kahuna::script
