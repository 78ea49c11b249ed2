// Every lock operation of the SDK and its reply codes, against one node.
#include <thread>

#include "single_node.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

class SdkLocksTest : public SingleNodeTest {};

TEST_F(SdkLocksTest, TryLockGrantsTokensThatGrowAndRefusesOtherOwners) {
  auto first = client().try_lock("locks/a", "owner-a", 10s);
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(first->code, LockCode::kLocked);
  EXPECT_EQ(first->fencing_token, 0) << "the first grant of a resource is token 0";

  auto again = client().try_lock("locks/a", "owner-a", 10s);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->code, LockCode::kLocked) << "the same owner re-locks";
  EXPECT_EQ(again->fencing_token, first->fencing_token);

  auto other = client().try_lock("locks/a", "owner-b", 10s);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->code, LockCode::kBusy);

  auto unlocked = client().unlock("locks/a", "owner-a");
  ASSERT_TRUE(unlocked);
  EXPECT_EQ(unlocked->code, LockCode::kUnlocked);

  auto next = client().try_lock("locks/a", "owner-b", 10s);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->code, LockCode::kLocked);
  EXPECT_EQ(next->fencing_token, first->fencing_token + 1);
}

TEST_F(SdkLocksTest, ExtendUnlockAndGetLockCheckTheOwner) {
  ASSERT_EQ(client().try_lock("locks/b", "owner-a", 10s)->code, LockCode::kLocked);

  auto info = client().get_lock("locks/b");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->code, LockCode::kGot);
  EXPECT_EQ(info->owner, std::optional<std::string>("owner-a"));
  const auto first_expiry = info->expires.physical;

  auto extended = client().extend_lock("locks/b", "owner-a", 60s);
  ASSERT_TRUE(extended);
  EXPECT_EQ(extended->code, LockCode::kExtended);
  EXPECT_GT(client().get_lock("locks/b")->expires.physical, first_expiry);

  EXPECT_EQ(client().extend_lock("locks/b", "owner-b", 10s)->code, LockCode::kInvalidOwner);
  EXPECT_EQ(client().unlock("locks/b", "owner-b")->code, LockCode::kInvalidOwner);
  EXPECT_EQ(client().unlock("locks/b", "owner-a")->code, LockCode::kUnlocked);
  EXPECT_EQ(client().unlock("locks/b", "owner-a")->code, LockCode::kLockDoesNotExist);
  EXPECT_EQ(client().extend_lock("locks/b", "owner-a", 10s)->code, LockCode::kLockDoesNotExist);

  auto gone = client().get_lock("locks/b");
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->code, LockCode::kLockDoesNotExist);
  EXPECT_FALSE(gone->owner.has_value());
}

TEST_F(SdkLocksTest, EphemeralAndPersistentLocksOfOneNameAreIndependent) {
  LockOptions ephemeral;
  ephemeral.durability = Durability::kEphemeral;
  EXPECT_EQ(client().try_lock("locks/c", "owner-a", 10s, ephemeral)->code, LockCode::kLocked);
  EXPECT_EQ(client().try_lock("locks/c", "owner-b", 10s)->code, LockCode::kLocked);
  EXPECT_EQ(client().try_lock("locks/c", "owner-b", 10s, ephemeral)->code, LockCode::kBusy);
}

TEST_F(SdkLocksTest, InvalidInputIsAnOutcomeNotAnError) {
  auto reply = client().try_lock("", "owner-a", 10s);
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->code, LockCode::kInvalidInput);
  EXPECT_EQ(client().try_lock("locks/d", "", 10s)->code, LockCode::kInvalidInput);
}

TEST_F(SdkLocksTest, AcquireWithWaitGetsTheLockWhenTheHolderLetsGo) {
  ASSERT_EQ(client().try_lock("locks/e", "holder", 10s)->code, LockCode::kLocked);
  std::thread releaser([this] {
    std::this_thread::sleep_for(300ms);
    (void)client().unlock("locks/e", "holder");
  });
  const auto started = std::chrono::steady_clock::now();
  auto waited = client().acquire_lock("locks/e", "waiter", 10s, 5s);
  releaser.join();
  ASSERT_TRUE(waited) << waited.error().to_string();
  EXPECT_EQ(waited->code, LockCode::kLocked);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 250ms);

  auto busy = client().acquire_lock("locks/e", "third", 10s, 200ms);
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->code, LockCode::kBusy) << "busy once the wait has passed";
}

}  // namespace
}  // namespace kahuna::client::testing
