// Locks through KernelApi on a one-node kernel: both durabilities, owner
// checks, fencing tokens, and acquire-with-wait.
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "kernel_requests.h"

namespace kahuna::testing {
namespace {

using namespace std::chrono_literals;

LockRequest lock_request(std::string resource, std::string owner, std::int64_t ms, Durability durability) {
  return LockRequest{std::move(resource), std::move(owner), ms, durability};
}

class KernelLocks : public KernelTest, public ::testing::WithParamInterface<Durability> {};

TEST_P(KernelLocks, TokensOwnersAndRelease) {
  start();
  const Durability d = GetParam();
  auto first = run(kernel().try_lock(lock_request("orders/1", "alice", 10000, d), {}));
  ASSERT_EQ(first.reply.code, LockCode::kLocked);
  EXPECT_EQ(first.route.provenance, RouteProvenance::kLocal);
  EXPECT_EQ(first.route.partition, kernel().partition_of_lock("orders/1"));
  EXPECT_EQ(first.route.leader, 1u);

  // The live holder re-acquiring keeps its token; anybody else is busy.
  auto again = run(kernel().try_lock(lock_request("orders/1", "alice", 10000, d), {}));
  EXPECT_EQ(again.reply.code, LockCode::kLocked);
  EXPECT_EQ(again.reply.fencing_token, first.reply.fencing_token);
  EXPECT_EQ(run(kernel().try_lock(lock_request("orders/1", "bob", 10000, d), {})).reply.code,
            LockCode::kBusy);

  auto info = run(kernel().get_lock(lock_request("orders/1", "", 0, d), {}));
  EXPECT_EQ(info.reply.code, LockCode::kGot);
  EXPECT_EQ(info.reply.owner, "alice");
  EXPECT_EQ(info.reply.fencing_token, first.reply.fencing_token);

  EXPECT_EQ(run(kernel().try_extend(lock_request("orders/1", "bob", 5000, d), {})).reply.code,
            LockCode::kInvalidOwner);
  EXPECT_EQ(run(kernel().try_extend(lock_request("orders/1", "alice", 20000, d), {})).reply.code,
            LockCode::kExtended);
  EXPECT_EQ(run(kernel().unlock(lock_request("orders/1", "bob", 0, d), {})).reply.code,
            LockCode::kInvalidOwner);
  EXPECT_EQ(run(kernel().unlock(lock_request("orders/1", "alice", 0, d), {})).reply.code,
            LockCode::kUnlocked);
  EXPECT_EQ(run(kernel().get_lock(lock_request("orders/1", "", 0, d), {})).reply.code,
            LockCode::kLockDoesNotExist);

  // A new grant gets a strictly greater token.
  auto next = run(kernel().try_lock(lock_request("orders/1", "bob", 10000, d), {}));
  ASSERT_EQ(next.reply.code, LockCode::kLocked);
  EXPECT_GT(next.reply.fencing_token, first.reply.fencing_token);
}

TEST_P(KernelLocks, InvalidInputIsRefused) {
  start();
  const Durability d = GetParam();
  EXPECT_EQ(run(kernel().try_lock(lock_request("", "alice", 1000, d), {})).reply.code,
            LockCode::kInvalidInput);
  EXPECT_EQ(run(kernel().try_lock(lock_request("r", "", 1000, d), {})).reply.code, LockCode::kInvalidInput);
  EXPECT_EQ(run(kernel().try_lock(lock_request("r", "alice", 0, d), {})).reply.code, LockCode::kInvalidInput);
  EXPECT_EQ(run(kernel().try_lock(lock_request("__kahuna:x", "alice", 1000, d), {})).reply.code,
            LockCode::kInvalidInput);
}

TEST_P(KernelLocks, AWaiterIsGrantedWhenTheHolderUnlocks) {
  start();
  const Durability d = GetParam();
  ASSERT_EQ(run(kernel().try_lock(lock_request("jobs", "alice", 60000, d), {})).reply.code,
            LockCode::kLocked);
  // Bob waits up to 20 s; alice's lease lasts 60 s, so only the release can
  // grant bob the lock within his wait.
  auto waiting = asio::co_spawn(node_->io(), kernel().lock(lock_request("jobs", "bob", 60000, d), 20s, {}),
                                asio::use_future);
  std::this_thread::sleep_for(100ms);
  ASSERT_EQ(waiting.wait_for(0s), std::future_status::timeout) << "bob must wait while alice holds the lock";
  ASSERT_EQ(run(kernel().unlock(lock_request("jobs", "alice", 0, d), {})).reply.code, LockCode::kUnlocked);
  ASSERT_EQ(waiting.wait_for(10s), std::future_status::ready) << "the release must wake bob";
  auto granted = waiting.get();
  EXPECT_EQ(granted.reply.code, LockCode::kLocked);
  EXPECT_EQ(run(kernel().get_lock(lock_request("jobs", "", 0, d), {})).reply.owner, "bob");
}

TEST_P(KernelLocks, AWaiterIsGrantedWhenTheLeaseExpires) {
  start();
  const Durability d = GetParam();
  ASSERT_EQ(run(kernel().try_lock(lock_request("lease", "alice", 300, d), {})).reply.code, LockCode::kLocked);
  auto granted = run(kernel().lock(lock_request("lease", "bob", 10000, d), 20s, {}));
  EXPECT_EQ(granted.reply.code, LockCode::kLocked);
}

TEST_P(KernelLocks, AWaitThatRunsOutIsBusy) {
  start();
  const Durability d = GetParam();
  ASSERT_EQ(run(kernel().try_lock(lock_request("held", "alice", 60000, d), {})).reply.code,
            LockCode::kLocked);
  EXPECT_EQ(run(kernel().lock(lock_request("held", "bob", 10000, d), 200ms, {})).reply.code, LockCode::kBusy);
}

TEST_P(KernelLocks, WaitersAreGrantedInArrivalOrder) {
  start();
  const Durability d = GetParam();
  ASSERT_EQ(run(kernel().try_lock(lock_request("queue", "alice", 60000, d), {})).reply.code,
            LockCode::kLocked);
  std::vector<std::future<Routed<LockReply>>> waiters;
  for (std::string owner : {"w1", "w2", "w3"}) {
    waiters.push_back(asio::co_spawn(
        node_->io(), kernel().lock(lock_request("queue", owner, 60000, d), 20s, {}), asio::use_future));
    std::this_thread::sleep_for(50ms);  // so arrival order is known
  }
  std::string holder = "alice";
  for (std::size_t i = 0; i < waiters.size(); ++i) {
    ASSERT_EQ(run(kernel().unlock(lock_request("queue", holder, 0, d), {})).reply.code, LockCode::kUnlocked);
    ASSERT_EQ(waiters[i].wait_for(10s), std::future_status::ready) << "waiter " << i + 1;
    EXPECT_EQ(waiters[i].get().reply.code, LockCode::kLocked);
    holder = "w" + std::to_string(i + 1);
    EXPECT_EQ(run(kernel().get_lock(lock_request("queue", "", 0, d), {})).reply.owner, holder);
  }
}

INSTANTIATE_TEST_SUITE_P(Durabilities, KernelLocks, both_durabilities(), durability_name);

TEST_F(KernelTest, EphemeralAndPersistentLocksOfOneNameAreIndependent) {
  start();
  ASSERT_EQ(run(kernel().try_lock(lock_request("r", "alice", 10000, Durability::kPersistent), {})).reply.code,
            LockCode::kLocked);
  EXPECT_EQ(run(kernel().try_lock(lock_request("r", "bob", 10000, Durability::kEphemeral), {})).reply.code,
            LockCode::kLocked);
}

}  // namespace
}  // namespace kahuna::testing
