#include "services/cluster/replica_placement.h"

#include <algorithm>
#include <random>
#include <set>

#include <gtest/gtest.h>

namespace kahuna::cluster {
namespace {

std::vector<NodeId> nodes(std::initializer_list<NodeId> ids) { return ids; }

// Every partition holds `factor` distinct members; replica and leader counts
// per member differ by at most one.
void expect_balanced(const Placement& placement, const std::vector<NodeId>& members, std::uint32_t factor,
                     std::uint32_t partitions) {
  ASSERT_EQ(placement.replicas.size(), partitions);
  const std::set<NodeId> member_set(members.begin(), members.end());
  for (std::size_t p = 0; p < placement.replicas.size(); ++p) {
    const ReplicaSet& set = placement.replicas[p];
    EXPECT_EQ(set.size(), factor) << "partition " << p + 1;
    EXPECT_EQ(std::set<NodeId>(set.begin(), set.end()).size(), set.size()) << "a replica twice in " << p + 1;
    for (NodeId node : set) EXPECT_TRUE(member_set.contains(node)) << node << " is not a member";
  }
  const std::vector<Load> loads = loads_of(placement, members);
  const auto [fewest_replicas, most_replicas] = std::minmax_element(
      loads.begin(), loads.end(), [](const Load& a, const Load& b) { return a.replicas < b.replicas; });
  const auto [fewest_leaders, most_leaders] = std::minmax_element(
      loads.begin(), loads.end(), [](const Load& a, const Load& b) { return a.leaders < b.leaders; });
  EXPECT_LE(most_replicas->replicas - fewest_replicas->replicas, 1u);
  EXPECT_LE(most_leaders->leaders - fewest_leaders->leaders, 1u);
}

std::size_t replicas_moved(const Placement& from, const Placement& to) {
  std::size_t moved = 0;
  for (const ReplicaMove& move : moves_between(from, to)) moved += move.add != 0 ? 1 : 0;
  return moved;
}

TEST(ReplicaPlacement, ThreeReplicasOfSixteenPartitionsOnFiveNodesAreEven) {
  const std::vector<NodeId> members = nodes({1, 2, 3, 4, 5});
  const Placement plan = plan_placement({}, members, 3, 16);
  expect_balanced(plan, members, 3, 16);
  for (const Load& load : loads_of(plan, members)) {
    EXPECT_TRUE(load.replicas == 9 || load.replicas == 10) << load.node;  // 48 replicas over 5 nodes
    EXPECT_TRUE(load.leaders == 3 || load.leaders == 4) << load.node;     // 16 leaders over 5 nodes
  }
}

TEST(ReplicaPlacement, TheFactorIsCappedByTheMembersAndAtLeastOne) {
  expect_balanced(plan_placement({}, nodes({7, 9}), 3, 8), nodes({7, 9}), 2, 8);
  expect_balanced(plan_placement({}, nodes({7, 9}), 0, 8), nodes({7, 9}), 1, 8);
}

TEST(ReplicaPlacement, AnEvenPlacementIsKept) {
  const std::vector<NodeId> members = nodes({1, 2, 3, 4, 5});
  const Placement plan = plan_placement({}, members, 3, 64);
  EXPECT_EQ(plan_placement(plan, members, 3, 64), plan);
  EXPECT_TRUE(moves_between(plan, plan).empty());
}

TEST(ReplicaPlacement, AJoiningNodeOnlyReceivesReplicas) {
  const Placement three = plan_placement({}, nodes({1, 2, 3}), 3, 16);
  const std::vector<NodeId> four_members = nodes({1, 2, 3, 4});
  const Placement four = plan_placement(three, four_members, 3, 16);
  expect_balanced(four, four_members, 3, 16);
  for (const ReplicaMove& move : moves_between(three, four)) {
    EXPECT_EQ(move.add, 4u) << "partition " << move.partition << " gained a replica on an old node";
    EXPECT_NE(move.remove, 0u);
  }
  EXPECT_EQ(replicas_moved(three, four), 12u);  // 48 replicas over 4 nodes: the new one takes 12
}

TEST(ReplicaPlacement, ALeavingNodesReplicasAreRecreatedAndNothingElseMoves) {
  const std::vector<NodeId> five = nodes({1, 2, 3, 4, 5});
  const Placement before = plan_placement({}, five, 3, 16);
  const std::vector<NodeId> four = nodes({1, 2, 3, 5});
  const Placement after = plan_placement(before, four, 3, 16);
  expect_balanced(after, four, 3, 16);
  std::size_t held_by_leaver = 0;
  for (const ReplicaSet& set : before.replicas) held_by_leaver += std::count(set.begin(), set.end(), 4u);
  for (const ReplicaMove& move : moves_between(before, after)) {
    EXPECT_EQ(move.remove, 4u) << "partition " << move.partition << " lost a replica on a staying node";
  }
  EXPECT_EQ(replicas_moved(before, after), held_by_leaver);
}

TEST(ReplicaPlacement, RaisingTheFactorOnlyAddsAndLoweringItOnlyRemoves) {
  const std::vector<NodeId> members = nodes({1, 2, 3, 4, 5});
  const Placement three = plan_placement({}, members, 3, 16);
  const Placement five = plan_placement(three, members, 5, 16);
  expect_balanced(five, members, 5, 16);
  for (const ReplicaMove& move : moves_between(three, five)) EXPECT_EQ(move.remove, 0u);
  const Placement one = plan_placement(five, members, 1, 16);
  expect_balanced(one, members, 1, 16);
  for (const ReplicaMove& move : moves_between(five, one)) EXPECT_EQ(move.add, 0u);
}

TEST(ReplicaPlacement, AThousandPartitionsGrowFromFiveToSixNodesByMovesToTheNewNodeOnly) {
  const Placement five = plan_placement({}, nodes({1, 2, 3, 4, 5}), 3, 1024);
  const std::vector<NodeId> six = nodes({1, 2, 3, 4, 5, 6});
  const Placement grown = plan_placement(five, six, 3, 1024);
  expect_balanced(grown, six, 3, 1024);
  EXPECT_EQ(replicas_moved(five, grown), 512u);  // 3072 replicas over 6 nodes
  for (const ReplicaMove& move : moves_between(five, grown)) EXPECT_EQ(move.add, 6u);
}

// Any starting point — random sets, nodes that left, repeats, sets too short
// or too long — gives an even placement, the same on every call.
TEST(ReplicaPlacement, AnyStartingPointEndsEvenAndDeterministic) {
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 random(seed);
    const std::uint32_t member_count = 1 + random() % 7;
    std::vector<NodeId> members;
    for (NodeId id = 1; members.size() < member_count; ++id) {
      if (random() % 3 != 0) members.push_back(id);
    }
    const std::uint32_t partitions = 1 + random() % 70;
    const std::uint32_t factor = 1 + random() % 5;
    Placement start;
    start.replicas.resize(random() % (partitions + 5));
    for (ReplicaSet& set : start.replicas) {
      const std::uint32_t size = random() % 6;
      for (std::uint32_t i = 0; i < size; ++i) set.push_back(1 + random() % 12);
    }
    std::shuffle(members.begin(), members.end(), random);
    const Placement plan = plan_placement(start, members, factor, partitions);
    SCOPED_TRACE("seed " + std::to_string(seed));
    expect_balanced(plan, members, std::min<std::uint32_t>(factor, member_count), partitions);
    EXPECT_EQ(plan_placement(start, members, factor, partitions), plan);
    EXPECT_EQ(plan_placement(plan, members, factor, partitions), plan);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace kahuna::cluster
