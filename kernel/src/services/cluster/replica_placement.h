// Replica placement: which nodes hold each data partition's replicas, and
// which of them should lead it.
//
// plan_placement() is the rebalancer's target: from the placement in force,
// the members and the replication factor it makes a placement in which
//   - every partition has min(replication factor, members) replicas, all on
//     members, none twice;
//   - every member holds the same number of replicas, give or take one;
//   - every member is the preferred leader (the first replica) of the same
//     number of partitions, give or take one;
// moving as few replicas as that takes: replicas on nodes that left are
// re-created on the least loaded members, a partition short of (or over) the
// factor gains (or loses) replicas on the least (or most) loaded ones, and
// then single replicas move from the most to the least loaded member until
// the counts are even. Preferred leaders only change order inside a set,
// which moves nothing. Ties break by node id and then partition order, so
// every node computes the same plan from the same inputs.
//
// moves_between() lists what a rebalancer has to do to go from one placement
// to another, one replica at a time (add the new replica as a learner,
// promote it, then remove the old one).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace kahuna::cluster {

using NodeId = std::uint64_t;

// One partition's replicas, its preferred leader first.
using ReplicaSet = std::vector<NodeId>;

struct Placement {
  // replicas[i] belongs to data partition i + 1 (partition 0 holds the
  // cluster's metadata and is placed on every member).
  std::vector<ReplicaSet> replicas;
  friend bool operator==(const Placement&, const Placement&) = default;
};

// The target placement of `partitions` data partitions with
// `replication_factor` replicas each on `members` (ids, in any order; must
// not be empty), made from `current` (any placement, even empty or naming
// nodes that are gone). `overrides` gives some data partitions (by id, 1..)
// a factor of their own.
Placement plan_placement(const Placement& current, std::vector<NodeId> members,
                         std::uint32_t replication_factor, std::uint32_t partitions,
                         const std::map<std::uint32_t, std::uint32_t>& overrides = {});

// One step from a placement to another: partition `partition` gains a
// replica on `add` (0: none) and loses the one on `remove` (0: none).
struct ReplicaMove {
  std::uint32_t partition = 0;
  NodeId add = 0;
  NodeId remove = 0;
  friend bool operator==(const ReplicaMove&, const ReplicaMove&) = default;
};

// The replica moves that turn `from` into `to`, partition by partition, each
// addition paired with a removal where both exist.
std::vector<ReplicaMove> moves_between(const Placement& from, const Placement& to);

// Per member, the replicas and preferred leaderships it holds in `placement`.
struct Load {
  NodeId node = 0;
  std::uint32_t replicas = 0;
  std::uint32_t leaders = 0;
};
std::vector<Load> loads_of(const Placement& placement, const std::vector<NodeId>& members);

}  // namespace kahuna::cluster
