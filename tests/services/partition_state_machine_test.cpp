// The partition entry point as the Raft driver uses it: batches of committed
// entries over one overlay, undecodable entries, storage failures half-way,
// snapshots, partition isolation, the ephemeral path, and determinism.
#include "services/partition/partition_state_machine.h"

#include <gtest/gtest.h>

#include <random>

#include "map_engine.h"
#include "replica.h"
#include "service_test_support.h"
#include "services/partition/ephemeral_apply.h"
#include "services/storage/engine_state_reader.h"

namespace kahuna::services {
namespace {

using testing::at;
using testing::entry;
using testing::plain;
using testing::Replica;

TEST(Partition, EntriesOfOneBatchSeeEachOthersWrites) {
  Replica r;
  const auto replies = r.apply_batch({
      entry(1, plain("k", "a", kSetIfNotExists)),
      entry(2, plain("k", "b", kSetIfNotExists)),
      entry(3, LockTryLock{"res", "a", 1000}),
      entry(4, LockTryLock{"res", "b", 1000}),
      entry(5, SequenceCreate{"s", 0, 1, std::nullopt, std::nullopt}),
      entry(6, SequenceNext{"s", std::nullopt}),
      entry(7, SequenceNext{"s", std::nullopt}),
      entry(8, KvDelete{"k"}),
      entry(9, plain("k", "c")),
  });
  EXPECT_EQ(std::get<KvReply>(replies[0]).code, KvCode::kSet);
  EXPECT_EQ(std::get<KvReply>(replies[1]).code, KvCode::kNotSet);
  EXPECT_EQ(std::get<LockReply>(replies[2]).code, LockCode::kLocked);
  EXPECT_EQ(std::get<LockReply>(replies[3]).code, LockCode::kBusy);
  EXPECT_EQ(std::get<SequenceReply>(replies[5]).allocation.start, 1);
  EXPECT_EQ(std::get<SequenceReply>(replies[6]).allocation.start, 2);
  EXPECT_EQ(std::get<KvReply>(replies[7]).revision, 1);
  EXPECT_EQ(std::get<KvReply>(replies[8]).revision, 2);
  // History written within the batch is readable after the commit.
  EXPECT_EQ(r.get(10, "k", 0).value, "a");
}

TEST(Partition, UndecodableEntriesAreRejectedIdenticallyAndChangeNothing) {
  Replica r;
  r.kv(1, plain("k", "v"));
  const MemoryState before = r.state();
  for (const std::string& garbage : {std::string(), std::string("\x01"), std::string("\x07garbage"),
                                     entry(2, plain("k", "w")).substr(0, 9)}) {
    const Reply reply = r.apply(garbage);
    ASSERT_TRUE(std::holds_alternative<RejectedCommand>(reply));
    EXPECT_FALSE(std::get<RejectedCommand>(reply).reason.empty());
  }
  EXPECT_EQ(r.state(), before);
}

// Fails reads of one key, as a broken disk would.
class FailingReader final : public StateReader {
 public:
  FailingReader(const StateReader& base, std::string poisoned)
      : base_(base), poisoned_(std::move(poisoned)) {}
  Status get(std::string_view key, std::string& value) const override {
    if (key == poisoned_) return Status::io_error("disk on fire");
    return base_.get(key, value);
  }
  std::unique_ptr<StateCursor> scan(std::string_view lower, std::string_view upper) const override {
    return base_.scan(lower, upper);
  }

