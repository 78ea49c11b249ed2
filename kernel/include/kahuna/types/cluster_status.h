// Nodes, partitions, leaders, terms and indexes as one node sees them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kahuna {

struct NodeInfo {
  std::uint64_t id = 0;
  std::string peer_address{};  // host:port of its Raft transport
  // Client-facing endpoints by protocol name ("binary" -> "127.0.0.1:7100",
  // "http" -> "http://127.0.0.1:7200"), as clients should dial them.
  std::map<std::string, std::string> endpoints{};
  bool connected = false;  // this node has a live connection to it (always true for itself)
  // Its state in the cluster's metadata: "joining" (admitted, receiving
  // replicas as a learner), "voter", "leaving" (being drained); "" while
  // this node has not yet applied the metadata.
  std::string state{};
  std::uint64_t joined_version = 0;  // the metadata version that admitted it
};

struct PartitionInfo {
  std::uint32_t id = 0;      // 0 is the metadata partition
  std::uint64_t leader = 0;  // 0 = unknown
  // This node's role: "leader", "follower", "candidate", "pre-candidate", or
  // "none" where it holds no replica.
  std::string role{};
  std::uint64_t term = 0;
  std::uint64_t commit_index = 0;
  std::uint64_t applied_index = 0;
  std::uint64_t first_index = 0;
  std::uint64_t last_index = 0;
  // Its replica set as the cluster's metadata last recorded it (each
  // group's leader reports every change of its membership and leadership),
  // ascending ids; empty until the first report.
  std::vector<std::uint64_t> voters{};
  std::vector<std::uint64_t> learners{};
  std::uint64_t generation = 0;  // raised by every change of the replica set
  // The replicas the placement wants it to have, preferred leader first;
  // differs from `voters` while the rebalancer moves replicas.
  std::vector<std::uint64_t> target{};
  bool hosted = false;  // this node holds a replica of it (voter or learner)
};

struct ClusterStatus {
  std::uint64_t node_id = 0;
  std::uint32_t data_partitions = 0;        // partitions 1..data_partitions hold data
  std::vector<NodeInfo> nodes{};            // every member, this node included, by id
  std::vector<PartitionInfo> partitions{};  // 0..data_partitions
  // The cluster metadata's version: raised by every change of the members,
  // the replication factor or a replica set; 0 before the metadata is known.
  // Clients refresh their map of the cluster when they see a newer one.
  std::uint64_t metadata_version = 0;
  std::uint32_t replication_factor = 0;  // voters per partition the placement aims for
};

}  // namespace kahuna
