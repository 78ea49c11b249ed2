// The leader's in-memory sequence allocator on its own, and with the
// replicated state across simulated leader changes: no value is ever handed
// out twice, allocations ascend within a leadership, settings changes apply
// at once.
#include "services/sequences/sequence_allocator.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <set>

#include "replica.h"

namespace kahuna::services {
namespace {

using testing::entry_from;
using testing::Replica;

SequenceAllocation block(std::int64_t start, std::int64_t count, std::int64_t revision = 1) {
  return SequenceAllocation{"s", start, 0, count, revision};
}

TEST(SequenceAllocator, EmptyUntilABlockArrives) {
  SequenceAllocator allocator(1);
  EXPECT_FALSE(allocator.take("s", 1).has_value());
  EXPECT_EQ(allocator.available("s"), 0);
}

TEST(SequenceAllocator, TakesConsecutiveValuesWithTheIncrement) {
  SequenceAllocator allocator(1);
  allocator.block_reserved("s", 1, block(10, 5, 3), 2);  // 10, 12, 14, 16, 18
  EXPECT_EQ(allocator.take("s", 2), (SequenceAllocation{"s", 10, 12, 2, 3}));
  EXPECT_EQ(allocator.available("s"), 3);
  EXPECT_EQ(allocator.take("s", 1), (SequenceAllocation{"s", 14, 14, 1, 3}));
  // Not enough left: nothing taken.
  EXPECT_FALSE(allocator.take("s", 3).has_value());
  EXPECT_EQ(allocator.available("s"), 2);
  EXPECT_EQ(allocator.take("s", 2), (SequenceAllocation{"s", 16, 18, 2, 3}));
  EXPECT_EQ(allocator.available("s"), 0);
  EXPECT_EQ(allocator.block_count(), 0u);
}

TEST(SequenceAllocator, RejectsNonPositiveCounts) {
  SequenceAllocator allocator(1);
  allocator.block_reserved("s", 1, block(1, 10), 1);
  EXPECT_FALSE(allocator.take("s", 0).has_value());
  EXPECT_FALSE(allocator.take("s", -1).has_value());
}

TEST(SequenceAllocator, ANewBlockReplacesTheRestOfTheOld) {
  SequenceAllocator allocator(1);
  allocator.block_reserved("s", 1, block(1, 10), 1);
  allocator.take("s", 3);
  allocator.block_reserved("s", 1, block(100, 5), 1);
  EXPECT_EQ(allocator.take("s", 1)->start, 100);
  // An empty leftover just drops the old block.
  allocator.block_reserved("s", 1, block(0, 0), 1);
  EXPECT_FALSE(allocator.take("s", 1).has_value());
}

TEST(SequenceAllocator, ChangesAndClearDropBlocks) {
  SequenceAllocator allocator(1);
  allocator.block_reserved("a", 1, block(1, 10), 1);
  allocator.block_reserved("b", 1, block(1, 10), 1);
  allocator.sequence_changed("a");
  EXPECT_FALSE(allocator.take("a", 1).has_value());
  EXPECT_TRUE(allocator.take("b", 1).has_value());
  allocator.clear();
  EXPECT_FALSE(allocator.take("b", 1).has_value());
}

TEST(SequenceAllocator, HandlesTheTopOfTheInt64Range) {
  SequenceAllocator allocator(1);
  const auto max = std::numeric_limits<std::int64_t>::max();
  allocator.block_reserved("s", 1, SequenceAllocation{"s", max - 2, max, 3, 1}, 1);
  EXPECT_EQ(allocator.take("s", 3), (SequenceAllocation{"s", max - 2, max, 3, 1}));
}

// A partition replicated on three nodes (ids 1, 2, 3). The leader serves
// reserve/next from its allocator and proposes a block when it runs out;
// every node applies every entry; leadership moves around. Every node keeps
// its allocator attached as an observer even as a follower, which must be
// harmless: a node only ever keeps blocks it proposed itself.
class SequenceCluster {
 public:
  SequenceCluster() {
    for (int i = 0; i < 3; ++i) {
      nodes_[i] = std::make_unique<Node>(i + 1);
      nodes_[i]->replica.machine().set_sequence_observer(&nodes_[i]->allocator);
    }
    propose(SequenceCreate{"s", 0, 1, std::nullopt, std::nullopt});
  }

  void make_leader(int index) {
    // The driver's rule: a node's allocator starts empty with each leadership.
    leader_ = index;
    nodes_[leader_]->allocator.clear();
  }

  // What the leader's service code does for reserve (count) without a key.
  SequenceAllocation reserve(std::int64_t count) {
    if (auto served = nodes_[leader_]->allocator.take("s", count)) return *served;
    const auto reply = propose(SequenceReserveBlock{"s", count, 16});
    EXPECT_EQ(reply.code, SequenceCode::kSuccess);
    return reply.allocation;
  }

  // A deposed leader that has not noticed yet still serves from its memory.
  std::optional<SequenceAllocation> stale_take(int index, std::int64_t count) {
    return nodes_[index]->allocator.take("s", count);
  }

  // The leader stamps and proposes; every node applies.
  SequenceReply propose(CommandBody body) {
    const std::string e = entry_from(leader_ + 1, ++time_, std::move(body));
    SequenceReply leader_reply;
    for (int i = 0; i < 3; ++i) {
      const auto reply = std::get<SequenceReply>(nodes_[i]->replica.apply(e));
      if (i == leader_) leader_reply = reply;
    }
    return leader_reply;
  }

  Replica& replica(int index) { return nodes_[index]->replica; }
  SequenceAllocator& allocator(int index) { return nodes_[index]->allocator; }

 private:
  struct Node {
    explicit Node(std::int32_t id) : allocator(id) {}
    Replica replica;
    SequenceAllocator allocator;
  };

