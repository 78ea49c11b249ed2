// What survives a restart of the node: everything persistent, nothing
// ephemeral, and no sequence value handed out twice.
#include "kernel_fixture.h"

namespace kahuna::testing {
namespace {

class KernelRestart : public KernelTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(KernelRestart, PersistentStateSurvivesAndEphemeralStateDoesNot) {
  start(GetParam());
  auto token = run(kernel().try_lock(LockRequest{"res", "alice", 600000, Durability::kPersistent}, {}));
  ASSERT_EQ(token.reply.code, LockCode::kLocked);
  ASSERT_EQ(
      run(kernel().try_lock(LockRequest{"eph", "alice", 600000, Durability::kEphemeral}, {})).reply.code,
      LockCode::kLocked);
  KvSetRequest set;
  set.key = "k";
  set.value = "durable";
  set.durability = Durability::kPersistent;
  ASSERT_EQ(run(kernel().kv_set(set, {})).reply.code, KvCode::kSet);
  ASSERT_EQ(run(kernel().sequence_create(SequenceCreateRequest{"s", 0, 1}, {})).reply.code,
            SequenceCode::kSuccess);
  auto before = run(kernel().sequence_reserve(SequenceReserveRequest{"s", 1, std::nullopt}, {}));
  ASSERT_EQ(before.reply.code, SequenceCode::kSuccess);

  restart();
  auto info = run(kernel().get_lock(LockRequest{"res", "", 0, Durability::kPersistent}, {}));
  EXPECT_EQ(info.reply.code, LockCode::kGot);
  EXPECT_EQ(info.reply.fencing_token, token.reply.fencing_token);
  EXPECT_EQ(run(kernel().get_lock(LockRequest{"eph", "", 0, Durability::kEphemeral}, {})).reply.code,
            LockCode::kLockDoesNotExist);
  EXPECT_EQ(run(kernel().kv_get(KvGetRequest{KvGetQuery{"k"}, Durability::kPersistent}, {})).reply.value,
            "durable");
  auto after = run(kernel().sequence_reserve(SequenceReserveRequest{"s", 1, std::nullopt}, {}));
  ASSERT_EQ(after.reply.code, SequenceCode::kSuccess);
  EXPECT_GT(after.reply.allocation.start, before.reply.allocation.start);

  // After a restart the lock's next grant still gets a greater token.
  ASSERT_EQ(run(kernel().unlock(LockRequest{"res", "alice", 0, Durability::kPersistent}, {})).reply.code,
            LockCode::kUnlocked);
  auto next = run(kernel().try_lock(LockRequest{"res", "bob", 1000, Durability::kPersistent}, {}));
  EXPECT_GT(next.reply.fencing_token, token.reply.fencing_token);
}

INSTANTIATE_TEST_SUITE_P(Engines, KernelRestart, ::testing::Values("rocksdb", "lmdb"));

}  // namespace
}  // namespace kahuna::testing
