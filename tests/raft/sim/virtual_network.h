// VirtualNetwork: the simulation's transport. Messages travel as encoded bytes and may be
// dropped, duplicated, delayed (which reorders them) or blocked by a partition. Time is
// the simulation's tick counter; nothing here touches a clock or a socket.
#pragma once

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "kahuna/raft/deterministic_random.h"
#include "kahuna/raft/types.h"

namespace kahuna::raft::sim {

struct NetworkFaults {
  std::uint32_t drop_per_mille = 0;
  std::uint32_t duplicate_per_mille = 0;
  std::uint64_t max_delay_ticks = 1;  // each message takes 1..max_delay_ticks
};

class VirtualNetwork {
 public:
  struct Packet {
    std::uint64_t deliver_at = 0;
    std::uint64_t order = 0;  // random tie-break: same-tick packets arrive in any order
    NodeId from = kNoNode;
    NodeId to = kNoNode;
    std::string bytes;
  };

  explicit VirtualNetwork(DeterministicRandom& random) : random_(random) {}

  void set_faults(const NetworkFaults& faults) { faults_ = faults; }
  const NetworkFaults& faults() const { return faults_; }

  void block(NodeId from, NodeId to) { blocked_.emplace(from, to); }
  void heal() { blocked_.clear(); }
  bool is_blocked(NodeId from, NodeId to) const { return blocked_.count({from, to}) > 0; }

  void send(std::uint64_t now, NodeId from, NodeId to, std::string bytes) {
    if (is_blocked(from, to) || random_.chance(faults_.drop_per_mille)) return;
    if (random_.chance(faults_.duplicate_per_mille)) enqueue(now, from, to, bytes);
    enqueue(now, from, to, std::move(bytes));
  }

  // Removes and returns the packets due at or before `now`, in delivery order. Packets
  // whose link was cut while they were in flight are lost.
  std::vector<Packet> take_due(std::uint64_t now) {
    std::vector<Packet> due;
    auto split = std::partition(in_flight_.begin(), in_flight_.end(),
                                [now](const Packet& p) { return p.deliver_at > now; });
    due.assign(std::make_move_iterator(split), std::make_move_iterator(in_flight_.end()));
    in_flight_.erase(split, in_flight_.end());
    std::sort(due.begin(), due.end(), [](const Packet& a, const Packet& b) {
      return std::tie(a.deliver_at, a.order) < std::tie(b.deliver_at, b.order);
    });
    due.erase(
        std::remove_if(due.begin(), due.end(), [this](const Packet& p) { return is_blocked(p.from, p.to); }),
        due.end());
    return due;
  }

  std::size_t in_flight() const { return in_flight_.size(); }

 private:
  void enqueue(std::uint64_t now, NodeId from, NodeId to, std::string bytes) {
    Packet p;
    p.deliver_at = now + random_.between(1, std::max<std::uint64_t>(1, faults_.max_delay_ticks));
    p.order = random_.next();
    p.from = from;
    p.to = to;
    p.bytes = std::move(bytes);
    in_flight_.push_back(std::move(p));
  }

  DeterministicRandom& random_;
  NetworkFaults faults_;
  std::set<std::pair<NodeId, NodeId>> blocked_;
  std::vector<Packet> in_flight_;
};

}  // namespace kahuna::raft::sim
