// Config: the validated contents of a node's TOML file. Every field has been
// checked by load_config(); the rest of the server trusts it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <spdlog/common.h>
#include <toml++/toml.h>

#include "config/address.h"

namespace kahuna {

struct NodeConfig {
  std::uint64_t id = 1;
  std::filesystem::path data_dir;  // created if missing; must be writable
};

struct PeerConfig {
  std::uint64_t id = 0;
  Address address;  // where the peer's Raft transport listens
};

struct ClusterConfig {
  std::uint32_t partitions = 16;  // data partitions, besides partition 0 (metadata)
  // Every voter of the cluster, this node included. Empty: a single-node
  // cluster made of this node alone.
  std::vector<PeerConfig> peers;
};

struct StorageConfig {
  std::string plugin;                // the engine's name, e.g. "rocksdb"
  std::filesystem::path plugin_file; // the library that provides it (checked to exist)
  toml::table options;               // [storage.<plugin>], handed to the plugin
};

struct Config {
  std::filesystem::path file;  // the file this was read from
  NodeConfig node;
  ClusterConfig cluster;
  StorageConfig storage;
  std::filesystem::path plugin_dir;
  spdlog::level::level_enum log_level = spdlog::level::info;
  unsigned io_threads = 0;  // resolved: never 0 after load_config()
};

}  // namespace kahuna
