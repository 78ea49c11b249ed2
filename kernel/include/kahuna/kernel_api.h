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

  // Locks (HTTP-API.md §5).
  virtual asio::awaitable<Routed<LockReply>> try_lock(LockRequest request, CallOptions options) = 0;
  virtual asio::awaitable<Routed<LockReply>> try_extend(LockRequest request, CallOptions options) = 0;
  virtual asio::awaitable<Routed<LockReply>> unlock(LockRequest request, CallOptions options) = 0;
  virtual asio::awaitable<Routed<LockReply>> get_lock(LockRequest request, CallOptions options) = 0;
  // Acquire with wait: like try_lock, but while the lock is held by another
  // owner the request queues on the leader and is granted, in arrival order,
  // as soon as the lock is released or its lease expires. Answers busy once
  // `wait` has passed without a grant.
  virtual asio::awaitable<Routed<LockReply>> lock(LockRequest request, std::chrono::milliseconds wait,
                                                  CallOptions options) = 0;

  // Key/value point operations (HTTP-API.md §6.1).
  virtual asio::awaitable<Routed<KvReply>> kv_set(KvSetRequest request, CallOptions options) = 0;
  virtual asio::awaitable<Routed<KvReply>> kv_get(KvGetRequest request, CallOptions options) = 0;
  virtual asio::awaitable<Routed<KvReply>> kv_exists(KvGetRequest request, CallOptions options) = 0;
  virtual asio::awaitable<Routed<KvReply>> kv_delete(KvKeyRequest request, CallOptions options) = 0;
  virtual asio::awaitable<Routed<KvReply>> kv_extend(KvExtendRequest request, CallOptions options) = 0;

  // Batches (HTTP-API.md §6.2): one row per item, in the items' order; items
  // on different partitions run concurrently and the batch is not atomic.
  virtual asio::awaitable<std::vector<Routed<KvReply>>> kv_set_many(std::vector<KvSetRequest> items,
                                                                    CallOptions options) = 0;
  virtual asio::awaitable<std::vector<Routed<KvReply>>> kv_get_many(std::vector<KvGetRequest> items,
                                                                    CallOptions options) = 0;
  virtual asio::awaitable<std::vector<Routed<KvReply>>> kv_exists_many(std::vector<KvGetRequest> items,
                                                                       CallOptions options) = 0;
  virtual asio::awaitable<std::vector<Routed<KvReply>>> kv_delete_many(std::vector<KvKeyRequest> items,
                                                                       CallOptions options) = 0;

  // Scans (HTTP-API.md §6.3). get-by-bucket reads the one partition that
  // owns key space `prefix`; scan-all-by-prefix merges every partition's
  // answer (not one snapshot across partitions).
  virtual asio::awaitable<Routed<KvScanReply>> kv_get_by_bucket(KvPrefixRequest request, CallOptions options) = 0;
  virtual asio::awaitable<KvScanReply> kv_scan_prefix(KvPrefixRequest request, CallOptions options) = 0;
  virtual asio::awaitable<Routed<KvRangePage>> kv_get_range(KvRangeRequest request, CallOptions options) = 0;

  // Sequences (HTTP-API.md §7); always persistent.
  virtual asio::awaitable<Routed<SequenceReply>> sequence_create(SequenceCreateRequest request,
                                                                 CallOptions options) = 0;
  virtual asio::awaitable<Routed<SequenceReply>> sequence_get(std::string name, CallOptions options) = 0;
  virtual asio::awaitable<Routed<SequenceReply>> sequence_update(SequenceUpdateRequest request,
                                                                 CallOptions options) = 0;
  virtual asio::awaitable<Routed<SequenceReply>> sequence_reserve(SequenceReserveRequest request,
                                                                  CallOptions options) = 0;
  virtual asio::awaitable<Routed<SequenceReply>> sequence_delete(std::string name, CallOptions options) = 0;

  // Nodes, partitions, leaders, terms and indexes as this node sees them.
  virtual ClusterStatus cluster_status() const = 0;

  // The kernel's own metrics (Raft terms, commit and apply indexes, leader
  // changes, log writer batch sizes and sync latency, forwards) in
  // Prometheus text exposition format, for a protocol's metrics page.
  virtual std::string metrics_text() const = 0;
};

}  // namespace kahuna
