// Request ids through KernelApi on a one-node kernel: a write resent with
// its id reports what its first send did and applies nothing more — point
// writes, batch rows, locks acquired with a wait, sequences served from the
// leader's block — also across a restart; reads ignore ids.
#include "kernel_requests.h"

namespace kahuna::testing {
namespace {

using namespace std::chrono_literals;

CallOptions with_id(std::uint64_t client, std::uint64_t sequence) {
  CallOptions options;
  options.request_id = RequestId{client, sequence, 0};
  return options;
}

class KernelRequestIds : public KernelTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(KernelRequestIds, AResentWriteReportsItsFirstOutcomeEvenAfterARestart) {
  start(GetParam());
  ASSERT_EQ(run(kernel().kv_set(set_request("k", "a"), {})).reply.code, KvCode::kSet);
  const KvReply first = run(kernel().kv_set(cas_request("k", "a", "b"), with_id(77, 1))).reply;
  ASSERT_EQ(first.code, KvCode::kSet);
  EXPECT_EQ(run(kernel().kv_set(cas_request("k", "a", "b"), with_id(77, 1))).reply, first);

  restart();
  EXPECT_EQ(run(kernel().kv_set(cas_request("k", "a", "b"), with_id(77, 1))).reply, first);
  // The key was written once: revision 1 is the CAS, nothing after it.
  const KvReply now = run(kernel().kv_get(KvGetRequest{KvGetQuery{"k"}, Durability::kPersistent}, {})).reply;
  EXPECT_EQ(now.revision, first.revision);
  // Without the id the same CAS is a new request, and fails.
  EXPECT_EQ(run(kernel().kv_set(cas_request("k", "a", "b"), with_id(77, 2))).reply.code, KvCode::kNotSet);
}

TEST_P(KernelRequestIds, EachRowOfAResentBatchReportsItsOwnFirstOutcome) {
  start(GetParam());
  std::vector<KvSetRequest> rows{set_request("x", "1"), set_request("y", "1"), set_request("x", "2")};
  const auto first = run(kernel().kv_set_many(rows, with_id(5, 5)));
  const auto resent = run(kernel().kv_set_many(rows, with_id(5, 5)));
  ASSERT_EQ(first.size(), 3u);
  ASSERT_EQ(resent.size(), 3u);
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(resent[i].reply, first[i].reply) << "row " << i;
  EXPECT_EQ(run(kernel().kv_get(KvGetRequest{KvGetQuery{"x"}, Durability::kPersistent}, {})).reply.revision,
            1);
}

TEST_P(KernelRequestIds, AResentUnlockDoesNotReleaseTheNextOwnersLock) {
  start(GetParam());
  LockRequest a{"job", "a", 30000, Durability::kPersistent};
  LockRequest b{"job", "b", 30000, Durability::kPersistent};
  ASSERT_EQ(run(kernel().try_lock(a, {})).reply.code, LockCode::kLocked);
  ASSERT_EQ(run(kernel().unlock(a, with_id(9, 1))).reply.code, LockCode::kUnlocked);
  const LockReply granted = run(kernel().try_lock(b, {})).reply;
  ASSERT_EQ(granted.code, LockCode::kLocked);
  EXPECT_EQ(run(kernel().unlock(a, with_id(9, 1))).reply.code, LockCode::kUnlocked);
  const LockReply holder = run(kernel().get_lock(b, {})).reply;
  EXPECT_EQ(holder.owner, "b");
  EXPECT_EQ(holder.fencing_token, granted.fencing_token);
}

// A lock acquired after waiting, resent: it must not queue behind itself
// (its first send holds the lock) but answer the grant it already got.
TEST_P(KernelRequestIds, AResentWaitingLockGetsItsGrantBack) {
  start(GetParam());
  LockRequest a{"door", "a", 30000, Durability::kPersistent};
  LockRequest b{"door", "b", 30000, Durability::kPersistent};
  ASSERT_EQ(run(kernel().try_lock(a, {})).reply.code, LockCode::kLocked);
  auto waiting = asio::co_spawn(node_->io(), kernel().lock(b, 10s, with_id(3, 3)), asio::use_future);
  std::this_thread::sleep_for(100ms);
  ASSERT_EQ(run(kernel().unlock(a, {})).reply.code, LockCode::kUnlocked);
  const LockReply granted = waiting.get().reply;
  ASSERT_EQ(granted.code, LockCode::kLocked);
  const LockReply resent = run(kernel().lock(b, 1s, with_id(3, 3))).reply;
  EXPECT_EQ(resent, granted);
}

TEST_P(KernelRequestIds, AResentNextGetsTheSameValueFromTheLeadersBlock) {
  start(GetParam());
  ASSERT_EQ(run(kernel().sequence_create(SequenceCreateRequest{"ids"}, {})).reply.code,
            SequenceCode::kSuccess);
  SequenceReserveRequest next{"ids", 1, std::nullopt};
  // The first next reserves a block through Raft; the later ones come from
  // the block in memory. Both kinds must hand a resend the same value.
  const SequenceReply by_raft = run(kernel().sequence_reserve(next, with_id(4, 1))).reply;
  const SequenceReply by_block = run(kernel().sequence_reserve(next, with_id(4, 2))).reply;
  ASSERT_EQ(by_raft.code, SequenceCode::kSuccess);
  ASSERT_EQ(by_block.code, SequenceCode::kSuccess);
  EXPECT_EQ(run(kernel().sequence_reserve(next, with_id(4, 1))).reply.allocation, by_raft.allocation);
  EXPECT_EQ(run(kernel().sequence_reserve(next, with_id(4, 2))).reply.allocation, by_block.allocation);
  EXPECT_EQ(run(kernel().sequence_reserve(next, with_id(4, 3))).reply.allocation.start,
            by_block.allocation.start + 1)
      << "a resend consumed a value";
}

// Writes without an id get one minted per call: two identical calls are
// two requests, both applied.
TEST_P(KernelRequestIds, WritesWithoutAnIdAreEachApplied) {
  start(GetParam());
  ASSERT_EQ(run(kernel().sequence_create(SequenceCreateRequest{"s"}, {})).reply.code, SequenceCode::kSuccess);
  EXPECT_EQ(run(kernel().sequence_create(SequenceCreateRequest{"s"}, {})).reply.code,
            SequenceCode::kAlreadyExists);
}

INSTANTIATE_TEST_SUITE_P(Engines, KernelRequestIds, ::testing::Values("rocksdb", "lmdb"));

}  // namespace
}  // namespace kahuna::testing
