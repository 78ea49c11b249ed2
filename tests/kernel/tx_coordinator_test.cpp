// TxCoordinator against in-memory partitions whose steps can be lost,
// refused or cut off: every failure ends in a true answer, a retried step
// applies once, and nothing is left half-committed that the record cannot
// settle.
#include "tx/tx_coordinator.h"

#include <gtest/gtest.h>

#include <map>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>

#include "services/partition/partition_state_machine.h"
#include "services/storage/memory_state.h"

namespace kahuna {
namespace {

using namespace std::chrono_literals;
using services::TxRead;
using services::TxWrite;
using services::TxWriteKind;

// One partition's leader: a state machine over memory, and the faults its
// link suffers.
struct FakePartition {
  explicit FakePartition(std::uint32_t id) : machine(id) {}
  services::PartitionStateMachine machine;
  services::MemoryState state;
  bool unreachable = false;      // every step answers mustRetry, nothing applies
  int lose_replies = 0;          // the next N steps apply, but their answers are lost (unknown)
  bool refuse_resolves = false;  // phase two cannot reach it
  int cut_after = -1;            // once this many steps applied, none applies and none is answered
  int applied = 0;

  TxReply apply(const services::CommandBody& body, RequestId id, std::int64_t ms) {
    if (cut_after >= 0 && applied >= cut_after) return TxReply{TxCode::kOutcomeUnknown};
    if (unreachable || (refuse_resolves && std::holds_alternative<services::TxResolve>(body))) {
      return TxReply{TxCode::kMustRetry};
    }
    services::ApplyContext ctx(state);
    services::Reply reply;
    EXPECT_TRUE(machine.apply(services::Command{HlcTimestamp{1, ms, 0}, body, id}, ctx, reply).is_ok());
    state.apply(ctx.take_batch());
    ++applied;
    if (lose_replies > 0) {
      --lose_replies;
      return TxReply{TxCode::kOutcomeUnknown};
    }
    // A plain write a test sets the scene with has no transaction reply.
    const auto* tx_reply = std::get_if<TxReply>(&reply);
    return tx_reply != nullptr ? *tx_reply : TxReply{TxCode::kInvalidInput};
  }

  std::optional<services::KvRecord> current(const std::string& key) {
    std::optional<services::KvRecord> record;
    EXPECT_TRUE(machine.kv().store().load_current(state, key, record).is_ok());
    return record;
  }
  std::uint64_t intents() {
    std::uint64_t count = 0;
    EXPECT_TRUE(machine.tx().intent_count(state, count).is_ok());
    return count;
  }
  std::optional<services::TxRecord> record(const HlcTimestamp& tx) {
    std::optional<services::TxRecord> out;
    EXPECT_TRUE(machine.tx().load_record(state, tx, out).is_ok());
    return out;
  }
};

class TxCoordinatorTest : public ::testing::Test {
 protected:
  // Keys name their partition: "p1/..." lives on partition 1.
  FakePartition& partition(std::uint32_t id) {
    return *partitions_.try_emplace(id, std::make_unique<FakePartition>(id)).first->second;
  }

  TxOutcome commit(std::vector<TxWrite> writes, std::vector<TxRead> reads = {},
                   std::chrono::milliseconds budget = 300ms) {
    TxPlan plan{kTx, HlcTimestamp{1, 100000, 0}, std::move(writes), std::move(reads)};
    TxCoordinator coordinator(
        [this](std::uint32_t id, services::CommandBody body, RequestId request_id,
               TxCoordinator::Clock::time_point) -> asio::awaitable<TxReply> {
          co_return partition(id).apply(body, request_id, ++clock_ms_);
        },
        [](std::string_view key) { return static_cast<std::uint32_t>(key[1] - '0'); },
        [this] {
          return RequestId{7, ++sequence_, 0};
        },
        200ms);
    asio::io_context io;
    auto done = asio::co_spawn(io, coordinator.commit(std::move(plan), TxCoordinator::Clock::now() + budget),
                               asio::use_future);
    io.run();
    return done.get();
  }

