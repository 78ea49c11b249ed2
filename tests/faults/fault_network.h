// FaultNetwork: the fault proxies of a LocalCluster started with
// ClusterOptions::peer_proxies — one LinkProxy per ordered pair of nodes
// (the port `from` dials to reach `to`), on a thread of their own — and the
// network faults built on them: one-way cuts, partitions, isolation, heal.
//
// Bytes from node a to node b travel either on the connection a dialled
// (through proxy(a, b), forward direction) or on the one b dialled (through
// proxy(b, a), backward direction); a fault on a -> b is applied to both.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

#include "link_proxy.h"
#include "local_cluster.h"

namespace kahuna::faults {

class FaultNetwork {
 public:
  // Longer than a heartbeat (100 ms), shorter than the election timeout
  // (500 ms): slow enough to reorder timing, not enough to cut.
  static constexpr std::chrono::milliseconds kSlowLatency{200};

  // Starts the proxies; `cluster` must have been made with peer_proxies.
  explicit FaultNetwork(const testing::LocalCluster& cluster);
  ~FaultNetwork();
  FaultNetwork(const FaultNetwork&) = delete;
  FaultNetwork& operator=(const FaultNetwork&) = delete;

  // How the bytes node `from` sends to node `to` fare; `latency` is the
  // delay of LinkMode::kSlow.
  void set(int from, int to, LinkMode mode, std::chrono::milliseconds latency = kSlowLatency);
  // Every link between a node of `a` and a node of `b`, both ways.
  void partition(const std::vector<int>& a, const std::vector<int>& b, LinkMode mode = LinkMode::kDrop,
                 std::chrono::milliseconds latency = kSlowLatency);
  // `node` against every other node.
  void isolate(int node, LinkMode mode = LinkMode::kDrop, std::chrono::milliseconds latency = kSlowLatency);
  // Every link passes again.
  void heal();
  // The links currently not passing, e.g. "1->2 drop, 2->1 slow 200ms".
  std::string faults() const;
  // Per proxy: connections accepted/open and bytes each way, for failure
  // messages, e.g. "1=>2 conns 3/1 fwd 1200 bwd 800; ...".
  std::string traffic() const;

 private:
  int nodes_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::map<std::pair<int, int>, std::unique_ptr<LinkProxy>> proxies_;   // by (dialler, dialled)
  std::map<std::pair<int, int>, LinkMode> modes_;                       // by (from, to)
  std::map<std::pair<int, int>, std::chrono::milliseconds> latencies_;  // by (from, to), of kSlow
  std::thread thread_;
};

}  // namespace kahuna::faults
