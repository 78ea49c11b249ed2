// Sequences through KernelApi on a one-node kernel.
#include "kernel_fixture.h"

namespace kahuna::testing {
namespace {

TEST_F(KernelTest, SequencesHandOutUniqueAscendingValues) {
  start();
  ASSERT_EQ(run(kernel().sequence_create(SequenceCreateRequest{"ids", 0, 1}, {})).reply.code,
            SequenceCode::kSuccess);
  EXPECT_EQ(run(kernel().sequence_create(SequenceCreateRequest{"ids", 0, 1}, {})).reply.code,
            SequenceCode::kAlreadyExists);
  std::int64_t last = 0;
  for (int i = 0; i < 5; ++i) {
    auto next = run(kernel().sequence_reserve(SequenceReserveRequest{"ids", 1, std::nullopt}, {}));
    ASSERT_EQ(next.reply.code, SequenceCode::kSuccess);
    EXPECT_EQ(next.reply.allocation.start, last + 1);
    last = next.reply.allocation.start;
  }
  auto range = run(kernel().sequence_reserve(SequenceReserveRequest{"ids", 10, std::nullopt}, {}));
  ASSERT_EQ(range.reply.code, SequenceCode::kSuccess);
  EXPECT_EQ(range.reply.allocation.count, 10);
  EXPECT_GT(range.reply.allocation.start, last);
  EXPECT_EQ(range.reply.allocation.end, range.reply.allocation.start + 9);

  auto info = run(kernel().sequence_get("ids", {}));
  ASSERT_EQ(info.reply.code, SequenceCode::kSuccess);
  ASSERT_TRUE(info.reply.sequence.has_value());
  EXPECT_GE(info.reply.sequence->current_value, range.reply.allocation.end);
  EXPECT_EQ(run(kernel().sequence_get("nope", {})).reply.code, SequenceCode::kNotFound);
}

TEST_F(KernelTest, AnIdempotentRetryGetsTheSameAllocation) {
  start();
  ASSERT_EQ(run(kernel().sequence_create(SequenceCreateRequest{"orders", 100, 5}, {})).reply.code,
            SequenceCode::kSuccess);
  auto first = run(kernel().sequence_reserve(SequenceReserveRequest{"orders", 3, "request-1"}, {}));
  ASSERT_EQ(first.reply.code, SequenceCode::kSuccess);
  EXPECT_EQ(first.reply.allocation.start, 105);
  EXPECT_EQ(first.reply.allocation.end, 115);
  auto retry = run(kernel().sequence_reserve(SequenceReserveRequest{"orders", 3, "request-1"}, {}));
  EXPECT_EQ(retry.reply.allocation, first.reply.allocation);
  EXPECT_EQ(run(kernel().sequence_reserve(SequenceReserveRequest{"orders", 4, "request-1"}, {})).reply.code,
            SequenceCode::kInvalidInput);
}

TEST_F(KernelTest, MaxValueUpdateAndDelete) {
  start();
  SequenceCreateRequest bounded{"small", 0, 1, 2};
  ASSERT_EQ(run(kernel().sequence_create(bounded, {})).reply.code, SequenceCode::kSuccess);
  EXPECT_EQ(run(kernel().sequence_reserve(SequenceReserveRequest{"small", 1, std::nullopt}, {}))
                .reply.allocation.start,
            1);
  EXPECT_EQ(run(kernel().sequence_reserve(SequenceReserveRequest{"small", 1, std::nullopt}, {}))
                .reply.allocation.start,
            2);
  EXPECT_EQ(run(kernel().sequence_reserve(SequenceReserveRequest{"small", 1, std::nullopt}, {})).reply.code,
            SequenceCode::kMaxValueExceeded);

  SequenceUpdateRequest update{"small"};
  update.current_value = 5000;
  update.increment = 10;
  update.remove_max_value = true;
  ASSERT_EQ(run(kernel().sequence_update(update, {})).reply.code, SequenceCode::kSuccess);
  EXPECT_EQ(run(kernel().sequence_reserve(SequenceReserveRequest{"small", 1, std::nullopt}, {}))
                .reply.allocation.start,
            5010);
  EXPECT_EQ(run(kernel().sequence_delete("small", {})).reply.code, SequenceCode::kSuccess);
  EXPECT_EQ(run(kernel().sequence_reserve(SequenceReserveRequest{"small", 1, std::nullopt}, {})).reply.code,
            SequenceCode::kNotFound);
}

}  // namespace
}  // namespace kahuna::testing
