// KernelApi: everything a protocol plugin can ask of the node it runs in.
//
// Every operation is an awaitable the plugin co_awaits on its own executor.
// Any node accepts any request: the kernel finds the partition that owns the
// resource (HTTP-API.md §8 placement), serves it when this node leads that
// partition, and forwards it to the leader otherwise — again, with the same
// request id, when leadership moves while it is in flight. An operation never
// throws: outcomes and failures are codes in the reply (the families' codes
// of kahuna/service_types.h), and the failure codes tell the truth:
//   - must-retry: the operation was not applied and will not be (no leader
//     within the timeout, the proposal lost to a leader change);
//   - outcome-unknown: a write that may have been applied (its proposal was
//     in flight when the timeout passed). Resending it with the same request
//     id is safe: it applies at most once.
//
// Every reply comes with the Route it took, which protocols turn into routing
// hints so clients can go straight to the leader next time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <asio/awaitable.hpp>

#include <kahuna/operations.h>
#include <kahuna/types.h>

namespace kahuna {

// ---- The interface -------------------------------------------------------------

class KernelApi {
 public:
  virtual ~KernelApi() = default;

  virtual std::uint64_t node_id() const = 0;

  // Where a lock, key or sequence lives (HTTP-API.md §8), and the leader
  // this node currently knows for a partition (0 = unknown).
  virtual std::uint32_t partition_of_lock(std::string_view resource) const = 0;
  virtual std::uint32_t partition_of_key(std::string_view key) const = 0;
  virtual std::uint32_t partition_of_sequence(std::string_view name) const = 0;
  virtual std::uint64_t leader_of(std::uint32_t partition) const = 0;

  // The operations, one per row of kahuna/operations.def (their meaning is
  // described there).
#define KAHUNA_OPERATION(name, Result, parameters, ...) \
  virtual asio::awaitable<Result> name(KAHUNA_UNPARENTHESIZED parameters, CallOptions options) = 0;
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION

  // Nodes, partitions, leaders, terms and indexes as this node sees them.
  virtual ClusterStatus cluster_status() const = 0;

  // The kernel's own metrics (Raft terms, commit and apply indexes, leader
  // changes, log writer batch sizes and sync latency, forwards) in
  // Prometheus text exposition format, for a protocol's metrics page.
  virtual std::string metrics_text() const = 0;
};

}  // namespace kahuna
