#include "linearization_witness.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>

namespace kahuna::raft::sim {
namespace {

// One value: the write that stored it (none for the initial value) and the reads that
// returned it. A linearization keeps them together, the write first.
struct Cluster {
  std::optional<std::size_t> write;
  std::vector<std::size_t> reads;
  std::uint64_t earliest_return = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t latest_call = 0;

  void add(std::size_t id, const RegisterOp& op) {
    if (op.is_write) {
      write = id;
    } else {
      reads.push_back(id);
    }
    earliest_return = std::min(earliest_return, op.ret);
    latest_call = std::max(latest_call, op.call);
  }
  // The start of the cluster's zone (see the header): the order to place clusters in.
  std::uint64_t position() const { return std::min(earliest_return, latest_call); }
};

}  // namespace

std::optional<std::vector<std::size_t>> find_linearization(const std::vector<RegisterOp>& ops,
                                                           const std::string& initial) {
  std::map<std::string, Cluster> by_value;
  for (std::size_t id = 0; id < ops.size(); ++id) {
    const RegisterOp& op = ops[id];
    Cluster& cluster = by_value[op.value];
    // Zones need every value written once, and the initial value never written again.
    if (op.is_write && (cluster.write || op.value == initial)) return std::nullopt;
    cluster.add(id, op);
  }
  std::vector<const Cluster*> clusters;
  for (auto& [value, cluster] : by_value) {
    if (!cluster.write) {
      // Reads of a value nobody wrote cannot be linearized.
      if (value != initial) return std::nullopt;
      // The initial value acts as a write that returned before anything began.
      cluster.earliest_return = 0;
    }
    clusters.push_back(&cluster);
  }
  std::stable_sort(clusters.begin(), clusters.end(),
                   [](const Cluster* a, const Cluster* b) { return a->position() < b->position(); });

  std::vector<std::size_t> order;
  order.reserve(ops.size());
  for (const Cluster* cluster : clusters) {
    if (cluster->write) order.push_back(*cluster->write);
    // Reads of one value are interchangeable; by call time respects their real-time order.
    std::vector<std::size_t> reads = cluster->reads;
    std::sort(reads.begin(), reads.end(),
              [&ops](std::size_t a, std::size_t b) { return ops[a].call < ops[b].call; });
    order.insert(order.end(), reads.begin(), reads.end());
  }
  if (!is_linearization(ops, initial, order)) return std::nullopt;
  return order;
}

bool is_linearization(const std::vector<RegisterOp>& ops, const std::string& initial,
                      const std::vector<std::size_t>& order) {
  if (order.size() != ops.size()) return false;
  std::vector<bool> placed(ops.size(), false);
  const std::string* state = &initial;
  for (std::size_t id : order) {
    if (id >= ops.size() || placed[id]) return false;
    placed[id] = true;
    if (ops[id].is_write) {
      state = &ops[id].value;
    } else if (ops[id].value != *state) {
      return false;
    }
  }
  // Real time: nothing placed later may have returned before an earlier one was called.
  std::uint64_t earliest_later_return = std::numeric_limits<std::uint64_t>::max();
  for (std::size_t i = order.size(); i-- > 0;) {
    const RegisterOp& op = ops[order[i]];
    if (earliest_later_return < op.call) return false;
    earliest_later_return = std::min(earliest_later_return, op.ret);
  }
  return true;
}

}  // namespace kahuna::raft::sim