  static TxWrite set_of(std::string key, std::string value) {
    return TxWrite{std::move(key), TxWriteKind::kSet, std::move(value)};
  }

  const HlcTimestamp kTx{1, 500, 0};
  std::map<std::uint32_t, std::unique_ptr<FakePartition>> partitions_;
  std::int64_t clock_ms_ = 1000;
  std::uint64_t sequence_ = 0;
};

TEST_F(TxCoordinatorTest, TwoPartitionsCommitAndKeepTheDecidedRecord) {
  const TxOutcome outcome = commit({set_of("p1/a", "1"), set_of("p2/b", "2")});
  ASSERT_EQ(outcome.code, TxCode::kCommitted);
  EXPECT_EQ(outcome.anchor, 1u);
  EXPECT_EQ(partition(1).current("p1/a")->value, "1");
  EXPECT_EQ(partition(2).current("p2/b")->value, "2");
  EXPECT_EQ(partition(1).current("p1/a")->modified, outcome.commit_stamp);
  EXPECT_EQ(partition(2).current("p2/b")->modified, outcome.commit_stamp);
  EXPECT_EQ(partition(1).intents() + partition(2).intents(), 0u);
  // The record stays for late questions (TxStateMachine::kRecordRetentionMs).
  ASSERT_TRUE(partition(1).record(kTx).has_value());
  EXPECT_EQ(partition(1).record(kTx)->state, services::TxState::kCommitted);
}

TEST_F(TxCoordinatorTest, OnePartitionTakesOneStep) {
  const TxOutcome outcome = commit({set_of("p3/a", "1"), set_of("p3/b", "2")});
  ASSERT_EQ(outcome.code, TxCode::kCommitted);
  EXPECT_EQ(partition(3).applied, 1);
  EXPECT_EQ(outcome.revisions, (std::vector<std::int64_t>{0, 0}));
}

TEST_F(TxCoordinatorTest, LostAnswersAreResentAndApplyOnce) {
  partition(1).lose_replies = 2;  // the prepare's and the decide's answers
  partition(2).lose_replies = 1;
  const TxOutcome outcome = commit({set_of("p1/a", "1"), set_of("p2/b", "2")});
  ASSERT_EQ(outcome.code, TxCode::kCommitted);
  EXPECT_EQ(partition(1).current("p1/a")->revision, 0);
  EXPECT_EQ(partition(2).current("p2/b")->revision, 0);
  EXPECT_EQ(partition(1).intents() + partition(2).intents(), 0u);
}

TEST_F(TxCoordinatorTest, AConflictOnOneParticipantAbortsEverywhere) {
  // Another transaction holds p2/b.
  partition(2).apply(
      services::TxPrepare{
          HlcTimestamp{1, 400, 0}, HlcTimestamp{1, 100000, 0}, 5, {set_of("p2/b", "theirs")}, {}, {}},
      {}, 900);
  const TxOutcome outcome = commit({set_of("p1/a", "1"), set_of("p2/b", "2")});
  EXPECT_EQ(outcome.code, TxCode::kAborted);
  EXPECT_EQ(outcome.key, "p2/b");
  EXPECT_EQ(outcome.holder, (HlcTimestamp{1, 400, 0}));
  EXPECT_FALSE(partition(1).current("p1/a").has_value());
  EXPECT_EQ(partition(1).intents(), 0u);  // the anchor's own intent was rolled back
  EXPECT_EQ(partition(2).intents(), 1u);  // theirs stays
}

TEST_F(TxCoordinatorTest, AnOlderTransactionWoundsAYoungerOneInItsWay) {
  // A younger transaction (id above kTx) prepared p2/b, anchored on p2.
  const HlcTimestamp younger{1, 600, 0};
  partition(2).apply(
      services::TxPrepare{younger, HlcTimestamp{1, 100000, 0}, 2, {set_of("p2/b", "theirs")}, {}, {2}}, {},
      900);
  const TxOutcome outcome = commit({set_of("p1/a", "1"), set_of("p2/b", "2")});
  ASSERT_EQ(outcome.code, TxCode::kCommitted);
  EXPECT_EQ(partition(2).current("p2/b")->value, "2");
  // The younger one is decided aborted: its own commit can only fail now.
  EXPECT_EQ(partition(2).record(younger)->state, services::TxState::kAborted);
}

TEST_F(TxCoordinatorTest, AYoungerTransactionYieldsToAnOlderOne) {
  const HlcTimestamp older{1, 400, 0};
  partition(2).apply(
      services::TxPrepare{older, HlcTimestamp{1, 100000, 0}, 2, {set_of("p2/b", "theirs")}, {}, {2}}, {},
      900);
  const TxOutcome outcome = commit({set_of("p1/a", "1"), set_of("p2/b", "2")});
  EXPECT_EQ(outcome.code, TxCode::kAborted);
  EXPECT_EQ(outcome.holder, older);
  EXPECT_EQ(partition(2).record(older)->state, services::TxState::kUndecided);  // untouched
}

TEST_F(TxCoordinatorTest, AnUnreachableParticipantAbortsTheTransaction) {
  partition(2).unreachable = true;
  const TxOutcome outcome = commit({set_of("p1/a", "1"), set_of("p2/b", "2")});
  EXPECT_EQ(outcome.code, TxCode::kAborted);
  EXPECT_EQ(partition(1).record(kTx)->state, services::TxState::kAborted);  // its resolve could not reach p2
  EXPECT_EQ(partition(1).intents(), 0u);
  EXPECT_FALSE(partition(1).current("p1/a").has_value());
}

TEST_F(TxCoordinatorTest, AnUnreachableAnchorAtTheDecisionIsUnknown) {
  partition(1).lose_replies = 1;  // the prepare applies, its answer is lost...
  partition(1).cut_after = 1;     // ...and then the anchor is cut off: nothing more is answered
  const TxOutcome outcome = commit({set_of("p1/a", "1"), set_of("p2/b", "2")}, {}, 100ms);
  // Whether the anchor decided cannot be known: neither committed nor aborted.
  EXPECT_EQ(outcome.code, TxCode::kOutcomeUnknown);
  // The record is undecided, so the intents stay for the sweep.
  EXPECT_EQ(partition(1).record(kTx)->state, services::TxState::kUndecided);
  EXPECT_EQ(partition(2).intents(), 1u);
}

TEST_F(TxCoordinatorTest, AFailedResolveStillAnswersCommittedAndKeepsTheRecord) {
  partition(2).refuse_resolves = true;
  const TxOutcome outcome = commit({set_of("p1/a", "1"), set_of("p2/b", "2")});
  ASSERT_EQ(outcome.code, TxCode::kCommitted);
  EXPECT_EQ(partition(1).current("p1/a")->value, "1");
  EXPECT_EQ(partition(2).intents(), 1u);
  // The record stays for the sweep to read: it says committed.
  ASSERT_TRUE(partition(1).record(kTx).has_value());
  EXPECT_EQ(partition(1).record(kTx)->state, services::TxState::kCommitted);
}

TEST_F(TxCoordinatorTest, AStaleReadOnAReadOnlyParticipantAborts) {
  partition(2).apply(services::KvSet{"p2/seen", std::string("v")}, {}, 900);
  const TxOutcome outcome = commit({set_of("p1/a", "1")}, {TxRead{"p2/seen", -1, false}});
  EXPECT_EQ(outcome.code, TxCode::kAborted);
  EXPECT_EQ(outcome.key, "p2/seen");
  EXPECT_FALSE(partition(1).current("p1/a").has_value());
}

TEST_F(TxCoordinatorTest, AnEmptyPlanIsInvalid) { EXPECT_EQ(commit({}).code, TxCode::kInvalidInput); }

}  // namespace
}  // namespace kahuna
