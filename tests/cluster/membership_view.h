// What the membership tests read from `cluster status` (tests/cluster and
// tests/faults): replica sets as sets, id lists as text, and one node's
// whole view for a failure message.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "cluster_client.h"

namespace kahuna::testing {

inline std::set<std::uint64_t> as_set(const std::vector<std::uint64_t>& ids) {
  return {ids.begin(), ids.end()};
}

// "{1,2,3}".
template <class Ids>
std::string ids(const Ids& list) {
  std::string out;
  for (const auto id : list) out += (out.empty() ? "" : ",") + std::to_string(id);
  return "{" + out + "}";
}

// Every member node `asked` knows is a voter, and every group it reports
// holds exactly the replicas its placement wants, with no learner and a
// leader. Fills `voters` with the members.
inline bool members_settled(ClusterClient& client, int asked, std::set<std::uint64_t>& voters,
                            ClusterStatus& status) {
  status = client.status(asked);
  voters.clear();
  for (const NodeInfo& node : status.nodes) {
    if (node.state != "voter") return false;
    voters.insert(node.id);
  }
  for (const PartitionInfo& partition : status.partitions) {
    if (partition.voters.empty() || !partition.learners.empty() || partition.leader == 0) return false;
    if (as_set(partition.voters) != as_set(partition.target)) return false;
  }
  return true;
}

// What node `asked` sees, for a failure message.
inline std::string seen_by(ClusterClient& client, int asked) {
  const ClusterStatus status = client.status(asked);
  std::string out = "node " + std::to_string(asked) + ", metadata version " +
                    std::to_string(status.metadata_version) + "; members:";
  for (const NodeInfo& node : status.nodes) out += " " + std::to_string(node.id) + "=" + node.state;
  for (const PartitionInfo& partition : status.partitions) {
    out += "\n  partition " + std::to_string(partition.id) + ": leader " + std::to_string(partition.leader) +
           ", voters " + ids(partition.voters) + ", learners " + ids(partition.learners) + ", target " +
           ids(partition.target);
  }
  return out;
}

}  // namespace kahuna::testing
