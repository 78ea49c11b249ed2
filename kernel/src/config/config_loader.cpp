#include "config/config_loader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <kahuna/plugin_loader.h>

#include "config/table_reader.h"
#include "storage/data_directory.h"

namespace kahuna {
namespace {

constexpr std::int64_t kMaxPartitions = 4096;
constexpr std::int64_t kMaxIoThreads = 1024;

Status read_node(TableReader& root, Config& out) {
  const toml::table* table = nullptr;
  if (Status s = root.table("node", table, /*required=*/true); !s) return s;
  TableReader node(*table, "node", root.file());
  std::int64_t id = 0;
  std::string data_dir;
  if (Status s = node.integer("id", id, 1, std::numeric_limits<std::int64_t>::max()); !s) return s;
  if (Status s = node.string("data_dir", data_dir); !s) return s;
  if (data_dir.empty()) return node.error("data_dir", "must not be empty");
  if (Status s = node.reject_unknown_keys(); !s) return s;
  out.node.id = static_cast<std::uint64_t>(id);
  out.node.data_dir = data_dir;
  return Status::ok();
}

Status read_log(TableReader& root, Config& out) {
  const toml::table* table = nullptr;
  if (Status s = root.table("log", table); !s || table == nullptr) return s;
  TableReader log(*table, "log", root.file());
  std::string level;
  if (Status s = log.string("level", level, "info"); !s) return s;
  static const std::vector<std::string> kLevels = {"trace", "debug",    "info", "warn",
                                                   "error", "critical", "off"};
  if (std::find(kLevels.begin(), kLevels.end(), level) == kLevels.end()) {
    return log.error("level", "'" + level +
                                  "' is not a log level: use trace, debug, info, warn, error, "
                                  "critical or off");
  }
  out.log_level = spdlog::level::from_str(level);
  return log.reject_unknown_keys();
}

Status read_server(TableReader& root, Config& out) {
  std::int64_t threads = 0;
  const toml::table* table = nullptr;
  if (Status s = root.table("server", table); !s) return s;
  if (table != nullptr) {
    TableReader server(*table, "server", root.file());
    if (Status s = server.integer("io_threads", threads, 0, kMaxIoThreads, 0); !s) return s;
    if (Status s = server.reject_unknown_keys(); !s) return s;
  }
  // 0 means one thread per core, the default.
  out.io_threads =
      threads > 0 ? static_cast<unsigned>(threads) : std::max(1u, std::thread::hardware_concurrency());
  return Status::ok();
}

Status read_plugins(TableReader& root, const std::filesystem::path& default_dir, Config& out) {
  out.plugin_dir = default_dir;
  const toml::table* table = nullptr;
  if (Status s = root.table("plugins", table); !s || table == nullptr) return s;
  TableReader plugins(*table, "plugins", root.file());
  std::string dir;
  if (Status s = plugins.string("dir", dir, ""); !s) return s;
  if (!dir.empty()) {
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
      return plugins.error("dir", "'" + dir + "' is not a directory");
    }
    out.plugin_dir = dir;
  }
  return plugins.reject_unknown_keys();
}

// `endpoints = { protocol = "address", ... }` of the table `reader` reads.
Status read_endpoints(TableReader& reader, const std::string& path, const std::filesystem::path& file,
                      std::map<std::string, std::string>& out) {
  const toml::table* endpoints = nullptr;
  if (Status s = reader.table("endpoints", endpoints); !s) return s;
  if (endpoints == nullptr) return Status::ok();
  TableReader endpoint_reader(*endpoints, path + ".endpoints", file);
  for (const auto& [protocol, value] : *endpoints) {
    std::string endpoint;
    if (Status s = endpoint_reader.string(protocol.str(), endpoint); !s) return s;
    if (endpoint.empty()) return endpoint_reader.error(protocol.str(), "must not be empty");
    out.emplace(std::string(protocol.str()), std::move(endpoint));
  }
  return Status::ok();
}

Status read_peer(const toml::node& node, std::size_t index, const std::filesystem::path& file,
                 PeerConfig& peer) {
  const std::string path = "cluster.peers[" + std::to_string(index) + "]";
  if (!node.is_table()) {
    return Status::invalid_argument(position(file, node.source()) + ": " + path +
                                    ": expected a table such as { id = 1, address = "
                                    "\"127.0.0.1:7001\" }, got " +
                                    std::string(describe(node.type())));
  }
  TableReader reader(*node.as_table(), path, file);
  std::int64_t id = 0;
  std::string address;
  if (Status s = reader.integer("id", id, 1, std::numeric_limits<std::int64_t>::max()); !s) return s;
  if (Status s = reader.string("address", address); !s) return s;
  if (Status s = parse_host_port(address, peer.address, PortZero::kRefused); !s) {
    return reader.error("address", s.message());
  }
  peer.id = static_cast<std::uint64_t>(id);
  if (Status s = read_endpoints(reader, path, file, peer.endpoints); !s) return s;
  return reader.reject_unknown_keys();
}

// address, endpoints, join and replication_factor: how this node finds the
// cluster when `peers` does not list it.
Status read_membership(TableReader& cluster, const std::filesystem::path& file, ClusterConfig& out) {
  std::string address;
  if (Status s = cluster.string("address", address, ""); !s) return s;
  if (!address.empty()) {
    if (!out.peers.empty()) {
      return cluster.error("address", "set either peers (this node's address is its own entry) or address");
    }
    if (Status s = parse_host_port(address, out.address, PortZero::kRefused); !s) {
      return cluster.error("address", s.message());
    }
  }
  if (Status s = read_endpoints(cluster, "cluster", file, out.endpoints); !s) return s;
  if (!out.endpoints.empty() && !out.peers.empty()) {
    return cluster.error("endpoints", "with peers, this node's endpoints are those of its own entry");
  }
  const toml::array* join = nullptr;
  if (Status s = cluster.array("join", join); !s) return s;
  if (join != nullptr) {
    for (std::size_t i = 0; i < join->size(); ++i) {
      const std::optional<std::string> seed = join->get(i)->value<std::string>();
      HostPort parsed;
      if (!seed) return cluster.error("join", "expected \"host:port\" strings");
      if (Status s = parse_host_port(*seed, parsed, PortZero::kRefused); !s)
        return cluster.error("join", s.message());
      out.join.push_back(std::move(parsed));
    }
    if (out.join.empty()) return cluster.error("join", "must name at least one member's peer address");
    if (!out.peers.empty()) {
      return cluster.error("join", "a node either starts a cluster (peers) or joins one (join), not both");
    }
    if (out.address.host.empty()) {
      return cluster.error("join", "a joining node needs its own peer address: set cluster.address");
    }
  }
  std::int64_t factor = 0;
  if (Status s = cluster.integer("replication_factor", factor, 0, 5, 0); !s) return s;
  out.replication_factor = static_cast<std::uint32_t>(factor);
  return Status::ok();
}

Status read_cluster(TableReader& root, Config& out) {
  const toml::table* table = nullptr;
  if (Status s = root.table("cluster", table); !s || table == nullptr) return s;
  TableReader cluster(*table, "cluster", root.file());
  std::int64_t partitions = 0;
  if (Status s = cluster.integer("partitions", partitions, 1, kMaxPartitions, 16); !s) return s;
  out.cluster.partitions = static_cast<std::uint32_t>(partitions);

  const toml::array* peers = nullptr;
  if (Status s = cluster.array("peers", peers); !s) return s;
  if (peers != nullptr) {
    std::set<std::uint64_t> ids;
    std::set<std::string> addresses;
    for (std::size_t i = 0; i < peers->size(); ++i) {
      PeerConfig peer;
      if (Status s = read_peer(*peers->get(i), i, root.file(), peer); !s) return s;
      if (!ids.insert(peer.id).second) {
        return cluster.error("peers", "peer id " + std::to_string(peer.id) + " appears twice");
      }
      if (!addresses.insert(peer.address.to_string()).second) {
        return cluster.error("peers", "address " + peer.address.to_string() + " appears twice");
      }
      out.cluster.peers.push_back(std::move(peer));
    }
    if (!out.cluster.peers.empty() && !ids.contains(out.node.id)) {
      return cluster.error(
          "peers", "this node's id (node.id = " + std::to_string(out.node.id) + ") is not among the peers");
    }
  }
  if (Status s = read_membership(cluster, root.file(), out.cluster); !s) return s;
  return cluster.reject_unknown_keys();
}

// Names of the plugins of `kind` found in `dir`, for "did you mean" hints.
std::string available_plugins(const std::filesystem::path& dir, PluginKind kind) {
  const std::string prefix = "kahuna-" + std::string(to_string(kind)) + "-";
  std::set<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(".so")) {
      names.insert(name.substr(prefix.size(), name.size() - prefix.size() - 3));
    }
  }
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  return list.empty() ? "none" : list;
}

