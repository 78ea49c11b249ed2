#include "cluster_codec.h"

#include "common_codec.h"

namespace kahuna::wire {

void write(ByteWriter& w, const NodeInfo& node) {
  w.u64(node.id);
  w.bytes(node.peer_address);
  w.count(node.endpoints.size());
  for (const auto& [protocol, endpoint] : node.endpoints) {
    w.bytes(protocol);
    w.bytes(endpoint);
  }
  w.boolean(node.connected);
}

void read(ByteReader& r, NodeInfo& node) {
  node.id = r.u64("node.id");
  r.bytes("node.peer_address", node.peer_address);
  node.endpoints.clear();
  const std::size_t endpoints = r.count("node.endpoints", 2 * kBytesMinSize);
  for (std::size_t i = 0; i < endpoints && r.ok(); ++i) {
    std::string protocol;
    std::string endpoint;
    r.bytes("node.endpoints.protocol", protocol);
    r.bytes("node.endpoints.endpoint", endpoint);
    if (!r.ok()) break;
    // A map on both ends, written in its order: a repeated name would be
    // silently lost and names out of order would encode differently, so the
    // one encoding of a map is the only one accepted.
    if (!node.endpoints.empty()) {
      const std::string& previous = node.endpoints.rbegin()->first;
      if (protocol == previous) {
        r.fail("node.endpoints", "protocol name repeated");
        break;
      }
      if (protocol < previous) {
        r.fail("node.endpoints", "protocol names must be in ascending order");
        break;
      }
    }
    node.endpoints.emplace_hint(node.endpoints.end(), std::move(protocol), std::move(endpoint));
  }
  node.connected = r.boolean("node.connected");
}

void write(ByteWriter& w, const PartitionInfo& partition) {
  w.u32(partition.id);
  w.u64(partition.leader);
  w.bytes(partition.role);
  w.u64(partition.term);
  w.u64(partition.commit_index);
  w.u64(partition.applied_index);
  w.u64(partition.first_index);
  w.u64(partition.last_index);
}

void read(ByteReader& r, PartitionInfo& partition) {
  partition.id = r.u32("partition.id");
  partition.leader = r.u64("partition.leader");
  r.bytes("partition.role", partition.role);
  partition.term = r.u64("partition.term");
  partition.commit_index = r.u64("partition.commit_index");
  partition.applied_index = r.u64("partition.applied_index");
  partition.first_index = r.u64("partition.first_index");
  partition.last_index = r.u64("partition.last_index");
}

void write(ByteWriter& w, const ClusterStatus& status) {
  w.u64(status.node_id);
  w.u32(status.data_partitions);
  write_list(w, status.nodes);
  write_list(w, status.partitions);
}

void read(ByteReader& r, ClusterStatus& status) {
  status.node_id = r.u64("node_id");
  status.data_partitions = r.u32("data_partitions");
  read_list(r, "nodes", status.nodes);
  read_list(r, "partitions", status.partitions);
}

}  // namespace kahuna::wire
