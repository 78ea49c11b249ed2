#include "cluster_json.h"

#include "json_output.h"

namespace kahuna::http {
namespace {

// Membership is static (the TOML peer list), so its version never moves.
constexpr std::int64_t kMembershipVersion = 1;

std::string_view local_role(const Readiness& readiness) { return readiness.member ? "Voter" : "NotMember"; }

}  // namespace

Readiness readiness_of(const ClusterStatus& status) {
  Readiness readiness;
  readiness.initialized = status.data_partitions > 0 && !status.partitions.empty();
  for (const NodeInfo& node : status.nodes) {
    if (node.id == status.node_id) readiness.member = true;
  }
  for (const PartitionInfo& partition : status.partitions) {
    if (partition.id != 0) ++readiness.hosted_partitions;
  }
  return readiness;
}

std::string encode_health(const ClusterStatus& status) {
  const Readiness readiness = readiness_of(status);
  JsonOutput json;
  json.start_object();
  json.key("ready");
  json.boolean(readiness.ready());
  json.key("initialized");
  json.boolean(readiness.initialized);
  json.key("localRole");
  json.string(local_role(readiness));
  json.key("hostedPartitions");
  json.int64(readiness.hosted_partitions);
  json.end_object();
  return json.take();
}

std::string encode_membership(const ClusterStatus& status, RouteHints& hints) {
  const Readiness readiness = readiness_of(status);
  JsonOutput json;
  json.start_object();
  json.key("membershipVersion");
  json.int64(kMembershipVersion);
  json.key("members");
  json.start_array();
  for (const NodeInfo& node : status.nodes) {
    json.start_object();
    json.key("endpoint");
    json.string(hints.endpoint_of(node.id));
    json.key("nodeId");
    json.uint64(node.id);
    json.key("role");
    json.string("Voter");  // every member votes in every partition
    json.key("joinedVersion");
    json.int64(kMembershipVersion);
    json.end_object();
  }
  json.end_array();
  json.key("localRole");
  json.string(local_role(readiness));
  json.key("initialized");
  json.boolean(readiness.initialized);
  json.end_object();
  return json.take();
}

std::string encode_routing(const ClusterStatus& status, RouteHints& hints) {
  const Readiness readiness = readiness_of(status);
  JsonOutput json;
  json.start_object();
  json.key("initialized");
  json.boolean(readiness.initialized);
  json.key("schemaVersion");
  json.int64(1);
  json.key("hashAlgorithm");
  json.string(kHashAlgorithm);
  json.key("prefixSeparator");
  json.string("/");
  json.key("groupSeparator");
  json.string("|");
  json.key("hashPoolSize");
  json.uint64(status.data_partitions);
  json.key("hashPartitionOffset");
  json.int64(1);  // partition 0 is the metadata group
  json.key("sequenceStorageKeyFormat");
  json.string(kSequenceStorageKeyFormat);
  json.key("reservedKeyPrefix");
  json.string("__kahuna:");
  json.key("localEndpoint");
  json.string(hints.advertised_endpoint());
  json.key("snapshotVersion");
  json.int64(kMembershipVersion);
  json.key("coherent");
  json.boolean(readiness.initialized && status.data_partitions > 0);
  json.key("keySpaces");  // everything is hash-placed
  json.start_array();
  json.end_array();
  json.key("leaders");
  json.start_array();
  for (const PartitionInfo& partition : status.partitions) {
    json.start_object();
    json.key("partitionId");
    json.uint64(partition.id);
    json.key("endpoint");
    json.string(partition.leader == 0 ? std::string() : hints.endpoint_of(partition.leader));
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.take();
}

std::string encode_placement(const ClusterStatus& status, RouteHints& hints) {
  const Readiness readiness = readiness_of(status);
  // Every member holds a voting replica of every partition: the replication
  // factor is the member count and there is nothing to rebalance.
  const auto replication_factor = static_cast<std::int64_t>(status.nodes.size());
  JsonOutput json;
  json.start_object();
  json.key("replicationFactor");
  json.int64(replication_factor);
  json.key("rebalancerEnabled");
  json.boolean(false);
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
    bool all_connected = true;
    for (const NodeInfo& node : status.nodes) all_connected = all_connected && node.connected;
    json.start_object();
    json.key("partitionId");
    json.uint64(partition.id);
    json.key("state");
    json.string(partition.leader != 0 && all_connected ? "Stable" : "Degraded");
    json.key("generation");
    json.int64(0);  // its replica set has never changed
    json.key("effectiveReplicationFactor");
    json.int64(replication_factor);
    json.key("hostedLocally");
    json.boolean(readiness.member);
    json.key("replicas");
    json.start_array();
    for (const NodeInfo& node : status.nodes) {
      json.start_object();
      json.key("endpoint");
      json.string(hints.endpoint_of(node.id));
      json.key("role");
      json.string(node.id == partition.leader ? "Leader" : "Voter");
      json.end_object();
    }
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.take();
}

std::string encode_cluster_status(const ClusterStatus& status) {
  JsonOutput json;
  json.start_object();
  json.key("nodeId");
  json.uint64(status.node_id);
  json.key("dataPartitions");
  json.uint64(status.data_partitions);
  json.key("nodes");
  json.start_array();
  for (const NodeInfo& node : status.nodes) {
    json.start_object();
    json.key("id");
    json.uint64(node.id);
    json.key("peerAddress");
    json.string(node.peer_address);
    json.key("endpoints");
    json.start_object();
    for (const auto& [protocol, endpoint] : node.endpoints) {
      json.key(protocol);
      json.string(endpoint);
    }
    json.end_object();
    json.key("connected");
    json.boolean(node.connected);
    json.end_object();
  }
  json.end_array();
  json.key("partitions");
  json.start_array();
  for (const PartitionInfo& partition : status.partitions) {
    json.start_object();
    json.key("id");
    json.uint64(partition.id);
    json.key("leader");
    json.uint64(partition.leader);
    json.key("role");
    json.string(partition.role);
    json.key("term");
    json.uint64(partition.term);
    json.key("commitIndex");
    json.uint64(partition.commit_index);
    json.key("appliedIndex");
    json.uint64(partition.applied_index);
    json.key("firstIndex");
    json.uint64(partition.first_index);
    json.key("lastIndex");
    json.uint64(partition.last_index);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.take();
}

}  // namespace kahuna::http
