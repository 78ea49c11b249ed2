// GET /v1/cluster/placement: each data partition's replicas as the cluster's
// metadata records them, and how far they are from where the placement
// wants them.
#include <algorithm>
#include <set>

#include "cluster_json.h"
#include "json_output.h"

namespace kahuna::http {
namespace {

bool connected(const ClusterStatus& status, std::uint64_t id) {
  const auto node = std::find_if(status.nodes.begin(), status.nodes.end(),
                                 [id](const NodeInfo& candidate) { return candidate.id == id; });
  return node != status.nodes.end() && node->connected;
}

// Degraded (no leader, or a voter out of reach) outranks Rebalancing
// (replicas still moving toward the target), which outranks Stable. An
// empty target means the placement has not spoken yet: nothing to move.
std::string_view state_of(const ClusterStatus& status, const PartitionInfo& partition) {
  const bool voters_reachable = std::all_of(partition.voters.begin(), partition.voters.end(),
                                            [&](std::uint64_t id) { return connected(status, id); });
  if (partition.leader == 0 || !voters_reachable) return "Degraded";
  const std::set<std::uint64_t> voters(partition.voters.begin(), partition.voters.end());
  const std::set<std::uint64_t> target(partition.target.begin(), partition.target.end());
  const bool on_target = target.empty() || voters == target;
  return on_target && partition.learners.empty() ? "Stable" : "Rebalancing";
}

void write_replica(JsonOutput& json, RouteHints& hints, std::uint64_t id, std::string_view role) {
  json.start_object();
  json.key("endpoint");
  json.string(hints.endpoint_of(id));
  json.key("role");
  json.string(role);
  json.end_object();
}

void write_recorded_partition(JsonOutput& json, const ClusterStatus& status, const PartitionInfo& partition,
                              RouteHints& hints) {
  json.key("state");
  json.string(state_of(status, partition));
  json.key("generation");
  json.uint64(partition.generation);
  json.key("effectiveReplicationFactor");
  json.uint64(partition.voters.size());
  json.key("hostedLocally");
  json.boolean(partition.hosted);
  json.key("replicas");
  json.start_array();
  for (const std::uint64_t id : partition.voters) {
    write_replica(json, hints, id, id == partition.leader ? "Leader" : "Voter");
  }
  for (const std::uint64_t id : partition.learners) write_replica(json, hints, id, "Learner");
  json.end_array();
}

// Before the partition's first report (voters empty) every member holds a
// voting replica of it, as the configured peer list says.
void write_configured_partition(JsonOutput& json, const ClusterStatus& status, const PartitionInfo& partition,
                                const Readiness& readiness, RouteHints& hints) {
  const bool all_connected = std::all_of(status.nodes.begin(), status.nodes.end(),
                                         [](const NodeInfo& node) { return node.connected; });
  json.key("state");
  json.string(partition.leader != 0 && all_connected ? "Stable" : "Degraded");
  json.key("generation");
  json.uint64(partition.generation);
  json.key("effectiveReplicationFactor");
  json.uint64(status.nodes.size());
  json.key("hostedLocally");
  json.boolean(readiness.member);
  json.key("replicas");
  json.start_array();
  for (const NodeInfo& node : status.nodes) {
    write_replica(json, hints, node.id, node.id == partition.leader ? "Leader" : "Voter");
  }
  json.end_array();
}

}  // namespace

std::string encode_placement(const ClusterStatus& status, RouteHints& hints) {
  const Readiness readiness = readiness_of(status);
  // 0 until the metadata is known: every member then holds every partition.
  const std::uint64_t replication_factor =
      status.replication_factor != 0 ? status.replication_factor : status.nodes.size();
  JsonOutput json;
  json.start_object();
  json.key("replicationFactor");
  json.uint64(replication_factor);
  json.key("rebalancerEnabled");
  json.boolean(true);
  json.key("initialized");
  json.boolean(readiness.initialized);
  json.key("localEndpoint");
  json.string(hints.advertised_endpoint());
  json.key("hostedPartitionCount");
  json.int64(readiness.hosted_partitions);
  json.key("partitions");
  json.start_array();
  for (const PartitionInfo& partition : status.partitions) {
    if (partition.id == 0) continue;  // the metadata group is not placed
    json.start_object();
    json.key("partitionId");
    json.uint64(partition.id);
    if (partition.voters.empty()) {
      write_configured_partition(json, status, partition, readiness, hints);
    } else {
      write_recorded_partition(json, status, partition, hints);
    }
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.take();
}

}  // namespace kahuna::http
