#include "cluster_json.h"

#include "json_output.h"

namespace kahuna::http {
namespace {

void write_ids(JsonOutput& json, const std::vector<std::uint64_t>& ids) {
  json.start_array();
  for (const std::uint64_t id : ids) json.uint64(id);
  json.end_array();
}

}  // namespace

std::string_view member_role(const NodeInfo& node) {
  if (node.state == "joining") return "Learner";
  if (node.state == "leaving") return "Leaving";
  // "voter", or "" before this node applied the metadata: the configured
  // members, who all vote.
  return "Voter";
}

Readiness readiness_of(const ClusterStatus& status) {
  Readiness readiness;
  readiness.initialized = status.data_partitions > 0 && !status.partitions.empty();
  for (const NodeInfo& node : status.nodes) {
    if (node.id != status.node_id) continue;
    readiness.member = true;
    readiness.local_role = member_role(node);
  }
  // Until the metadata is known every node holds every partition.
  const bool metadata_known = status.metadata_version != 0;
  for (const PartitionInfo& partition : status.partitions) {
    if (partition.id != 0 && (partition.hosted || !metadata_known)) ++readiness.hosted_partitions;
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
  json.string(readiness.local_role);
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
  json.uint64(status.metadata_version);
  json.key("members");
  json.start_array();
  for (const NodeInfo& node : status.nodes) {
    json.start_object();
    json.key("endpoint");
    json.string(hints.endpoint_of(node.id));
    json.key("nodeId");
    json.uint64(node.id);
    json.key("role");
    json.string(member_role(node));
    json.key("joinedVersion");
    json.uint64(node.joined_version);
    json.end_object();
  }
  json.end_array();
  json.key("localRole");
  json.string(readiness.local_role);
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
  json.uint64(status.metadata_version);
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
    json.key("state");
    json.string(node.state);
    json.key("joinedVersion");
    json.uint64(node.joined_version);
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
    json.key("voters");
    write_ids(json, partition.voters);
    json.key("learners");
    write_ids(json, partition.learners);
    json.key("generation");
    json.uint64(partition.generation);
    json.key("target");
    write_ids(json, partition.target);
    json.key("hosted");
    json.boolean(partition.hosted);
    json.end_object();
  }
  json.end_array();
  json.key("metadataVersion");
  json.uint64(status.metadata_version);
  json.key("replicationFactor");
  json.uint64(status.replication_factor);
  json.end_object();
  return json.take();
}

}  // namespace kahuna::http