Status read_storage(TableReader& root, Config& out) {
  const toml::table* table = nullptr;
  if (Status s = root.table("storage", table, /*required=*/true); !s) return s;
  TableReader storage(*table, "storage", root.file());
  if (Status s = storage.string("plugin", out.storage.plugin); !s) return s;
  if (out.storage.plugin.empty()) return storage.error("plugin", "must not be empty");

  out.storage.plugin_file = plugin_file_path(out.plugin_dir, PluginKind::kStorage, out.storage.plugin);
  std::error_code error;
  if (!std::filesystem::exists(out.storage.plugin_file, error)) {
    return storage.error("plugin", "no storage plugin named '" + out.storage.plugin + "' (" +
                                       out.storage.plugin_file.string() + " does not exist); available in " +
                                       out.plugin_dir.string() + ": " +
                                       available_plugins(out.plugin_dir, PluginKind::kStorage));
  }

  // [storage.<name>] tables configure engines; only the chosen one is
  // handed over, but a table for an engine that does not exist is a typo.
  std::int64_t cache_mb = 0;
  if (Status s = storage.integer("state_cache_mb", cache_mb, 0, 1 << 20, 64); !s) return s;
  out.storage.state_cache_mb = static_cast<std::uint64_t>(cache_mb);

  for (const auto& [key, node] : *table) {
    if (key.str() == "plugin" || key.str() == "state_cache_mb") continue;
    const std::string name(key.str());
    if (!node.is_table()) {
      return storage.error(name, "unknown key (engine options go in a [storage." + name + "] table)");
    }
    storage.accept(name);
    const bool chosen =
        name == out.storage.plugin || out.storage.plugin_file.stem() == "kahuna-storage-" + name;
    if (chosen) {
      out.storage.options = *node.as_table();
    } else if (!std::filesystem::exists(plugin_file_path(out.plugin_dir, PluginKind::kStorage, name),
                                        error)) {
      return storage.error(name, "no storage plugin named '" + name + "' for these options; " +
                                     "available: " + available_plugins(out.plugin_dir, PluginKind::kStorage));
    }
  }
  return storage.reject_unknown_keys();
}

