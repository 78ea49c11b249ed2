// GarbageNemesis: what a hostile or broken client sends a node's ports while
// a workload runs. Each burst opens connections to every running node's
// binary protocol port, HTTP port (when the cluster serves HTTP) and peer
// port, and sends one kind of garbage on each: random bytes, truncated
// frames, forged frame headers with huge lengths, frames with bad versions
// or bodies, bad HTTP requests (bad request lines, lying Content-Length,
// broken chunking, oversized headers, deeply nested or invalid JSON), and
// bad peer hellos. Some connections are kept half-open and drip a byte per
// burst (slow clients) until a later burst closes them.
//
// Nothing it does may stop a node or change what the workload observes: the
// test checks the history and that every node still serves afterwards.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "local_cluster.h"

namespace kahuna::faults {

class GarbageNemesis {
 public:
  GarbageNemesis(const testing::LocalCluster& cluster, std::uint64_t seed);
  ~GarbageNemesis();  // closes the connections it still holds
  GarbageNemesis(const GarbageNemesis&) = delete;
  GarbageNemesis& operator=(const GarbageNemesis&) = delete;

  // One burst against every node the cluster runs: `per_port` connections
  // of random kinds to each of its ports. Returns quickly (a paused node
  // still accepts connections into its backlog; nothing waits for replies).
  void burst(int per_port = 4);
  // Closes the held (slow) connections.
  void release();

  // Connections made so far by kind, e.g. {"binary huge length": 7, ...}.
  const std::map<std::string, int>& counts() const { return counts_; }
  int total() const;

 private:
  struct Held {
    int fd = -1;
    std::string rest;  // bytes still to drip, one per burst
    int bursts_left = 0;
  };
  void hit_binary(std::uint16_t port);
  void hit_http(std::uint16_t port);
  void hit_peer(int node, std::uint16_t port);
  // Connects, sends `bytes` and closes; or, with `held_rest`, keeps the
  // connection open and drips those bytes later, one per burst.
  void send(const std::string& kind, std::uint16_t port, const std::string& bytes,
            const std::string& held_rest = {});
  std::string random_bytes(std::size_t size);
  void drip();

  const testing::LocalCluster& cluster_;
  std::mt19937_64 random_;
  std::vector<Held> held_;
  std::map<std::string, int> counts_;
};

}  // namespace kahuna::faults
