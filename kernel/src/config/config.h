// Config: the validated contents of a node's TOML file. Every field has been
// checked by load_config(); the rest of the server trusts it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <spdlog/common.h>
#include <toml++/toml.h>

#include <kahuna/host_port.h>

namespace kahuna {

struct NodeConfig {
  std::uint64_t id = 1;
  std::filesystem::path data_dir;  // created if missing; must be writable
};

struct PeerConfig {
  std::uint64_t id = 0;
  HostPort address;  // where the peer's Raft transport listens (never port 0: others dial it)
  // The node's client-facing endpoints by protocol name, as clients dial
  // them (e.g. "binary" -> "127.0.0.1:7101", "http" -> "http://127.0.0.1:7201"),
  // so any node can tell a client where a partition's leader is served.
  std::map<std::string, std::string> endpoints;
};

struct ClusterConfig {
  std::uint32_t partitions = 16;  // data partitions, besides partition 0 (metadata)
  // The first members of the cluster, this node included (their metadata
  // records them at its bootstrap; later members join). Empty: this node
  // alone, or one that joins through `join`.
  std::vector<PeerConfig> peers;
  // Without `peers`: where this node's peer transport listens and is
  // reached (empty: a single node that others cannot join), and what its
  // clients dial. With `peers` both come from this node's own entry.
  HostPort address;
  std::map<std::string, std::string> endpoints;
  // Peer addresses of members to ask for admission; set only on a node that
  // joins an existing cluster (no `peers`).
  std::vector<HostPort> join;
  // Voters per partition at the bootstrap (0: the first members, at most 5).
  std::uint32_t replication_factor = 0;

  bool joins() const noexcept { return !join.empty(); }
  // This node's own entry: from `peers`, or made of `address` and `endpoints`.
  PeerConfig self(std::uint64_t node_id) const {
    for (const PeerConfig& peer : peers) {
      if (peer.id == node_id) return peer;
    }
    return PeerConfig{node_id, address, endpoints};
  }
  // Whether this node has a peer transport at all.
  bool networked() const noexcept { return !peers.empty() || !address.host.empty(); }
};

struct StorageConfig {
  std::string plugin;                 // the engine's name, e.g. "rocksdb"
  std::filesystem::path plugin_file;  // the library that provides it (checked to exist)
  toml::table options;                // [storage.<plugin>], handed to the plugin
  // Memory for the apply path's cache of recent keys, shared by the node's
  // partitions (services/storage/state_cache.h); 0 turns it off.
  std::uint64_t state_cache_mb = 64;
};

// One [[protocol]] entry: a client protocol plugin and its options.
struct ProtocolConfig {
  std::string plugin;                 // e.g. "binary", "http"
  std::filesystem::path plugin_file;  // checked to exist
  toml::table options;                // the entry without its `plugin` key
};

// [raft]: timing and log compaction of every Raft group on the node.
struct RaftConfig {
  std::uint32_t tick_ms = 100;                  // one Raft tick
  std::uint32_t election_ticks = 10;            // election timeout, in ticks (randomized up to 2x)
  std::uint32_t heartbeat_ticks = 2;            // leader heartbeat interval, in ticks
  std::uint64_t compact_after_entries = 10000;  // applied entries kept before a snapshot
  bool lease_reads = false;  // serve linearizable reads under the leader's lease, without a round
  // A group idle for this many ticks stops ticking and heartbeating until
  // it is used again (raft::Config::quiesce_ticks); 0 never quiesces.
  std::uint32_t quiesce_ticks = 20;
  // Each group keeps taking proposals and sending appends while its own
  // log write is under way, and applies one batch while writing the next.
  bool pipeline = true;
  // Where the Raft log lives: "segmented" (its own segment files, the
  // state's write-ahead log) or "engine" (keys in the storage engine).
  std::string log = "segmented";
  std::uint64_t log_segment_mb = 64;  // preallocated size of one log segment
};

// [kv] and [sequences]: limits and retention of the services. Every node of
// a cluster must use the same values (they decide what replicas apply).
struct ServicesConfig {
  std::uint64_t max_key_bytes = 1024;
  std::uint64_t max_value_bytes = 1024 * 1024;
  std::uint32_t history_revisions = 16;
  std::uint64_t max_page_size = 1000;
  std::int64_t default_block_size = 1000;
  std::int64_t idempotency_retention_ms = 10 * 60 * 1000;
  // [requests]: how many applied request ids each partition remembers, and
  // for how long, so a resent write is not applied twice (docs/configuration.md).
  std::int64_t request_id_capacity = 100000;
  std::int64_t request_id_retention_ms = 10 * 60 * 1000;
};

struct Config {
  std::filesystem::path file;  // the file this was read from
  NodeConfig node;
  ClusterConfig cluster;
  StorageConfig storage;
  std::vector<ProtocolConfig> protocols;
  RaftConfig raft;
  ServicesConfig services;
  std::filesystem::path plugin_dir;
  spdlog::level::level_enum log_level = spdlog::level::info;
  unsigned io_threads = 0;  // resolved: never 0 after load_config()
};

}  // namespace kahuna
