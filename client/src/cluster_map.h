// ClusterMap: what the client knows of the cluster's layout — how many data
// partitions there are, which node leads each, and where each node's binary
// endpoint is — and the placement function that turns a key, lock or
// sequence into its partition (the server's own, kahuna/placement.h).
//
// Filled from a cluster status, patched by the routes of replies; read again
// when a reply shows newer cluster metadata than the status it came from.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <kahuna/types.h>

#include "call_target.h"

namespace kahuna::client::detail {

class ClusterMap {
 public:
  // True once a cluster status was applied.
  bool known() const noexcept { return data_partitions_ > 0; }
  std::uint32_t data_partitions() const noexcept { return data_partitions_; }

  // Replaces everything with what `status` says.
  void apply(const ClusterStatus& status);

  // The cluster metadata version of the status last applied (0: none, or
  // one from a node that had not applied the metadata).
  std::uint64_t metadata_version() const noexcept { return metadata_version_; }

  // The partition that owns `target`; nullopt for kAnyNode or while the map
  // is unknown.
  std::optional<std::uint32_t> partition_of(const CallTarget& target) const;

  // The leader of `partition` as last learnt; 0 = unknown.
  std::uint64_t leader_of(std::uint32_t partition) const;
  void set_leader(std::uint32_t partition, std::uint64_t leader);
  void forget_leader(std::uint32_t partition);

  // The binary endpoint of node `id`, when the cluster advertises one.
  std::optional<std::string> endpoint_of(std::uint64_t id) const;

  // Every node's binary endpoint, by node id.
  std::vector<std::string> endpoints() const;

 private:
  std::uint32_t data_partitions_ = 0;
  std::uint64_t metadata_version_ = 0;
  std::map<std::uint32_t, std::uint64_t> leaders_;
  std::map<std::uint64_t, std::string> endpoints_;
};

}  // namespace kahuna::client::detail