 private:
  const StateReader& base_;
  std::string poisoned_;
};

TEST(Partition, AStorageFailureHalfWayLeavesTheBatchAsItWas) {
  MemoryState state;
  PartitionStateMachine machine(7);
  const KeyLayout layout(7);
  FailingReader reader(state, layout.kv_key("bad"));
  ApplyContext ctx(reader);
  Reply reply;
  ASSERT_TRUE(machine.apply(entry(1, plain("good", "1")), ctx, reply).is_ok());
  const std::size_t staged = ctx.batch().count();
  KvSetMany many;
  many.items = {plain("other", "2"), plain("bad", "3")};
  const Status status = machine.apply(entry(2, many), ctx, reply);
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  // "other" was staged by the failed entry's child context only.
  EXPECT_EQ(ctx.batch().count(), staged);
  std::string value;
  EXPECT_EQ(ctx.get(layout.kv_key("other"), value).code(), StatusCode::kNotFound);
}

TEST(Partition, PartitionsShareAnEngineWithoutOverlap) {
  MemoryState shared;
  PartitionStateMachine one(1);
  PartitionStateMachine two(2);
  Reply reply;
  for (auto* machine : {&one, &two}) {
    ApplyContext ctx(shared);
    ASSERT_TRUE(
        machine->apply(entry(1, plain("k", "p" + std::to_string(machine->partition_id()))), ctx, reply)
            .is_ok());
    ASSERT_TRUE(machine->apply(entry(2, LockTryLock{"r", "o", 100}), ctx, reply).is_ok());
    shared.apply(ctx.take_batch());
  }
  KvReply got;
  ASSERT_TRUE(one.kv_reads().get(shared, KvGetQuery{"k"}, at(3), got).is_ok());
  EXPECT_EQ(got.value, "p1");
  ASSERT_TRUE(two.kv_reads().get(shared, KvGetQuery{"k"}, at(3), got).is_ok());
  EXPECT_EQ(got.value, "p2");
  // Both locks got token 0: separate state.
  LockReply info;
  ASSERT_TRUE(two.locks().get_info(shared, "r", at(3), info).is_ok());
  EXPECT_EQ(info.fencing_token, 0);
  // Every stored key starts with 0x02 and its partition id.
  for (const auto& [key, value] : shared.entries()) {
    ASSERT_GE(key.size(), 6u);
    EXPECT_EQ(key[0], '\x02');
    EXPECT_TRUE(key.substr(1, 4) == std::string("\0\0\0\x01", 4) ||
                key.substr(1, 4) == std::string("\0\0\0\x02", 4));
  }
}

// A partition with some of everything: locks (held and released), keys with
// history, tombstones, TTLs, a no-revision write, sequences with idempotency.
void populate(Replica& r) {
  r.lock(100, LockTryLock{"held", "a", 100000});
  r.lock(100, LockTryLock{"released", "a", 100000});
  r.lock(101, LockUnlock{"released", "a"});
  r.kv(100, plain("users/1", "v0"));
  r.kv(110, plain("users/1", "v1"));
  r.kv(120, plain("users/2", std::nullopt));
  r.kv(130, plain("users/3", "", kSet, 50));
  r.kv(140, KvDelete{"users/2"});
  r.kv(150, plain("quiet", "q", kSetNoRevision));
  r.seq(160, SequenceCreate{"s", 0, 1, 1000, std::nullopt});
  r.seq(170, SequenceReserveRange{"s", 3, std::string("idem")});
  r.seq(180, SequenceReserveBlock{"s", 1, 10});
  // A transaction still prepared (an intent, its count, an undecided record)
  // and one decided.
  r.tx(190,
       TxPrepare{at(185), at(100000), 7, {TxWrite{"pending", TxWriteKind::kSet, std::string("p")}}, {}, {7}});
  r.tx(200, TxCommitLocal{at(195), {TxWrite{"done", TxWriteKind::kSet, std::string("d")}}, {}});
}

TEST(Partition, SnapshotRestoreRoundTrip) {
  Replica source(7);
  populate(source);
  std::string image;
  ASSERT_TRUE(source.machine().encode_snapshot(source.state(), image).is_ok());

  // The target holds stale data of the same partition and data of another.
  Replica target(7);
  target.kv(1, plain("stale", "x"));
  target.lock(1, LockTryLock{"held", "someone", 5});
  PartitionStateMachine neighbour(8);
  {
    ApplyContext ctx(target.state());
    Reply reply;
    ASSERT_TRUE(neighbour.apply(entry(1, plain("mine", "8")), ctx, reply).is_ok());
    target.state().apply(ctx.take_batch());
  }
  const auto neighbour_range = KeyLayout(8).partition_range();
  std::size_t neighbour_keys = 0;
  for (auto c = target.state().scan(neighbour_range.begin, neighbour_range.end); c->valid(); c->next()) {
    ++neighbour_keys;
  }

  ApplyContext ctx(target.state());
  ASSERT_TRUE(target.machine().restore_snapshot(image, ctx).is_ok());
  target.state().apply(ctx.take_batch());

  // Partition 7 is now exactly the source's; partition 8 is untouched.
  std::vector<std::pair<std::string, std::string>> exported_source;
  std::vector<std::pair<std::string, std::string>> exported_target;
  auto collect = [](auto& out) {
    return [&out](std::string_view k, std::string_view v) {
      out.emplace_back(std::string(k), std::string(v));
      return Status::ok();
    };
  };
  ASSERT_TRUE(source.machine().export_state(source.state(), collect(exported_source)).is_ok());
  ASSERT_TRUE(target.machine().export_state(target.state(), collect(exported_target)).is_ok());
  EXPECT_EQ(exported_source, exported_target);
  EXPECT_FALSE(exported_source.empty());
  std::size_t neighbour_after = 0;
  for (auto c = target.state().scan(neighbour_range.begin, neighbour_range.end); c->valid(); c->next()) {
    ++neighbour_after;
  }
  EXPECT_EQ(neighbour_after, neighbour_keys);

  // And both behave the same from here on.
  const std::vector<std::string> more = {
      entry(200, LockTryLock{"held", "b", 100}),
      entry(201, LockTryLock{"released", "b", 100}),
      entry(202, plain("users/1", "v2")),
      entry(203, SequenceNext{"s", std::string("idem")}),
      entry(204, SequenceReserveRange{"s", 3, std::string("idem")}),
      entry(205, plain("stale", "y", kSetIfExists)),
  };
  EXPECT_EQ(source.apply_batch(more), target.apply_batch(more));
  EXPECT_EQ(source.get(300, "users/1", 0).value, "v0");
  EXPECT_EQ(target.get(300, "users/1", 0).value, "v0");
  EXPECT_EQ(target.get(300, "users/1", 1).value, "v1");
}

TEST(Partition, RestoreRefusesAnImageOfAnotherPartitionAndStagesNothing) {
  Replica source(7);
  populate(source);
  std::string image;
  ASSERT_TRUE(source.machine().encode_snapshot(source.state(), image).is_ok());
  Replica other(9);
  ApplyContext ctx(other.state());
  EXPECT_EQ(other.machine().restore_snapshot(image, ctx).code(), StatusCode::kCorruption);
  EXPECT_TRUE(ctx.empty());
  image[image.size() / 2] ^= 0x40;
  Replica same(7);
  ApplyContext ctx2(same.state());
  EXPECT_EQ(same.machine().restore_snapshot(image, ctx2).code(), StatusCode::kCorruption);
  EXPECT_TRUE(ctx2.empty());
}

TEST(Partition, DriverPathOverAStorageEngine) {
  testing::MapEngine engine;
  PartitionStateMachine machine(3);
  EngineStateReader latest(engine);
  // Two batches, each committed in one engine write.
  for (const auto& batch : {std::vector<std::string>{entry(1, plain("a", "1")), entry(2, plain("a", "2"))},
                            std::vector<std::string>{entry(3, KvDelete{"a"}), entry(4, plain("b", "3"))}}) {
    ApplyContext ctx(latest);
    for (const auto& e : batch) {
      Reply reply;
      ASSERT_TRUE(machine.apply(e, ctx, reply).is_ok());
    }
    ASSERT_TRUE(engine.write(ctx.take_batch(), WriteOptions{}).is_ok());
  }
  EXPECT_EQ(engine.writes(), 2);
  KvReply reply;
  ASSERT_TRUE(machine.kv_reads().get(latest, KvGetQuery{"a", 1}, at(5), reply).is_ok());
  EXPECT_EQ(reply.value, "2");
  // A snapshot taken now stays consistent while later batches commit.
  std::unique_ptr<Snapshot> snapshot;
  ASSERT_TRUE(engine.snapshot(snapshot).is_ok());
  {
    ApplyContext ctx(latest);
    Reply r;
    ASSERT_TRUE(machine.apply(entry(6, plain("c", "later")), ctx, r).is_ok());
    ASSERT_TRUE(engine.write(ctx.take_batch(), WriteOptions{}).is_ok());
  }
  EngineStateReader pinned(engine, snapshot.get());
  KvScanReply scan;
  ASSERT_TRUE(machine.kv_reads().scan_prefix(pinned, "", {}, at(7), scan).is_ok());
  EXPECT_EQ(scan.code, KvCode::kInvalidInput);
  std::string image;
  ASSERT_TRUE(machine.encode_snapshot(pinned, image).is_ok());
  MemoryState restored;
  ApplyContext ctx(restored);
  ASSERT_TRUE(machine.restore_snapshot(image, ctx).is_ok());
  restored.apply(ctx.take_batch());
  ASSERT_TRUE(machine.kv_reads().get(restored, KvGetQuery{"c"}, at(7), reply).is_ok());
  EXPECT_EQ(reply.code, KvCode::kDoesNotExist);  // written after the snapshot
  ASSERT_TRUE(machine.kv_reads().get(restored, KvGetQuery{"b"}, at(7), reply).is_ok());
  EXPECT_EQ(reply.value, "3");
}

TEST(Partition, EphemeralCommandsApplyAtOnceToMemory) {
  PartitionStateMachine machine(4);
  MemoryState ephemeral;
  Reply reply;
  ASSERT_TRUE(apply_ephemeral(machine, ephemeral, Command{at(1), LockTryLock{"r", "a", 100}}, reply).is_ok());
  EXPECT_EQ(std::get<LockReply>(reply).code, LockCode::kLocked);
  ASSERT_TRUE(apply_ephemeral(machine, ephemeral, Command{at(2), LockTryLock{"r", "b", 100}}, reply).is_ok());
  EXPECT_EQ(std::get<LockReply>(reply).code, LockCode::kBusy);
  ASSERT_TRUE(apply_ephemeral(machine, ephemeral, Command{at(3), plain("k", "v")}, reply).is_ok());
  KvReply got;
  ASSERT_TRUE(machine.kv_reads().get(ephemeral, KvGetQuery{"k"}, at(4), got).is_ok());
  EXPECT_EQ(got.value, "v");
}

// A random but reproducible stream of commands over a few names.
std::vector<std::string> random_log(std::uint32_t seed, int length) {
  std::mt19937 random(seed);
  const std::string keys[] = {"a", "b", "c/1", "c/2"};
  const std::string owners[] = {"o1", "o2"};
  std::vector<std::string> log;
  std::int64_t now = 1000;
  log.push_back(entry(now, SequenceCreate{"s", 0, 1, 200, 8}));
  for (int i = 0; i < length; ++i) {
    now += random() % 40;
    const auto& key = keys[random() % 4];
    const auto& owner = owners[random() % 2];
    switch (random() % 12) {
      case 0:
        log.push_back(entry(now, plain(key, "v" + std::to_string(i), kSet, random() % 3 ? 0 : 50)));
        break;
      case 1: log.push_back(entry(now, plain(key, std::nullopt, kSetIfNotExists))); break;
      case 2: log.push_back(entry(now, plain(key, "x", kSetIfExists | kSetNoRevision))); break;
      case 3: log.push_back(entry(now, KvDelete{key})); break;
      case 4: log.push_back(entry(now, KvExtend{key, 30})); break;
      case 5: log.push_back(entry(now, KvExpire{key, static_cast<std::int64_t>(random() % 5)})); break;
      case 6: log.push_back(entry(now, LockTryLock{key, owner, 60})); break;
      case 7: log.push_back(entry(now, LockUnlock{key, owner})); break;
      case 8: log.push_back(entry(now, LockTryExtend{key, owner, 60})); break;
      case 9:
        log.push_back(entry(now, SequenceReserveBlock{"s", 1 + static_cast<std::int64_t>(random() % 3), 8}));
        break;
      case 10: log.push_back(entry(now, SequenceNext{"s", "k" + std::to_string(random() % 6)})); break;
      default:
        log.push_back(entry(now, KvSetMany{{plain(key, "m"), plain("d/" + key, "n", kSetIfNotExists)}}));
        break;
    }
  }
  return log;
}

TEST(Partition, SameLogSameStateWhateverTheBatching) {
  for (std::uint32_t seed = 1; seed <= 10; ++seed) {
    const auto log = random_log(seed, 300);
    Replica one_by_one;
    Replica batched;
    std::vector<Reply> replies_one;
    for (const auto& e : log) replies_one.push_back(one_by_one.apply(e));
    std::vector<Reply> replies_batched;
    std::mt19937 random(seed);
    for (std::size_t i = 0; i < log.size();) {
      const std::size_t n = std::min<std::size_t>(1 + random() % 17, log.size() - i);
      auto part = batched.apply_batch(std::vector<std::string>(log.begin() + i, log.begin() + i + n));
      replies_batched.insert(replies_batched.end(), part.begin(), part.end());
      i += n;
    }
    EXPECT_EQ(replies_one, replies_batched) << seed;
    EXPECT_EQ(one_by_one.state(), batched.state()) << seed;
    // A replica restored from a snapshot taken midway catches up identically.
    Replica restored;
    {
      Replica midway;
      for (std::size_t i = 0; i < log.size() / 2; ++i) midway.apply(log[i]);
      std::string image;
      ASSERT_TRUE(midway.machine().encode_snapshot(midway.state(), image).is_ok());
      ApplyContext ctx(restored.state());
      ASSERT_TRUE(restored.machine().restore_snapshot(image, ctx).is_ok());
      restored.state().apply(ctx.take_batch());
    }
    for (std::size_t i = log.size() / 2; i < log.size(); ++i) restored.apply(log[i]);
    EXPECT_EQ(restored.state(), one_by_one.state()) << seed;
  }
}

}  // namespace
}  // namespace kahuna::services
