// The simulation's own checkers must reject what they are meant to reject: a checker
// that accepts everything would make every seed pass.
#include <gtest/gtest.h>

#include "register_history.h"
#include "safety_checker.h"
#include "simulation.h"

namespace kahuna::raft::sim {
namespace {

// Builds a history from (is_write, value, call, return) tuples.
RegisterHistory history(std::vector<RegisterOp> ops) {
  RegisterHistory h;
  for (const RegisterOp& op : ops) {
    std::size_t id = h.invoke(op.is_write, op.is_write ? op.value : "", op.call);
    if (op.is_write) {
      h.complete(id, op.ret);
    } else {
      h.complete_read(id, op.value, op.ret);
    }
  }
  return h;
}

bool linearizable(const RegisterHistory& h) {
  bool exhausted = false;
  std::string problem = h.check("", 1'000'000, &exhausted);
  EXPECT_FALSE(exhausted);
  return problem.empty();
}

TEST(RegisterHistory, SequentialHistoryIsLinearizable) {
  EXPECT_TRUE(linearizable(
      history({{true, "a", 1, 2}, {false, "a", 3, 4}, {true, "b", 5, 6}, {false, "b", 7, 8}})));
}

TEST(RegisterHistory, StaleReadAfterCompletedWriteIsNot) {
  EXPECT_FALSE(linearizable(history({{true, "a", 1, 2}, {true, "b", 3, 4}, {false, "a", 5, 6}})));
}

TEST(RegisterHistory, ConcurrentReadMaySeeEitherValue) {
  EXPECT_TRUE(linearizable(history({{true, "a", 1, 2}, {true, "b", 3, 10}, {false, "a", 4, 5}})));
  EXPECT_TRUE(linearizable(history({{true, "a", 1, 2}, {true, "b", 3, 10}, {false, "b", 4, 5}})));
}

TEST(RegisterHistory, ValuesCannotGoBackInTime) {
  // Both reads overlap the write of b, but once one read saw b a later read cannot see a.
  EXPECT_FALSE(linearizable(
      history({{true, "a", 1, 2}, {true, "b", 3, 20}, {false, "b", 4, 5}, {false, "a", 6, 7}})));
}

TEST(RegisterHistory, ReadOfUnwrittenValueIsNot) {
  EXPECT_FALSE(linearizable(history({{true, "a", 1, 2}, {false, "z", 3, 4}})));
}

TEST(RegisterHistory, InitialValueIsEmpty) {
  EXPECT_TRUE(linearizable(history({{false, "", 1, 2}, {true, "a", 3, 4}})));
  EXPECT_FALSE(linearizable(history({{true, "a", 1, 2}, {false, "", 3, 4}})));
}

TEST(RegisterHistory, PendingOperationsAreIgnored) {
  RegisterHistory h;
  h.invoke(true, "never-applied", 1);
  std::size_t read = h.invoke(false, "", 2);
  h.complete_read(read, "", 3);
  EXPECT_TRUE(linearizable(h));
}

TEST(SafetyChecker, DetectsDifferentEntriesAppliedAtOneIndex) {
  SafetyChecker checker;
  EXPECT_EQ(checker.on_apply(1, Entry{1, 5, EntryType::kNormal, "x"}), "");
  EXPECT_EQ(checker.on_apply(2, Entry{1, 5, EntryType::kNormal, "x"}), "");
  EXPECT_NE(checker.on_apply(3, Entry{2, 5, EntryType::kNormal, "y"}), "");
}

TEST(SafetyChecker, DetectsVoteChangeAndTermRegression) {
  SafetyChecker checker;
  EXPECT_EQ(checker.on_persist_hard_state(1, {3, 2, 0}, {3, 2, 5}), "");
  EXPECT_NE(checker.on_persist_hard_state(1, {3, 2, 0}, {3, 4, 0}), "");
  EXPECT_NE(checker.on_persist_hard_state(1, {3, 2, 0}, {2, 0, 0}), "");
}

TEST(Simulation, FirstSeedsPass) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    SimOptions options;
    options.seed = seed;
    options.nodes = seed % 2 == 0 ? 5 : 3;
    options.steps = 600;
    SimResult result = run_simulation(options);
    EXPECT_TRUE(result.ok) << "seed " << seed << ": " << result.failure;
    EXPECT_GE(result.heal_writes_committed, 3u);
  }
}

TEST(Simulation, ReplaysExactly) {
  SimOptions options;
  options.seed = 77;
  options.nodes = 5;
  options.steps = 500;
  SimResult a = run_simulation(options);
  SimResult b = run_simulation(options);
  EXPECT_EQ(a.committed_entries, b.committed_entries);
  EXPECT_EQ(a.operations_checked, b.operations_checked);
}

}  // namespace
}  // namespace kahuna::raft::sim
