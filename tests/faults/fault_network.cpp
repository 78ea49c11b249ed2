#include "fault_network.h"

#include <stdexcept>

#include <asio/post.hpp>

namespace kahuna::faults {

FaultNetwork::FaultNetwork(const testing::LocalCluster& cluster)
    : nodes_(cluster.size()), work_(asio::make_work_guard(io_)) {
  if (!cluster.options().peer_proxies)
    throw std::logic_error("FaultNetwork needs ClusterOptions::peer_proxies");
  for (int from = 1; from <= nodes_; ++from) {
    for (int to = 1; to <= nodes_; ++to) {
      if (from == to) continue;
      proxies_[{from, to}] =
          std::make_unique<LinkProxy>(io_, cluster.proxy_port(from, to), cluster.peer_port(to));
      modes_[{from, to}] = LinkMode::kPass;
    }
  }
  thread_ = std::thread([this] { io_.run(); });
}

FaultNetwork::~FaultNetwork() {
  proxies_.clear();  // posts the closing of their sockets
  // Handlers run in order: the proxies close before the loop stops.
  asio::post(io_, [this] { io_.stop(); });
  thread_.join();
}

void FaultNetwork::set(int from, int to, LinkMode mode, std::chrono::milliseconds latency) {
  if (from == to) return;
  modes_.at({from, to}) = mode;
  latencies_[{from, to}] = latency;
  proxies_.at({from, to})->set_mode(LinkDirection::kForward, mode, latency);
  proxies_.at({to, from})->set_mode(LinkDirection::kBackward, mode, latency);
}

void FaultNetwork::partition(const std::vector<int>& a, const std::vector<int>& b, LinkMode mode,
                             std::chrono::milliseconds latency) {
  for (int x : a) {
    for (int y : b) {
      set(x, y, mode, latency);
      set(y, x, mode, latency);
    }
  }
}

void FaultNetwork::isolate(int node, LinkMode mode, std::chrono::milliseconds latency) {
  std::vector<int> others;
  for (int id = 1; id <= nodes_; ++id) {
    if (id != node) others.push_back(id);
  }
  partition({node}, others, mode, latency);
}

void FaultNetwork::heal() {
  for (auto& [link, mode] : modes_) set(link.first, link.second, LinkMode::kPass);
}

std::string FaultNetwork::faults() const {
  std::string text;
  for (const auto& [link, mode] : modes_) {
    if (mode == LinkMode::kPass) continue;
    if (!text.empty()) text += ", ";
    text += std::to_string(link.first) + "->" + std::to_string(link.second) + " " + to_string(mode);
    if (mode == LinkMode::kSlow) text += " " + std::to_string(latencies_.at(link).count()) + "ms";
  }
  return text.empty() ? "none" : text;
}

std::string FaultNetwork::traffic() const {
  std::string text;
  for (const auto& [link, proxy] : proxies_) {
    if (!text.empty()) text += "; ";
    text += std::to_string(link.first) + "=>" + std::to_string(link.second) + " conns " +
            std::to_string(proxy->connections_accepted()) + "/" + std::to_string(proxy->connections_open()) +
            " fwd " + std::to_string(proxy->bytes(LinkDirection::kForward)) + " bwd " +
            std::to_string(proxy->bytes(LinkDirection::kBackward));
  }
  return text;
}

}  // namespace kahuna::faults
