#include "cluster_map.h"

#include <kahuna/placement.h>

namespace kahuna::client::detail {

namespace {
constexpr const char* kBinaryProtocol = "binary";
}

void ClusterMap::apply(const ClusterStatus& status) {
  data_partitions_ = status.data_partitions;
  metadata_version_ = status.metadata_version;
  leaders_.clear();
  for (const PartitionInfo& partition : status.partitions) {
    if (partition.leader != 0) leaders_[partition.id] = partition.leader;
  }
  endpoints_.clear();
  for (const NodeInfo& node : status.nodes) {
    const auto found = node.endpoints.find(kBinaryProtocol);
    if (found != node.endpoints.end() && !found->second.empty()) endpoints_[node.id] = found->second;
  }
}

std::optional<std::uint32_t> ClusterMap::partition_of(const CallTarget& target) const {
  if (!known()) return std::nullopt;
  const PlacementPool pool{data_partitions_, 1};
  switch (target.kind) {
    case CallTarget::Kind::kAnyNode:
    case CallTarget::Kind::kNode: return std::nullopt;
    case CallTarget::Kind::kKey: return partition_for_key(target.name, pool);
    case CallTarget::Kind::kKeySpace:
      // The key space is already cut: only its placement group is hashed.
      return pool.partition_offset + bucket_of_string(placement_group_of(target.name), pool.pool_size);
    case CallTarget::Kind::kSequence: return partition_for_sequence(target.name, pool);
  }
  return std::nullopt;
}

std::uint64_t ClusterMap::leader_of(std::uint32_t partition) const {
  const auto found = leaders_.find(partition);
  return found == leaders_.end() ? 0 : found->second;
}

void ClusterMap::set_leader(std::uint32_t partition, std::uint64_t leader) {
  if (leader == 0) return;
  leaders_[partition] = leader;
}

void ClusterMap::forget_leader(std::uint32_t partition) { leaders_.erase(partition); }

std::optional<std::string> ClusterMap::endpoint_of(std::uint64_t id) const {
  const auto found = endpoints_.find(id);
  if (found == endpoints_.end()) return std::nullopt;
  return found->second;
}

std::vector<std::string> ClusterMap::endpoints() const {
  std::vector<std::string> all;
  for (const auto& [id, endpoint] : endpoints_) all.push_back(endpoint);
  return all;
}

}  // namespace kahuna::client::detail
