// ServerCluster: real kahuna server processes on 127.0.0.1 for the SDK and
// CLI tests — one node, or several forming a cluster — each with a generated
// TOML file, free ports and its own data directory under a temp dir. Every
// node's output goes to <dir>/nodeN.log.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"

namespace kahuna::client::testing {

class ServerCluster {
 public:
  struct Options {
    std::size_t nodes = 1;         // 1: a single node without [cluster] peers
    std::uint32_t partitions = 4;  // data partitions
    std::uint32_t tick_ms = 50;    // Raft tick
  };

  // Writes the configuration and starts every node; `name` tells test
  // directories apart.
  ServerCluster(const std::string& name, Options options);
  ~ServerCluster();  // SIGKILLs what still runs and removes the directory
  ServerCluster(const ServerCluster&) = delete;
  ServerCluster& operator=(const ServerCluster&) = delete;

  // Waits until every running node logged "ready" and accepts connections on
  // its binary port.
  bool wait_ready(std::chrono::milliseconds timeout);

  // Binary endpoints ("127.0.0.1:port"), by node id order.
  std::vector<std::string> endpoints() const;
  std::string endpoint(std::uint64_t id) const;
  std::size_t size() const { return nodes_.size(); }

  void kill(std::uint64_t id);     // SIGKILL
  void restart(std::uint64_t id);  // starts a killed node again on its old data
  bool running(std::uint64_t id) const;

  // Everything node `id` logged so far.
  std::string log(std::uint64_t id) const;
  const std::filesystem::path& directory() const { return dir_; }

 private:
  struct Node {
    std::uint64_t id = 0;
    std::uint16_t raft_port = 0;
    std::uint16_t binary_port = 0;
    std::filesystem::path config{};
    std::filesystem::path log{};
    std::unique_ptr<kahuna::testing::ChildProcess> process{};
  };

  void write_config(const Node& node) const;
  void start(Node& node);

  Options options_;
  std::filesystem::path dir_;
  std::vector<Node> nodes_;
};

// A port on 127.0.0.1 nobody listens on right now.
std::uint16_t free_port();

// True when something accepts TCP connections on `endpoint`.
bool accepts_connections(const std::string& endpoint);

}  // namespace kahuna::client::testing