  std::unique_ptr<Node> nodes_[3];
  int leader_ = 0;
  std::int64_t time_ = 1000;
};

void expect_unique(std::set<std::int64_t>& issued, const SequenceAllocation& allocation,
                   std::int64_t increment = 1) {
  for (std::int64_t v = allocation.start; v <= allocation.end; v += increment) {
    EXPECT_TRUE(issued.insert(v).second) << "value " << v << " handed out twice";
  }
}

TEST(SequenceAllocator, IgnoresBlocksOtherNodesProposed) {
  SequenceAllocator allocator(2);
  allocator.block_reserved("s", 1, block(1, 10), 1);
  EXPECT_FALSE(allocator.take("s", 1).has_value());
  allocator.block_reserved("s", 2, block(1, 10), 1);
  EXPECT_TRUE(allocator.take("s", 1).has_value());
}

TEST(SequenceCluster, FollowersKeepNoBlocks) {
  SequenceCluster cluster;
  cluster.reserve(1);
  EXPECT_EQ(cluster.allocator(0).available("s"), 15);
  EXPECT_EQ(cluster.allocator(1).available("s"), 0);
  EXPECT_EQ(cluster.allocator(2).available("s"), 0);
}

TEST(SequenceCluster, ServesFromMemoryBetweenBlocks) {
  SequenceCluster cluster;
  EXPECT_EQ(cluster.reserve(1).start, 1);  // proposes a block of 16
  for (int i = 2; i <= 16; ++i) EXPECT_EQ(cluster.reserve(1).start, i);
  // Only one block was replicated so far.
  EXPECT_EQ(cluster.replica(1).seq_get("s").sequence->current_value, 16);
  EXPECT_EQ(cluster.reserve(1).start, 17);
  EXPECT_EQ(cluster.replica(2).seq_get("s").sequence->current_value, 32);
}

TEST(SequenceCluster, NewLeaderStartsAboveTheDurableMark) {
  SequenceCluster cluster;
  std::set<std::int64_t> issued;
  expect_unique(issued, cluster.reserve(3));  // block 1..16, 1-3 issued
  cluster.make_leader(1);
  const auto after = cluster.reserve(1);
  EXPECT_EQ(after.start, 17);  // 4..16 are lost: gaps are allowed
  expect_unique(issued, after);
}

TEST(SequenceCluster, AStaleLeaderServingFromMemoryNeverCollides) {
  SequenceCluster cluster;
  std::set<std::int64_t> issued;
  expect_unique(issued, cluster.reserve(1));
  cluster.make_leader(2);
  for (int i = 0; i < 40; ++i) {
    expect_unique(issued, cluster.reserve(1));
    if (auto stale = cluster.stale_take(0, 1)) expect_unique(issued, *stale);
  }
}

TEST(SequenceCluster, UpdateAppliesToTheVeryNextReserve) {
  SequenceCluster cluster;
  cluster.reserve(1);
  SequenceUpdate update{"s"};
  update.current_value = 5000;
  update.increment = 10;
  EXPECT_EQ(cluster.propose(update).code, SequenceCode::kSuccess);
  EXPECT_EQ(cluster.reserve(1).start, 5010);
  EXPECT_EQ(cluster.reserve(1).start, 5020);
}

TEST(SequenceCluster, DeleteStopsServingFromMemory) {
  SequenceCluster cluster;
  cluster.reserve(1);
  EXPECT_EQ(cluster.propose(SequenceDelete{"s"}).code, SequenceCode::kSuccess);
  EXPECT_EQ(cluster.propose(SequenceReserveBlock{"s", 1, 16}).code, SequenceCode::kNotFound);
}

TEST(SequenceCluster, KeyedAllocationsKeepTheOrderAscending) {
  SequenceCluster cluster;
  const auto a = cluster.reserve(1);                                        // 1, block to 16
  const auto keyed = cluster.propose(SequenceNext{"s", std::string("k")});  // 17, drops the block
  const auto b = cluster.reserve(1);
  EXPECT_LT(a.end, keyed.allocation.start);
  EXPECT_LT(keyed.allocation.end, b.start);
}

TEST(SequenceCluster, RandomizedLeaderChangesNeverRepeatAValue) {
  std::mt19937 random(20240601);
  for (int round = 0; round < 20; ++round) {
    SequenceCluster cluster;
    std::set<std::int64_t> issued;
    std::vector<int> former_leaders;
    int leader = 0;
    std::int64_t last_end = 0;
    for (int step = 0; step < 200; ++step) {
      const int action = static_cast<int>(random() % 10);
      if (action == 0) {
        former_leaders.push_back(leader);
        leader = static_cast<int>(random() % 3);
        cluster.make_leader(leader);
        last_end = 0;
      } else if (action == 1) {
        const auto reply = cluster.propose(SequenceReserveRange{
            "s", 1 + static_cast<std::int64_t>(random() % 5), "key-" + std::to_string(step)});
        ASSERT_EQ(reply.code, SequenceCode::kSuccess);
        expect_unique(issued, reply.allocation);
        last_end = reply.allocation.end;
      } else if (action == 2 && !former_leaders.empty()) {
        const int stale = former_leaders[random() % former_leaders.size()];
        if (stale != leader) {
          if (auto served = cluster.stale_take(stale, 1)) expect_unique(issued, *served);
        }
      } else {
        const auto allocation = cluster.reserve(1 + static_cast<std::int64_t>(random() % 20));
        expect_unique(issued, allocation);
        // Ascending while leadership is stable.
        EXPECT_GT(allocation.start, last_end);
        last_end = allocation.end;
      }
    }
  }
}

}  // namespace
}  // namespace kahuna::services