Status read_raft(TableReader& root, Config& out) {
  const toml::table* table = nullptr;
  if (Status s = root.table("raft", table); !s || table == nullptr) return s;
  TableReader raft(*table, "raft", root.file());
  std::int64_t tick_ms = 0, election = 0, heartbeat = 0, compact = 0;
  if (Status s = raft.integer("tick_ms", tick_ms, 1, 10000, out.raft.tick_ms); !s) return s;
  if (Status s = raft.integer("election_ticks", election, 2, 1000, out.raft.election_ticks); !s) return s;
  if (Status s = raft.integer("heartbeat_ticks", heartbeat, 1, 1000, out.raft.heartbeat_ticks); !s) return s;
  if (heartbeat >= election) {
    return raft.error("heartbeat_ticks", "must be less than raft.election_ticks (" +
                                             std::to_string(election) +
                                             "), or followers elect a new leader between heartbeats");
  }
  if (Status s = raft.integer("compact_after_entries", compact, 0, std::numeric_limits<std::int64_t>::max(),
                              static_cast<std::int64_t>(out.raft.compact_after_entries));
      !s) {
    return s;
  }
  out.raft.tick_ms = static_cast<std::uint32_t>(tick_ms);
  out.raft.election_ticks = static_cast<std::uint32_t>(election);
  out.raft.heartbeat_ticks = static_cast<std::uint32_t>(heartbeat);
  out.raft.compact_after_entries = static_cast<std::uint64_t>(compact);
  if (Status s = raft.boolean("lease_reads", out.raft.lease_reads, false); !s) return s;
  std::int64_t quiesce = 0;
  if (Status s = raft.integer("quiesce_ticks", quiesce, 0, 1000000, out.raft.quiesce_ticks); !s) return s;
  out.raft.quiesce_ticks = static_cast<std::uint32_t>(quiesce);
  if (Status s = raft.boolean("pipeline", out.raft.pipeline, true); !s) return s;
  if (Status s = raft.string("log", out.raft.log, "segmented"); !s) return s;
  if (out.raft.log != "segmented" && out.raft.log != "engine") {
    return raft.error("log", "must be \"segmented\" or \"engine\", not \"" + out.raft.log + "\"");
  }
  std::int64_t segment_mb = 0;
  if (Status s = raft.integer("log_segment_mb", segment_mb, 1, 4096, 64); !s) return s;
  out.raft.log_segment_mb = static_cast<std::uint64_t>(segment_mb);
  return raft.reject_unknown_keys();
}

