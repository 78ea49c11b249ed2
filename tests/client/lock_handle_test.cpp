// LockHandle: acquired, kept past its lease by background extends, released
// on destruction or release(), reported lost when its lease is taken away.
#include <atomic>
#include <thread>

#include "single_node.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

class LockHandleTest : public SingleNodeTest {};

TEST_F(LockHandleTest, ExtendsItsLeaseInTheBackgroundAndReleasesOnDestruction) {
  {
    auto handle = client().lock("handles/a", 600ms);
    ASSERT_TRUE(handle) << handle.error().to_string();
    ASSERT_TRUE(handle->owns_lock());
    EXPECT_EQ(handle->code(), LockCode::kLocked);
    EXPECT_EQ(handle->resource(), "handles/a");
    EXPECT_EQ(handle->owner().size(), 32u) << "a generated owner";

    // Four leases long: without the background extends it would have expired.
    for (int i = 0; i < 12; ++i) {
      std::this_thread::sleep_for(200ms);
      auto other = client().try_lock("handles/a", "someone-else", 10s);
      ASSERT_TRUE(other);
      ASSERT_EQ(other->code, LockCode::kBusy) << "after " << (i + 1) * 200 << " ms";
    }
    EXPECT_TRUE(handle->owns_lock());
    EXPECT_FALSE(handle->lost());
    auto info = client().get_lock("handles/a");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->owner, std::optional<std::string>(handle->owner()));
    EXPECT_EQ(info->fencing_token, handle->fencing_token());
  }
  // The blocking client's handle waits for its unlock when destroyed.
  auto after = client().get_lock("handles/a");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->code, LockCode::kLockDoesNotExist);
}

TEST_F(LockHandleTest, ReleaseUnlocksOnceAndTheNextHolderGetsANewToken) {
  auto handle = client().lock("handles/b", 5s);
  ASSERT_TRUE(handle);
  ASSERT_TRUE(handle->owns_lock());
  const auto token = handle->fencing_token();

  auto released = handle->release();
  ASSERT_TRUE(released);
  EXPECT_EQ(released->code, LockCode::kUnlocked);
  EXPECT_FALSE(handle->owns_lock());
  EXPECT_EQ(handle->release()->code, LockCode::kLockDoesNotExist);

  auto next = client().lock("handles/b", 5s);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->fencing_token(), token + 1);
}

TEST_F(LockHandleTest, AHandleOnABusyLockOwnsNothing) {
  ASSERT_EQ(client().try_lock("handles/c", "holder", 10s)->code, LockCode::kLocked);
  auto handle = client().lock("handles/c", 5s);
  ASSERT_TRUE(handle);
  EXPECT_FALSE(handle->owns_lock());
  EXPECT_EQ(handle->code(), LockCode::kBusy);
}

TEST_F(LockHandleTest, WaitsForTheLockWhenAskedTo) {
  ASSERT_EQ(client().try_lock("handles/d", "holder", 10s)->code, LockCode::kLocked);
  std::thread releaser([this] {
    std::this_thread::sleep_for(300ms);
    (void)client().unlock("handles/d", "holder");
  });
  auto handle = client().lock("handles/d", 5s, 5s);
  releaser.join();
  ASSERT_TRUE(handle) << handle.error().to_string();
  EXPECT_TRUE(handle->owns_lock());
}

TEST_F(LockHandleTest, ReportsLossWhenAnExtendIsRefused) {
  std::atomic<int> lost_calls{0};
  LockHandleOptions options;
  options.owner = "shared-owner";
  options.on_lost = [&lost_calls] { ++lost_calls; };
  auto handle = client().lock("handles/e", 600ms, 0ms, options);
  ASSERT_TRUE(handle);
  ASSERT_TRUE(handle->owns_lock());

  // Someone with the same owner bytes unlocks behind the handle's back: the
  // next extend finds no lock.
  ASSERT_EQ(client().unlock("handles/e", "shared-owner")->code, LockCode::kUnlocked);
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (!handle->lost() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(handle->lost());
  EXPECT_FALSE(handle->owns_lock());
  EXPECT_EQ(lost_calls.load(), 1);
}

}  // namespace
}  // namespace kahuna::client::testing
