#include "server_cluster.h"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

namespace kahuna::client::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::uint16_t free_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  return acceptor.local_endpoint().port();
}

bool accepts_connections(const std::string& endpoint) {
  const auto colon = endpoint.rfind(':');
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  std::error_code error;
  const auto port = static_cast<std::uint16_t>(std::stoi(endpoint.substr(colon + 1)));
  socket.connect(asio::ip::tcp::endpoint(asio::ip::make_address(endpoint.substr(0, colon)), port), error);
  return !error;
}

ServerCluster::ServerCluster(const std::string& name, Options options) : options_(options) {
  dir_ = fs::temp_directory_path() / ("kahuna-client-test-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  for (std::size_t i = 0; i < options_.nodes; ++i) {
    Node node;
    node.id = i + 1;
    node.raft_port = free_port();
    node.binary_port = free_port();
    node.config = dir_ / ("node" + std::to_string(node.id) + ".toml");
    node.log = dir_ / ("node" + std::to_string(node.id) + ".log");
    nodes_.push_back(std::move(node));
  }
  for (Node& node : nodes_) {
    write_config(node);
    start(node);
  }
}

ServerCluster::~ServerCluster() {
  for (Node& node : nodes_) node.process.reset();  // SIGKILL and reap
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

void ServerCluster::write_config(const Node& node) const {
  std::ostringstream toml;
  toml << "[node]\nid = " << node.id << "\ndata_dir = \""
       << (dir_ / ("data" + std::to_string(node.id))).string()
       << "\"\n\n[log]\nlevel = \"info\"\n\n[cluster]\npartitions = " << options_.partitions << "\n";
  if (nodes_.size() > 1) {
    toml << "peers = [\n";
    for (const Node& peer : nodes_) {
      toml << "  { id = " << peer.id << ", address = \"127.0.0.1:" << peer.raft_port
           << "\", endpoints = { binary = \"127.0.0.1:" << peer.binary_port << "\" } },\n";
    }
    toml << "]\n";
  }
  toml << "\n[raft]\ntick_ms = " << options_.tick_ms << "\n\n[storage]\nplugin = \"rocksdb\"\n\n"
       << "[[protocol]]\nplugin = \"binary\"\nlisten = \"127.0.0.1:" << node.binary_port << "\"\n";
  std::ofstream(node.config) << toml.str();
}

void ServerCluster::start(Node& node) {
  // Through a shell that execs the server, so its output goes to a file that
  // nobody has to drain, and the pid is the server's own; setpriv makes the
  // kernel kill the server if the test process dies without cleaning up.
  const std::string command = "exec setpriv --pdeathsig KILL -- '" + std::string(KAHUNA_BINARY) +
                              "' --config '" + node.config.string() + "' >> '" + node.log.string() + "' 2>&1";
  node.process = std::make_unique<kahuna::testing::ChildProcess>(
      "/bin/sh", std::vector<std::string>{"-c", command}, dir_);
}

bool ServerCluster::wait_ready(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const Node& node : nodes_) {
    if (!node.process) continue;
    const std::string address = "127.0.0.1:" + std::to_string(node.binary_port);
    while (log(node.id).find("ready") == std::string::npos || !accepts_connections(address)) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(50ms);
    }
  }
  return true;
}

std::vector<std::string> ServerCluster::endpoints() const {
  std::vector<std::string> all;
  for (const Node& node : nodes_) all.push_back("127.0.0.1:" + std::to_string(node.binary_port));
  return all;
}

std::string ServerCluster::endpoint(std::uint64_t id) const {
  return "127.0.0.1:" + std::to_string(nodes_.at(id - 1).binary_port);
}

void ServerCluster::kill(std::uint64_t id) {
  Node& node = nodes_.at(id - 1);
  if (!node.process) return;
  node.process->send_signal(SIGKILL);
  (void)node.process->wait_for_exit(10s);
  node.process.reset();
}

void ServerCluster::restart(std::uint64_t id) {
  Node& node = nodes_.at(id - 1);
  if (node.process) return;
  start(node);
}

bool ServerCluster::running(std::uint64_t id) const { return nodes_.at(id - 1).process != nullptr; }

std::string ServerCluster::log(std::uint64_t id) const {
  std::ifstream file(nodes_.at(id - 1).log);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace kahuna::client::testing
