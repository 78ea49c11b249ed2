#include "services/cluster/replica_placement.h"

#include <algorithm>
#include <deque>
#include <map>

namespace kahuna::cluster {
namespace {

using Counts = std::map<NodeId, std::uint32_t>;

bool contains(const ReplicaSet& set, NodeId node) {
  return std::find(set.begin(), set.end(), node) != set.end();
}

// The member with the fewest replicas that `set` does not hold yet (ties:
// the smaller id); 0 when the set holds every member.
NodeId least_loaded_outside(const ReplicaSet& set, const Counts& load) {
  NodeId best = 0;
  for (const auto& [node, count] : load) {
    if (contains(set, node)) continue;
    if (best == 0 || count < load.at(best)) best = node;
  }
  return best;
}

// The replica of `set` on the member with the most replicas (ties: the
// larger id).
NodeId most_loaded_inside(const ReplicaSet& set, const Counts& load) {
  NodeId worst = set.front();
  for (NodeId node : set) {
    const std::uint32_t count = load.at(node);
    if (count > load.at(worst) || (count == load.at(worst) && node > worst)) worst = node;
  }
  return worst;
}

// The replicas a plan adds to each partition: choosing another node for one
// of them costs nothing, moving a replica the cluster already has costs a
// copy of the partition.
using Fresh = std::vector<std::vector<NodeId>>;

// Drops replicas on nodes that are not members and repeats, then trims or
// tops up every set p to factors[p], noting the replicas it adds in `fresh`.
void fit_to_members(Placement& placement, Counts& load, const std::vector<std::uint32_t>& factors,
                    Fresh& fresh) {
  for (ReplicaSet& set : placement.replicas) {
    ReplicaSet kept;
    for (NodeId node : set) {
      if (load.contains(node) && !contains(kept, node)) kept.push_back(node);
    }
    set = std::move(kept);
    for (NodeId node : set) ++load[node];
  }
  for (std::size_t p = 0; p < placement.replicas.size(); ++p) {
    ReplicaSet& set = placement.replicas[p];
    while (set.size() > factors[p]) {
      const NodeId node = most_loaded_inside(set, load);
      set.erase(std::find(set.begin(), set.end(), node));
      --load[node];
    }
  }
  fresh.assign(placement.replicas.size(), {});
  for (std::size_t p = 0; p < placement.replicas.size(); ++p) {
    ReplicaSet& set = placement.replicas[p];
    while (set.size() < factors[p]) {
      const NodeId node = least_loaded_outside(set, load);
      set.push_back(node);
      fresh[p].push_back(node);
      ++load[node];
    }
  }
}

// Moves one replica's worth of load from `start` to a member holding at
// least two fewer, through a chain of replacements: in each link a partition
// holding the previous member takes the next one instead (with
// `fresh_only`, only among the replicas this plan adds). False when no
// such member can be reached.
bool shift_one_replica(Placement& placement, Counts& load, Fresh& fresh, NodeId start, bool fresh_only) {
  struct Link {
    std::size_t partition;
    NodeId from;
  };
  std::map<NodeId, Link> via;
  std::deque<NodeId> queue{start};
  via[start] = Link{placement.replicas.size(), 0};
  NodeId found = 0;
  while (!queue.empty() && found == 0) {
    const NodeId from = queue.front();
    queue.pop_front();
    for (std::size_t p = 0; p < placement.replicas.size() && found == 0; ++p) {
      const ReplicaSet& set = placement.replicas[p];
      if (!contains(fresh_only ? fresh[p] : set, from)) continue;
      for (const auto& [to, count] : load) {
        if (via.contains(to) || contains(set, to)) continue;
        via[to] = Link{p, from};
        if (count + 2 <= load[start]) {
          found = to;
          break;
        }
        queue.push_back(to);
      }
    }
  }
  if (found == 0) return false;
  for (NodeId node = found; node != start;) {
    const Link link = via[node];
    ReplicaSet& set = placement.replicas[link.partition];
    *std::find(set.begin(), set.end(), link.from) = node;
    auto was_fresh = std::find(fresh[link.partition].begin(), fresh[link.partition].end(), link.from);
    if (was_fresh != fresh[link.partition].end()) *was_fresh = node;
    node = link.from;
  }
  --load[start];
  ++load[found];
  return true;
}

// Evens out the replica counts to within one, preferring to re-choose the
// replicas this plan adds over moving ones the cluster has. Each shift
// lowers the sum of squared counts, so the loop ends.
void even_out_replicas(Placement& placement, Counts& load, Fresh& fresh) {
  for (bool shifted = true; shifted;) {
    shifted = false;
    std::uint32_t most = 0;
    for (const auto& [node, count] : load) most = std::max(most, count);
    for (const auto& [node, count] : load) {
      if (count != most) continue;
      if (shift_one_replica(placement, load, fresh, node, true) ||
          shift_one_replica(placement, load, fresh, node, false)) {
        shifted = true;
        break;
      }
    }
  }
}

// Chooses each partition's preferred leader among its replicas so that the
// members lead the same number of partitions, give or take one: while a
// member leads two more than another it can pass a leadership to through a
// chain of shared partitions, the chain shifts by one. Only the order inside
// a set changes.
void even_out_leaders(Placement& placement, const std::vector<NodeId>& members) {
  std::vector<NodeId> leader;
  Counts led;
  for (NodeId node : members) led[node] = 0;
  for (const ReplicaSet& set : placement.replicas) {
    leader.push_back(set.front());
    ++led[set.front()];
  }
  for (bool shifted = true; shifted;) {
    shifted = false;
    for (NodeId start : members) {
      // Breadth-first over "a partition `from` leads also has a replica on
      // `to`", looking for a member leading at least two fewer.
      std::map<NodeId, std::size_t> via;  // member -> the partition that reached it
      std::deque<NodeId> queue{start};
      via[start] = placement.replicas.size();
      NodeId found = 0;
      while (!queue.empty() && found == 0) {
        const NodeId from = queue.front();
        queue.pop_front();
        for (std::size_t p = 0; p < placement.replicas.size() && found == 0; ++p) {
          if (leader[p] != from) continue;
          for (NodeId to : placement.replicas[p]) {
            if (via.contains(to)) continue;
            via[to] = p;
            if (led[to] + 2 <= led[start]) {
              found = to;
              break;
            }
            queue.push_back(to);
          }
        }
      }
      if (found == 0) continue;
      for (NodeId node = found; node != start;) {
        const std::size_t p = via[node];
        const NodeId previous = leader[p];
        leader[p] = node;
        node = previous;
      }
      --led[start];
      ++led[found];
      shifted = true;
    }
  }
  for (std::size_t p = 0; p < placement.replicas.size(); ++p) {
    ReplicaSet& set = placement.replicas[p];
    std::rotate(set.begin(), std::find(set.begin(), set.end(), leader[p]),
                std::find(set.begin(), set.end(), leader[p]) + 1);
  }
}

}  // namespace

Placement plan_placement(const Placement& current, std::vector<NodeId> members,
                         std::uint32_t replication_factor, std::uint32_t partitions,
                         const std::map<std::uint32_t, std::uint32_t>& overrides) {
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  members.erase(std::remove(members.begin(), members.end(), NodeId{0}), members.end());
  Placement plan;
  plan.replicas.resize(partitions);
  if (members.empty()) return plan;
  for (std::uint32_t p = 0; p < partitions && p < current.replicas.size(); ++p) {
    plan.replicas[p] = current.replicas[p];
  }
  std::vector<std::uint32_t> factors(partitions);
  for (std::uint32_t p = 0; p < partitions; ++p) {
    const auto override_of = overrides.find(p + 1);
    const std::uint32_t wanted = override_of != overrides.end() ? override_of->second : replication_factor;
    factors[p] = static_cast<std::uint32_t>(std::clamp<std::size_t>(wanted, 1, members.size()));
  }
  Counts load;
  for (NodeId node : members) load[node] = 0;
  Fresh fresh;
  fit_to_members(plan, load, factors, fresh);
  even_out_replicas(plan, load, fresh);
  even_out_leaders(plan, members);
  return plan;
}

std::vector<ReplicaMove> moves_between(const Placement& from, const Placement& to) {
  std::vector<ReplicaMove> moves;
  const std::size_t partitions = std::max(from.replicas.size(), to.replicas.size());
  for (std::size_t p = 0; p < partitions; ++p) {
    const ReplicaSet none;
    const ReplicaSet& before = p < from.replicas.size() ? from.replicas[p] : none;
    const ReplicaSet& after = p < to.replicas.size() ? to.replicas[p] : none;
    std::vector<NodeId> added;
    std::vector<NodeId> removed;
    for (NodeId node : after) {
      if (!contains(before, node)) added.push_back(node);
    }
    for (NodeId node : before) {
      if (!contains(after, node)) removed.push_back(node);
    }
    for (std::size_t i = 0; i < std::max(added.size(), removed.size()); ++i) {
      moves.push_back(ReplicaMove{static_cast<std::uint32_t>(p + 1), i < added.size() ? added[i] : 0,
                                  i < removed.size() ? removed[i] : 0});
    }
  }
  return moves;
}

std::vector<Load> loads_of(const Placement& placement, const std::vector<NodeId>& members) {
  std::vector<Load> loads;
  for (NodeId node : members) {
    Load load{node, 0, 0};
    for (const ReplicaSet& set : placement.replicas) {
      if (contains(set, node)) ++load.replicas;
      if (!set.empty() && set.front() == node) ++load.leaders;
    }
    loads.push_back(load);
  }
  return loads;
}

}  // namespace kahuna::cluster
