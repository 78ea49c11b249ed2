// The JSON of the cluster views (HTTP-API.md §8) and of our own
// /v1/cluster/status, built from the kernel's ClusterStatus.
#pragma once

#include <string>
#include <string_view>

#include <kahuna/kernel_api.h>

#include "route_hints.h"

namespace kahuna::http {

// The identifier of the placement function the kernel implements; clients
// refuse a routing map that names any other.
inline constexpr std::string_view kHashAlgorithm = "kahuna.placement-group-jump-xxh32-v1";
inline constexpr std::string_view kSequenceStorageKeyFormat = "__kahuna:sequences:{0}";

// Whether this node can serve: it knows its partitions and is a member.
struct Readiness {
  bool initialized = false;
  bool member = false;
  std::string_view local_role = "NotMember";  // member_role() of this node
  std::int64_t hosted_partitions = 0;         // data partitions this node holds a replica of
  bool ready() const noexcept { return initialized && member; }
};

Readiness readiness_of(const ClusterStatus& status);

// A member's role as HTTP-API.md §8 names it, from its state in the
// cluster's metadata: "Voter", "Learner" (joining) or "Leaving".
std::string_view member_role(const NodeInfo& node);

std::string encode_health(const ClusterStatus& status);
std::string encode_membership(const ClusterStatus& status, RouteHints& hints);
std::string encode_routing(const ClusterStatus& status, RouteHints& hints);
// GET /v1/cluster/placement: each data partition's replicas and their roles
// (placement_json.cpp).
std::string encode_placement(const ClusterStatus& status, RouteHints& hints);
std::string encode_cluster_status(const ClusterStatus& status);

}  // namespace kahuna::http
