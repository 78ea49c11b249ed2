// Sequences (HTTP-API.md §7), replicated part: create/get/update/delete,
// block reservation, direct ranges, maxValue, idempotency keys.
#include <gtest/gtest.h>

#include <limits>

#include "replica.h"
#include "service_test_support.h"

namespace kahuna::services {
namespace {

using testing::at;
using testing::Replica;

SequenceCreate seq(std::string name, std::int64_t initial = 0, std::int64_t increment = 1,
                   std::optional<std::int64_t> max = std::nullopt,
                   std::optional<std::int64_t> block = std::nullopt) {
  return SequenceCreate{std::move(name), initial, increment, max, block};
}

TEST(Sequences, CreateAndGet) {
  Replica r;
  const auto created = r.seq(100, seq("invoices", 5, 2, 1000, 50));
  EXPECT_EQ(created.code, SequenceCode::kSuccess);
  EXPECT_EQ(created.revision, 0);
  const auto got = r.seq_get("invoices");
  EXPECT_EQ(got.code, SequenceCode::kSuccess);
  ASSERT_TRUE(got.sequence.has_value());
  EXPECT_EQ(got.sequence->name, "invoices");
  EXPECT_EQ(got.sequence->current_value, 5);
  EXPECT_EQ(got.sequence->initial_value, 5);
  EXPECT_EQ(got.sequence->increment, 2);
  EXPECT_EQ(got.sequence->max_value, 1000);
  EXPECT_EQ(got.sequence->block_size, 50);
  EXPECT_EQ(got.sequence->incarnation, 0);
  EXPECT_EQ(got.sequence->revision, 0);
  EXPECT_EQ(got.sequence->created_at, at(100));
  EXPECT_EQ(got.sequence->updated_at, at(100));
}

TEST(Sequences, CreateTwiceIsAlreadyExists) {
  Replica r;
  r.seq(1, seq("s"));
  EXPECT_EQ(r.seq(2, seq("s")).code, SequenceCode::kAlreadyExists);
}

TEST(Sequences, GetUnknownIsNotFoundWithRevisionMinusOne) {
  Replica r;
  const auto reply = r.seq_get("nope");
  EXPECT_EQ(reply.code, SequenceCode::kNotFound);
  EXPECT_EQ(reply.revision, -1);
  EXPECT_FALSE(reply.sequence.has_value());
}

TEST(Sequences, InvalidCreates) {
  Replica r;
  EXPECT_EQ(r.seq(1, seq("")).code, SequenceCode::kInvalidInput);
  EXPECT_EQ(r.seq(1, seq("   ")).code, SequenceCode::kInvalidInput);
  EXPECT_EQ(r.seq(1, seq("__kahuna:s")).code, SequenceCode::kInvalidInput);
  EXPECT_EQ(r.seq(1, seq("s", 0, 0)).code, SequenceCode::kInvalidInput);
  EXPECT_EQ(r.seq(1, seq("s", 0, -1)).code, SequenceCode::kInvalidInput);
  EXPECT_EQ(r.seq(1, seq("s", 10, 1, 9)).code, SequenceCode::kInvalidInput);
  EXPECT_EQ(r.seq(1, seq("s", 0, 1, std::nullopt, 0)).code, SequenceCode::kInvalidInput);
  EXPECT_EQ(r.state().size(), 0u);
  EXPECT_EQ(r.seq_get("").code, SequenceCode::kInvalidInput);
}

TEST(Sequences, NextStartsAboveTheInitialValue) {
  Replica r;
  r.seq(1, seq("s", 0, 1));
  const auto first = r.seq(2, SequenceNext{"s", std::nullopt});
  EXPECT_EQ(first.code, SequenceCode::kSuccess);
  EXPECT_EQ(first.allocation, (SequenceAllocation{"s", 1, 1, 1, 1}));
  EXPECT_EQ(first.revision, 1);
  EXPECT_EQ(r.seq(3, SequenceNext{"s", std::nullopt}).allocation.start, 2);
  EXPECT_EQ(r.seq_get("s").sequence->current_value, 2);
}

TEST(Sequences, ReserveRangeIsContiguous) {
  Replica r;
  r.seq(1, seq("s", 100, 10));
  const auto range = r.seq(2, SequenceReserveRange{"s", 5, std::nullopt});
  EXPECT_EQ(range.allocation, (SequenceAllocation{"s", 110, 150, 5, 1}));
  EXPECT_EQ(r.seq(3, SequenceReserveRange{"s", 1, std::nullopt}).allocation.start, 160);
}

TEST(Sequences, MaxValueExceededConsumesNothing) {
  Replica r;
  r.seq(1, seq("s", 0, 1, 2));
  EXPECT_EQ(r.seq(2, SequenceNext{"s", std::nullopt}).allocation.start, 1);
  EXPECT_EQ(r.seq(3, SequenceNext{"s", std::nullopt}).allocation.start, 2);
  const auto third = r.seq(4, SequenceNext{"s", std::nullopt});
  EXPECT_EQ(third.code, SequenceCode::kMaxValueExceeded);
  EXPECT_EQ(third.allocation, SequenceAllocation{});
  // A range that does not fit consumes nothing either.
  r.seq(5, seq("t", 0, 1, 10));
  EXPECT_EQ(r.seq(6, SequenceReserveRange{"t", 11, std::nullopt}).code, SequenceCode::kMaxValueExceeded);
  EXPECT_EQ(r.seq(7, SequenceReserveRange{"t", 10, std::nullopt}).allocation,
            (SequenceAllocation{"t", 1, 10, 10, 1}));
}

TEST(Sequences, TheInt64RangeIsAnImplicitMaximum) {
  Replica r;
  const auto max = std::numeric_limits<std::int64_t>::max();
  r.seq(1, seq("s", max - 3, 2));
  EXPECT_EQ(r.seq(2, SequenceReserveRange{"s", 1, std::nullopt}).allocation.end, max - 1);
  EXPECT_EQ(r.seq(3, SequenceReserveRange{"s", 1, std::nullopt}).code, SequenceCode::kMaxValueExceeded);
  // A negative start with a huge span still computes exactly.
  r.seq(4, seq("wide", std::numeric_limits<std::int64_t>::min(), 1));
  const auto wide = r.seq(5, SequenceReserveBlock{"wide", 1, max});
  EXPECT_EQ(wide.code, SequenceCode::kSuccess);
  EXPECT_EQ(wide.leftover.end, std::numeric_limits<std::int64_t>::min() + max);
}

TEST(Sequences, NotFoundAndInvalidCounts) {
  Replica r;
  EXPECT_EQ(r.seq(1, SequenceNext{"x", std::nullopt}).code, SequenceCode::kNotFound);
  EXPECT_EQ(r.seq(1, SequenceReserveRange{"x", 2, std::nullopt}).code, SequenceCode::kNotFound);
  EXPECT_EQ(r.seq(1, SequenceReserveBlock{"x", 2, 10}).code, SequenceCode::kNotFound);
  EXPECT_EQ(r.seq(1, SequenceDelete{"x"}).code, SequenceCode::kNotFound);
  EXPECT_EQ(r.seq(1, SequenceUpdate{"x", 5}).code, SequenceCode::kNotFound);
  r.seq(1, seq("s"));
  EXPECT_EQ(r.seq(2, SequenceReserveRange{"s", 0, std::nullopt}).code, SequenceCode::kInvalidInput);
  EXPECT_EQ(r.seq(2, SequenceReserveRange{"s", -3, std::nullopt}).code, SequenceCode::kInvalidInput);
  EXPECT_EQ(r.seq(2, SequenceReserveBlock{"s", 0, 10}).code, SequenceCode::kInvalidInput);
}

TEST(Sequences, ReserveBlockRaisesTheMarkAndSplitsTheBlock) {
  Replica r;
  r.seq(1, seq("s", 0, 1));
  const auto block = r.seq(2, SequenceReserveBlock{"s", 10, 1000});
  EXPECT_EQ(block.code, SequenceCode::kSuccess);
  EXPECT_EQ(block.revision, 1);
  EXPECT_EQ(block.increment, 1);
  EXPECT_EQ(block.allocation, (SequenceAllocation{"s", 1, 10, 10, 1}));
  EXPECT_EQ(block.leftover, (SequenceAllocation{"s", 11, 1000, 990, 1}));
  const auto got = r.seq_get("s");
  EXPECT_EQ(got.sequence->current_value, 1000);
  EXPECT_EQ(got.revision, 1);
}

TEST(Sequences, ReserveBlockUsesTheSequencesOwnBlockSize) {
  Replica r;
  r.seq(1, seq("s", 0, 5, std::nullopt, 4));
  const auto block = r.seq(2, SequenceReserveBlock{"s", 1, 1000});
  EXPECT_EQ(block.allocation, (SequenceAllocation{"s", 5, 5, 1, 1}));
  EXPECT_EQ(block.leftover, (SequenceAllocation{"s", 10, 20, 3, 1}));
  // A request bigger than the block gets a block of its own size.
  const auto big = r.seq(3, SequenceReserveBlock{"s", 6, 1000});
  EXPECT_EQ(big.allocation, (SequenceAllocation{"s", 25, 50, 6, 2}));
  EXPECT_EQ(big.leftover.count, 0);
}

TEST(Sequences, ABlockStopsAtMaxValue) {
  Replica r;
  r.seq(1, seq("s", 0, 1, 5));
  const auto block = r.seq(2, SequenceReserveBlock{"s", 2, 1000});
  EXPECT_EQ(block.allocation, (SequenceAllocation{"s", 1, 2, 2, 1}));
  EXPECT_EQ(block.leftover, (SequenceAllocation{"s", 3, 5, 3, 1}));
  EXPECT_EQ(r.seq(3, SequenceReserveBlock{"s", 1, 1000}).code, SequenceCode::kMaxValueExceeded);
}

TEST(Sequences, UpdateChangesSettingsAndIncarnation) {
  Replica r;
  r.seq(1, seq("s", 0, 1));
  SequenceUpdate update{"s"};
  update.current_value = 5000;
  update.increment = 10;
  const auto updated = r.seq(2, update);
  EXPECT_EQ(updated.code, SequenceCode::kSuccess);
  EXPECT_EQ(updated.revision, 1);
  const auto got = r.seq_get("s");
  EXPECT_EQ(got.sequence->incarnation, 1);
  EXPECT_EQ(got.sequence->updated_at, at(2));
  EXPECT_EQ(r.seq(3, SequenceNext{"s", std::nullopt}).allocation.start, 5010);
}

TEST(Sequences, UpdateOptionalFieldsAndRemoveFlags) {
  Replica r;
  r.seq(1, seq("s", 0, 1, 100, 10));
  SequenceUpdate remove{"s"};
  remove.remove_max_value = true;
  remove.remove_block_size = true;
  EXPECT_EQ(r.seq(2, remove).code, SequenceCode::kSuccess);
  auto got = r.seq_get("s").sequence;
  EXPECT_FALSE(got->max_value.has_value());
  EXPECT_FALSE(got->block_size.has_value());
  SequenceUpdate set{"s"};
  set.max_value = 50;
  set.block_size = 7;
  set.initial_value = 3;
  EXPECT_EQ(r.seq(3, set).code, SequenceCode::kSuccess);
  got = r.seq_get("s").sequence;
  EXPECT_EQ(got->max_value, 50);
  EXPECT_EQ(got->block_size, 7);
  EXPECT_EQ(got->initial_value, 3);
  EXPECT_EQ(got->incarnation, 2);
}

TEST(Sequences, InvalidUpdates) {
  Replica r;
  r.seq(1, seq("s", 10, 1));
  EXPECT_EQ(r.seq(2, SequenceUpdate{"s"}).code, SequenceCode::kInvalidInput);  // nothing to change
  SequenceUpdate both{"s"};
  both.max_value = 100;
  both.remove_max_value = true;
  EXPECT_EQ(r.seq(2, both).code, SequenceCode::kInvalidInput);
  SequenceUpdate both_block{"s"};
  both_block.block_size = 5;
  both_block.remove_block_size = true;
  EXPECT_EQ(r.seq(2, both_block).code, SequenceCode::kInvalidInput);
  SequenceUpdate zero_step{"s"};
  zero_step.increment = 0;
  EXPECT_EQ(r.seq(2, zero_step).code, SequenceCode::kInvalidInput);
  SequenceUpdate low_max{"s"};
  low_max.max_value = 5;  // below initial 10
  EXPECT_EQ(r.seq(2, low_max).code, SequenceCode::kInvalidInput);
  SequenceUpdate zero_block{"s"};
  zero_block.block_size = 0;
  EXPECT_EQ(r.seq(2, zero_block).code, SequenceCode::kInvalidInput);
  EXPECT_EQ(r.seq_get("s").sequence->incarnation, 0);
}

TEST(Sequences, DeleteAndRecreate) {
  Replica r;
  r.seq(1, seq("s"));
  r.seq(2, SequenceReserveRange{"s", 3, std::string("key")});
  EXPECT_EQ(r.seq(3, SequenceDelete{"s"}).code, SequenceCode::kSuccess);
  EXPECT_EQ(r.seq_get("s").code, SequenceCode::kNotFound);
  EXPECT_EQ(r.seq(4, SequenceDelete{"s"}).code, SequenceCode::kNotFound);
  // Nothing of it is left: record and idempotency keys alike.
  EXPECT_EQ(r.state().size(), 0u);
  EXPECT_EQ(r.seq(5, seq("s")).code, SequenceCode::kSuccess);
  // The old idempotency key means nothing to the new sequence.
  EXPECT_EQ(r.seq(6, SequenceReserveRange{"s", 3, std::string("key")}).allocation.start, 1);
}

TEST(Sequences, IdempotentRetriesGetTheSameAllocation) {
  Replica r;
  r.seq(1, seq("s"));
  const auto first = r.seq(2, SequenceReserveRange{"s", 10, std::string("req-81c2")});
  EXPECT_EQ(first.allocation, (SequenceAllocation{"s", 1, 10, 10, 1}));
  r.seq(3, SequenceNext{"s", std::nullopt});  // someone else takes 11
  const auto retry = r.seq(4, SequenceReserveRange{"s", 10, std::string("req-81c2")});
  EXPECT_EQ(retry.code, SequenceCode::kSuccess);
  EXPECT_EQ(retry.allocation, first.allocation);
  EXPECT_EQ(retry.revision, first.revision);
  // The retry consumed nothing.
  EXPECT_EQ(r.seq(5, SequenceNext{"s", std::nullopt}).allocation.start, 12);
  // Same key with another count: invalidInput.
  EXPECT_EQ(r.seq(6, SequenceReserveRange{"s", 3, std::string("req-81c2")}).code,
            SequenceCode::kInvalidInput);
  // next with a key is a reserve of one.
  const auto next = r.seq(7, SequenceNext{"s", std::string("n-1")});
  EXPECT_EQ(r.seq(8, SequenceNext{"s", std::string("n-1")}).allocation, next.allocation);
  EXPECT_EQ(r.seq(9, SequenceReserveRange{"s", 1, std::string("n-1")}).allocation, next.allocation);
}

TEST(Sequences, IdempotencyKeysArePerSequenceAndAnEmptyKeyIsNone) {
  Replica r;
  r.seq(1, seq("a"));
  r.seq(1, seq("b", 100));
  const auto a = r.seq(2, SequenceNext{"a", std::string("k")});
  const auto b = r.seq(3, SequenceNext{"b", std::string("k")});
  EXPECT_EQ(a.allocation.start, 1);
  EXPECT_EQ(b.allocation.start, 101);
  EXPECT_EQ(r.seq(4, SequenceNext{"a", std::string()}).allocation.start, 2);
  EXPECT_EQ(r.seq(5, SequenceNext{"a", std::string()}).allocation.start, 3);
}

TEST(Sequences, TooLongIdempotencyKeyIsInvalid) {
  Replica r;
  r.seq(1, seq("s"));
  EXPECT_EQ(r.seq(2, SequenceNext{"s", std::string(1025, 'k')}).code, SequenceCode::kInvalidInput);
  EXPECT_EQ(r.seq(2, SequenceNext{"s", std::string(1024, 'k')}).code, SequenceCode::kSuccess);
}

TEST(Sequences, IdempotencyTableIsBoundedByCapacity) {
  ServiceOptions options;
  options.sequences.idempotency_capacity = 3;
  Replica r(7, options);
  r.seq(1, seq("s"));
  std::vector<SequenceAllocation> got;
  for (int i = 0; i < 5; ++i)
    got.push_back(r.seq(2 + i, SequenceNext{"s", "k" + std::to_string(i)}).allocation);
  // k2..k4 remembered; k0 and k1 forgotten, so a late retry gets new values.
  for (int i = 2; i < 5; ++i) {
    EXPECT_EQ(r.seq(10, SequenceNext{"s", "k" + std::to_string(i)}).allocation, got[i]) << i;
  }
  EXPECT_NE(r.seq(11, SequenceNext{"s", std::string("k0")}).allocation, got[0]);
  // Record + entries + order entries: never more than capacity keys.
  const auto& layout = r.machine().sequences().layout();
  const KeyRange entries = layout.idempotency_range("s");
  EXPECT_EQ(testing::records_in(r.state(), entries), 3);
}

TEST(Sequences, IdempotencyKeysAgeOutAfterTheRetention) {
  ServiceOptions options;
  options.sequences.idempotency_retention_ms = 1000;
  Replica r(7, options);
  r.seq(1, seq("s"));
  const auto first = r.seq(100, SequenceNext{"s", std::string("old")});
  EXPECT_EQ(r.seq(1099, SequenceNext{"s", std::string("old")}).allocation, first.allocation);
  // Any keyed allocation after the retention forgets it.
  r.seq(1100, SequenceNext{"s", std::string("new")});
  EXPECT_NE(r.seq(1101, SequenceNext{"s", std::string("old")}).allocation, first.allocation);
}

TEST(Sequences, DefaultRetentionIsTenMinutes) {
  Replica r;
  r.seq(1, seq("s"));
  const auto first = r.seq(1000, SequenceNext{"s", std::string("key")});
  r.seq(1000 + 599'999, SequenceNext{"s", std::string("other")});
  EXPECT_EQ(r.seq(1000 + 599'999, SequenceNext{"s", std::string("key")}).allocation, first.allocation);
}

TEST(Sequences, CodesMapToTheProtocolNumbers) {
  testing::expect_protocol_numbers(
      {SequenceCode::kSuccess, SequenceCode::kNotFound, SequenceCode::kAlreadyExists,
       SequenceCode::kInvalidInput, SequenceCode::kMaxValueExceeded, SequenceCode::kMustRetry,
       SequenceCode::kAborted, SequenceCode::kError},
      {0, 1, 2, 3, 4, 5, 6, 99});
  EXPECT_EQ(to_string(SequenceCode::kMaxValueExceeded), "maxValueExceeded");
}

}  // namespace
}  // namespace kahuna::services
