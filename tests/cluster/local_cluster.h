// LocalCluster: N kahuna server processes on 127.0.0.1, each with its own
// data directory and generated TOML file, with the binary protocol enabled;
// nodes can be killed (SIGKILL), stopped and restarted on their data.
// Every listen port comes from support/port_allocator.h, so clusters of
// test processes running in parallel never compete for a port.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"

namespace kahuna::testing {

struct ClusterOptions {
  int nodes = 3;
  std::uint32_t partitions = 4;
  std::string engine = "rocksdb";
  std::uint64_t compact_after_entries = 10000;
  bool http = false;  // also enable the HTTP protocol on each node
  // Each node reaches every other node's peer port through a port of its
  // own (proxy_port(from, to)) instead of directly, so that a fault proxy
  // listening there can cut or stall that link. Nothing listens on those
  // ports until the test starts proxies (tests/faults/fault_network.h): the
  // nodes cannot reach each other before.
  bool peer_proxies = false;
  // The nodes that start the cluster (ids 1..first_members; 0: all). The
  // others join it: their configuration has no peers but their own address
  // and `join` through node 1's and node 2's peer ports.
  int first_members = 0;
  std::uint32_t replication_factor = 0;  // [cluster] replication_factor of the first members; 0: unset
};

class LocalCluster {
 public:
  // Writes the configurations; starts nothing.
  LocalCluster(const std::filesystem::path& dir, ClusterOptions options);
  ~LocalCluster();  // kills every node still running

  // Starts node `id` (1-based) and waits until it serves clients.
  void start(int id);
  void start_all();
  // SIGKILL: no shutdown, nothing flushed beyond what was synced.
  void kill(int id);
  // SIGKILL to every running node first, then waits for them: a power cut.
  void kill_all();
  // SIGTERM and wait for the clean exit; returns its exit code.
  int stop(int id);
  bool running(int id) const;
  // True when node `id` was started (and not killed or stopped by the test)
  // but its process has ended on its own: a crash or an unexpected exit.
  bool crashed(int id) const;
  // What node `id`'s current process printed (its log is also kept in
  // nodeN.log in the cluster's directory, across restarts).
  std::string output(int id) const;
  // SIGSTOP / SIGCONT: the node freezes with its sockets open. pause()
  // returns once every thread of the node has stopped.
  void pause(int id);
  void resume(int id);

  std::string endpoint(int id) const;       // the node's binary protocol address
  std::string http_endpoint(int id) const;  // "http://127.0.0.1:port" when options.http
  int size() const { return options_.nodes; }
  std::uint16_t peer_port(int id) const;  // the node's real peer listen port
  // With options.peer_proxies, the port node `from` dials to reach node
  // `to` (from != to); 0 otherwise.
  std::uint16_t proxy_port(int from, int to) const;
  const ClusterOptions& options() const { return options_; }

 private:
  struct Node {
    std::uint16_t peer_port = 0;
    std::uint16_t client_port = 0;
    std::uint16_t http_port = 0;
    std::vector<std::uint16_t> proxy_ports;  // by peer id - 1; with peer_proxies
    std::filesystem::path config;
    std::unique_ptr<ChildProcess> process;
  };

  std::filesystem::path dir_;
  ClusterOptions options_;
  std::vector<Node> nodes_;
};

}  // namespace kahuna::testing
