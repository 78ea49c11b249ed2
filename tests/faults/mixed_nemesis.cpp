#include "mixed_nemesis.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "fault_test_util.h"

namespace kahuna::faults {

MixedNemesis::MixedNemesis(testing::LocalCluster& cluster, FaultNetwork& network,
                           testing::ClusterClient& admin, std::uint32_t partitions, std::uint64_t seed)
    : cluster_(cluster),
      network_(network),
      admin_(admin),
      partitions_(partitions),
      random_(seed),
      garbage_(cluster, seed * 7 + 1) {}

int MixedNemesis::random_node() { return static_cast<int>(random_() % cluster_.size()) + 1; }

int MixedNemesis::some_leader() {
  const auto partition = static_cast<std::uint32_t>(random_() % partitions_);
  const int leader = leader_of(cluster_, admin_, partition);
  return leader != 0 ? leader : random_node();
}

std::vector<int> MixedNemesis::random_minority() {
  std::vector<int> nodes;
  for (int id = 1; id <= cluster_.size(); ++id) nodes.push_back(id);
  std::shuffle(nodes.begin(), nodes.end(), random_);
  const int size = 1 + static_cast<int>(random_() % ((cluster_.size() - 1) / 2));
  nodes.resize(size);
  return nodes;
}

bool MixedNemesis::hold(int from_ms, int to_ms, const std::atomic<bool>& stopping) {
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::milliseconds(from_ms + static_cast<int>(random_() % (to_ms - from_ms + 1)));
  while (std::chrono::steady_clock::now() < until) {
    if (stopping) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::map<std::string, int> MixedNemesis::take_counts() {
  std::map<std::string, int> counts;
  counts.swap(counts_);
  return counts;
}

void MixedNemesis::heal_all() {
  garbage_.release();
  network_.heal();
  for (int id = 1; id <= cluster_.size(); ++id) {
    cluster_.resume(id);
    if (!cluster_.running(id)) cluster_.start(id);
  }
}

namespace {

std::string list(const std::vector<int>& nodes) {
  std::string text;
  for (int id : nodes) text += (text.empty() ? "" : ",") + std::to_string(id);
  return text;
}

std::vector<int> rest_of(int size, const std::vector<int>& nodes) {
  std::vector<int> rest;
  for (int id = 1; id <= size; ++id) {
    if (std::find(nodes.begin(), nodes.end(), id) == nodes.end()) rest.push_back(id);
  }
  return rest;
}

}  // namespace

void MixedNemesis::step(const std::atomic<bool>& stopping) {
  // Power cuts are rarer than the rest: each costs every node's restart.
  static const char* kKinds[] = {"kill",      "kill",    "pause",   "pause",   "partition",
                                 "partition", "isolate", "isolate", "hang",    "hang",
                                 "slow",      "slow",    "garbage", "garbage", "power-cut"};
  const std::string kind = kKinds[random_() % (sizeof kKinds / sizeof *kKinds)];
  ++counts_[kind];
  if (kind == "kill") {
    const int node = random_() % 2 ? some_leader() : random_node();
    log("kill -9 node " + std::to_string(node));
    cluster_.kill(node);
    hold(1000, 3000, stopping);
    cluster_.start(node);
    log("restarted node " + std::to_string(node));
  } else if (kind == "pause") {
    const int node = some_leader();
    log("SIGSTOP node " + std::to_string(node));
    cluster_.pause(node);
    hold(1000, 2500, stopping);
    cluster_.resume(node);
    log("SIGCONT node " + std::to_string(node));
  } else if (kind == "partition" || kind == "hang") {
    const auto minority = random_minority();
    const auto majority = rest_of(cluster_.size(), minority);
    const LinkMode mode = kind == "hang" ? LinkMode::kHang : LinkMode::kDrop;
    network_.partition(minority, majority, mode);
    log(kind + " {" + list(minority) + "} | {" + list(majority) + "}: " + network_.faults());
    hold(1000, 4000, stopping);
    network_.heal();
    log("healed");
  } else if (kind == "isolate") {
    const int node = some_leader();
    network_.isolate(node, LinkMode::kDrop);
    log("isolate node " + std::to_string(node) + ": " + network_.faults());
    hold(1000, 4000, stopping);
    network_.heal();
    log("healed");
  } else if (kind == "slow") {
    // Random directed links, each with its own latency.
    for (int from = 1; from <= cluster_.size(); ++from) {
      for (int to = 1; to <= cluster_.size(); ++to) {
        if (from != to && random_() % 2 == 0) {
          network_.set(from, to, LinkMode::kSlow, std::chrono::milliseconds(50 + random_() % 351));
        }
      }
    }
    log("slow links: " + network_.faults());
    hold(2000, 5000, stopping);
    network_.heal();
    log("healed");
  } else if (kind == "power-cut") {
    log("power cut: kill -9 every node");
    cluster_.kill_all();
    hold(500, 1500, stopping);
    cluster_.start_all();
    log("restarted every node");
  } else {
    const int bursts = 3 + static_cast<int>(random_() % 5);
    for (int i = 0; i < bursts && !stopping; ++i) {
      garbage_.burst();
      hold(200, 500, stopping);
    }
    garbage_.release();
    log("garbage: " + std::to_string(garbage_.total()) + " connections so far");
  }
}

}  // namespace kahuna::faults