Status read_services(TableReader& root, Config& out) {
  ServicesConfig& services = out.services;
  const toml::table* table = nullptr;
  if (Status s = root.table("kv", table); !s) return s;
  if (table != nullptr) {
    TableReader kv(*table, "kv", root.file());
    std::int64_t key = 0, value = 0, history = 0, page = 0;
    if (Status s = kv.integer("max_key_bytes", key, 1, 64 * 1024, 1024); !s) return s;
    if (Status s = kv.integer("max_value_bytes", value, 0, 64 << 20, 1 << 20); !s) return s;
    if (Status s = kv.integer("history_revisions", history, 0, 100000, 16); !s) return s;
    if (Status s = kv.integer("max_page_size", page, 1, 100000, 1000); !s) return s;
    if (Status s = kv.reject_unknown_keys(); !s) return s;
    services.max_key_bytes = static_cast<std::uint64_t>(key);
    services.max_value_bytes = static_cast<std::uint64_t>(value);
    services.history_revisions = static_cast<std::uint32_t>(history);
    services.max_page_size = static_cast<std::uint64_t>(page);
  }
  if (Status s = root.table("sequences", table); !s) return s;
  if (table != nullptr) {
    TableReader sequences(*table, "sequences", root.file());
    if (Status s = sequences.integer("default_block_size", services.default_block_size, 1, 1000000000, 1000);
        !s) {
      return s;
    }
    if (Status s = sequences.integer("idempotency_retention_ms", services.idempotency_retention_ms, 600000,
                                     7LL * 24 * 3600 * 1000, 600000);
        !s) {
      return s;
    }
    if (Status s = sequences.reject_unknown_keys(); !s) return s;
  }
  if (Status s = root.table("requests", table); !s) return s;
  if (table != nullptr) {
    TableReader requests(*table, "requests", root.file());
    // A retry must still be recognised when it comes: clients resend within
    // seconds to a minute, so neither bound may be tiny.
    if (Status s = requests.integer("id_capacity", services.request_id_capacity, 1000, 100000000, 100000);
        !s) {
      return s;
    }
    if (Status s = requests.integer("id_retention_ms", services.request_id_retention_ms, 60000,
                                    7LL * 24 * 3600 * 1000, 600000);
        !s) {
      return s;
    }
    if (Status s = requests.reject_unknown_keys(); !s) return s;
  }
  return Status::ok();
}

