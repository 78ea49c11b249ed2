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
};

struct PartitionInfo {
  std::uint32_t id = 0;      // 0 is the metadata partition
  std::uint64_t leader = 0;  // 0 = unknown
  std::string role{};        // this node's role: "leader", "follower", "candidate", "pre-candidate"
  std::uint64_t term = 0;
  std::uint64_t commit_index = 0;
  std::uint64_t applied_index = 0;
  std::uint64_t first_index = 0;
  std::uint64_t last_index = 0;
};

struct ClusterStatus {
  std::uint64_t node_id = 0;
  std::uint32_t data_partitions = 0;        // partitions 1..data_partitions hold data
  std::vector<NodeInfo> nodes{};            // every member, this node included, by id
  std::vector<PartitionInfo> partitions{};  // 0..data_partitions
};

}  // namespace kahuna
