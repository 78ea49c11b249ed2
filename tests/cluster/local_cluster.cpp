#include "local_cluster.h"

#include <signal.h>

#include <fstream>

#include <gtest/gtest.h>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "support/port_allocator.h"

namespace kahuna::testing {

LocalCluster::LocalCluster(const std::filesystem::path& dir, ClusterOptions options)
    : dir_(dir), options_(std::move(options)) {
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  nodes_.resize(options_.nodes);
  for (auto& node : nodes_) {
    node.peer_port = reserve_port();
    node.client_port = reserve_port();
    if (options_.http) node.http_port = reserve_port();
  }
  for (auto& node : nodes_) {
    if (!options_.peer_proxies) break;
    node.proxy_ports.resize(options_.nodes);
    for (auto& port : node.proxy_ports) port = reserve_port();
  }
  const int first_members = options_.first_members > 0 ? options_.first_members : options_.nodes;
  auto endpoints_of = [&](int j) {
    return "endpoints = { binary = \"127.0.0.1:" + std::to_string(nodes_[j].client_port) + "\"" +
           (options_.http ? ", http = \"http://127.0.0.1:" + std::to_string(nodes_[j].http_port) + "\""
                          : "") +
           " }";
  };
  for (int i = 0; i < options_.nodes; ++i) {
    Node& node = nodes_[i];
    // Each node's own entry is its real listen address; with proxies, the
    // others are reached through this node's own proxy ports.
    std::string peers = "peers = [\n";
    for (int j = 0; j < first_members; ++j) {
      const std::uint16_t port = options_.peer_proxies && j != i ? node.proxy_ports[j] : nodes_[j].peer_port;
      peers += "  { id = " + std::to_string(j + 1) + ", address = \"127.0.0.1:" + std::to_string(port) +
               "\", " + endpoints_of(j) + " },\n";
    }
    peers += "]\n";
    if (options_.replication_factor != 0) {
      peers += "replication_factor = " + std::to_string(options_.replication_factor) + "\n";
    }
    if (i >= first_members) {
      peers = "address = \"127.0.0.1:" + std::to_string(node.peer_port) + "\"\n" + endpoints_of(i) +
              "\njoin = [\"127.0.0.1:" + std::to_string(nodes_[0].peer_port) +
              "\", \"127.0.0.1:" + std::to_string(nodes_[first_members > 1 ? 1 : 0].peer_port) + "\"]\n";
    }
    node.config = dir_ / ("node" + std::to_string(i + 1) + ".toml");
    std::ofstream(node.config) << "[node]\nid = " << i + 1 << "\ndata_dir = \""
                               << (dir_ / ("data" + std::to_string(i + 1))).string() << "\"\n"
                               << "[log]\nlevel = \"warn\"\n"
                               << "[server]\nio_threads = 2\n"
                               << "[cluster]\npartitions = " << options_.partitions << "\n"
                               << peers << "[raft]\ntick_ms = 50\nelection_ticks = 10\nheartbeat_ticks = 2\n"
                               << "compact_after_entries = " << options_.compact_after_entries << "\n"
                               << "[storage]\nplugin = \"" << options_.engine << "\"\n"
                               << "[[protocol]]\nplugin = \"binary\"\nlisten = \"127.0.0.1:"
                               << node.client_port << "\"\n";
    if (options_.http) {
      std::ofstream(node.config, std::ios::app)
          << "[[protocol]]\nplugin = \"http\"\nlisten = \"127.0.0.1:" << node.http_port << "\"\n";
    }
  }
}

LocalCluster::~LocalCluster() {
  for (auto& node : nodes_) node.process.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void LocalCluster::start(int id) {
  Node& node = nodes_.at(id - 1);
  // The log goes to a file: a pipe nobody reads while the test runs would
  // fill up and block the node's logging.
  node.process = std::make_unique<ChildProcess>(KAHUNA_BINARY,
                                                std::vector<std::string>{"--config", node.config.string()},
                                                dir_, dir_ / ("node" + std::to_string(id) + ".log"));
  // "ready" is logged at info level, which these nodes do not print: wait
  // for the client port instead.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  asio::io_context io;
  while (std::chrono::steady_clock::now() < deadline) {
    asio::ip::tcp::socket socket(io);
    std::error_code error;
    socket.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), node.client_port), error);
    if (!error) return;
    if (node.process->wait_for_exit(std::chrono::milliseconds(50)) || node.process->killed_by() != 0) {
      ADD_FAILURE() << "node " << id << " exited at start:\n" << node.process->output();
      return;
    }
  }
  ADD_FAILURE() << "node " << id << " did not open its client port:\n" << node.process->output();
}

void LocalCluster::start_all() {
  for (int id = 1; id <= options_.nodes; ++id) start(id);
}

void LocalCluster::kill(int id) {
  Node& node = nodes_.at(id - 1);
  if (!node.process) return;
  node.process->send_signal(SIGKILL);
  node.process->wait_for_exit(std::chrono::seconds(10));
  node.process.reset();
}

void LocalCluster::kill_all() {
  for (auto& node : nodes_) {
    if (node.process) node.process->send_signal(SIGKILL);
  }
  for (int id = 1; id <= options_.nodes; ++id) kill(id);
}

int LocalCluster::stop(int id) {
  Node& node = nodes_.at(id - 1);
  if (!node.process) return -1;
  node.process->send_signal(SIGTERM);
  const auto code = node.process->wait_for_exit(std::chrono::seconds(30));
  if (!code) ADD_FAILURE() << "node " << id << " did not stop:\n" << node.process->output();
  node.process.reset();
  return code.value_or(-1);
}

std::string LocalCluster::http_endpoint(int id) const {
  return "http://127.0.0.1:" + std::to_string(nodes_.at(id - 1).http_port);
}

void LocalCluster::pause(int id) {
  // Returns only once the node is frozen, so nothing it does afterwards
  // (an acknowledgement, a reply) can be mistaken for work done while paused.
  if (auto& process = nodes_.at(id - 1).process) process->stop(std::chrono::seconds(5));
}

void LocalCluster::resume(int id) {
  if (auto& process = nodes_.at(id - 1).process) process->send_signal(SIGCONT);
}

std::uint16_t LocalCluster::peer_port(int id) const { return nodes_.at(id - 1).peer_port; }

std::uint16_t LocalCluster::proxy_port(int from, int to) const {
  const Node& node = nodes_.at(from - 1);
  return node.proxy_ports.empty() || from == to ? 0 : node.proxy_ports.at(to - 1);
}

bool LocalCluster::running(int id) const { return nodes_.at(id - 1).process != nullptr; }

bool LocalCluster::crashed(int id) const {
  const auto& process = nodes_.at(id - 1).process;
  if (!process) return false;
  return process->wait_for_exit(std::chrono::milliseconds(0)).has_value() || process->killed_by() != 0;
}

std::string LocalCluster::output(int id) const {
  const auto& process = nodes_.at(id - 1).process;
  return process ? process->output() : std::string();
}

std::string LocalCluster::endpoint(int id) const {
  return "127.0.0.1:" + std::to_string(nodes_.at(id - 1).client_port);
}

}  // namespace kahuna::testing