// [[protocol]] entries: each names its plugin; the rest of the entry is the
// plugin's own options, checked by the plugin when it is created.
Status read_protocols(TableReader& root, Config& out) {
  const toml::array* entries = nullptr;
  if (Status s = root.array("protocol", entries); !s || entries == nullptr) return s;
  std::set<std::string> names;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const toml::node& node = *entries->get(i);
    const std::string path = "protocol[" + std::to_string(i) + "]";
    if (!node.is_table()) {
      return Status::invalid_argument(position(root.file(), node.source()) + ": " + path +
                                      ": expected a [[protocol]] table with plugin = \"binary\" or \"http\"");
    }
    TableReader reader(*node.as_table(), path, root.file());
    ProtocolConfig protocol;
    if (Status s = reader.string("plugin", protocol.plugin); !s) return s;
    if (protocol.plugin.empty()) return reader.error("plugin", "must not be empty");
    if (!names.insert(protocol.plugin).second) {
      return reader.error("plugin", "protocol '" + protocol.plugin + "' is configured twice");
    }
    protocol.plugin_file = plugin_file_path(out.plugin_dir, PluginKind::kProtocol, protocol.plugin);
    std::error_code error;
    if (!std::filesystem::exists(protocol.plugin_file, error)) {
      return reader.error("plugin", "no protocol plugin named '" + protocol.plugin + "' (" +
                                        protocol.plugin_file.string() + " does not exist); available in " +
                                        out.plugin_dir.string() + ": " +
                                        available_plugins(out.plugin_dir, PluginKind::kProtocol));
    }
    protocol.options = *node.as_table();
    protocol.options.erase("plugin");
    out.protocols.push_back(std::move(protocol));
  }
  return Status::ok();
}

}  // namespace

Status load_config_text(std::string_view text, const std::filesystem::path& file,
                        const std::filesystem::path& default_plugin_dir, Config& out) {
  toml::table root_table;
  try {
    root_table = toml::parse(text, file.string());
  } catch (const toml::parse_error& error) {
    return Status::invalid_argument(position(file, error.source()) +
                                    ": invalid TOML: " + std::string(error.description()));
  }

  out = Config{};
  out.file = file;
  TableReader root(root_table, "", file);
  // The order matters: storage needs plugin_dir, cluster needs node.id.
  for (auto* step : {&read_node, &read_log, &read_server, &read_cluster}) {
    if (Status s = step(root, out); !s) return s;
  }
  if (Status s = read_plugins(root, default_plugin_dir, out); !s) return s;
  if (Status s = read_storage(root, out); !s) return s;
  if (Status s = read_protocols(root, out); !s) return s;
  if (Status s = read_raft(root, out); !s) return s;
  if (Status s = read_services(root, out); !s) return s;
  if (Status s = root.reject_unknown_keys(); !s) return s;

  if (Status s = check_data_directory(out.node.data_dir); !s) {
    return Status::invalid_argument(file.string() + ": node.data_dir: " + s.message());
  }
  return Status::ok();
}

Status load_config(const std::filesystem::path& file, const std::filesystem::path& default_plugin_dir,
                   Config& out) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    return Status::not_found("cannot read configuration file '" + file.string() +
                             "': " + std::strerror(errno));
  }
  std::ostringstream text;
  text << stream.rdbuf();
  return load_config_text(text.str(), file, default_plugin_dir, out);
}

}  // namespace kahuna
