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
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>

#include <kahuna/service_types.h>

namespace kahuna {

// HTTP-API.md §2 durability codes.
enum class Durability : std::uint8_t {
  kEphemeral = 0,   // the partition leader's memory only: fast, lost on failover
  kPersistent = 1,  // replicated through Raft and synced before the reply
};

// How fresh a read must be.
enum class ReadConsistency : std::uint8_t {
  kLinearizable = 0,  // reflects every write acknowledged before the read began (default)
  kLocal = 1,         // this node's applied state, possibly stale; never forwarded
};

enum class RouteProvenance : std::uint8_t {
  kUnknown = 0,    // no owner resolved (e.g. invalid input)
  kLocal = 1,      // executed on this node, the partition's leader
  kForwarded = 2,  // forwarded by this node to the leader
};

// Where a request was served.
struct Route {
  std::uint32_t partition = 0;
  std::uint64_t leader = 0;  // node id of the partition's leader; 0 = unknown
  RouteProvenance provenance = RouteProvenance::kUnknown;
};

template <class Reply>
struct Routed {
  Reply reply{};
  Route route{};
};

// Names one write across every attempt to run it (Raft dissertation §6.3,
// client sessions): a state machine applies a given id at most once and
// answers a repeat with the first apply's reply. An SDK sends its own random
// `client` and a `sequence` number per call, unchanged on every retry; a node
// that receives a write without an id mints one, so its own re-proposals and
// re-forwards are safe. `part` tells apart the several commands one call may
// propose (the rows of a batch, the attempts of a waiting lock); the kernel
// sets it, callers leave it 0.
struct RequestId {
  std::uint64_t client = 0;
  std::uint64_t sequence = 0;
  std::uint32_t part = 0;
  bool present() const noexcept { return client != 0 || sequence != 0; }
  friend bool operator==(const RequestId&, const RequestId&) = default;
};

// Per-call settings.
struct CallOptions {
  // When the kernel gives up. A write it gives up on answers must-retry
  // only when it certainly was not applied and never will be; when it may
  // have been, the family's outcome-unknown code.
  std::chrono::milliseconds timeout{5000};
  ReadConsistency consistency = ReadConsistency::kLinearizable;
  // Set on a request another node forwarded here: never forward it again.
  bool forwarded = false;
  // Writes: the id every attempt of this call carries (see RequestId); a
  // write without one gets one minted by the node that receives it.
  RequestId request_id{};
};

// ---- Requests ------------------------------------------------------------------

struct LockRequest {
  std::string resource{};
  std::string owner{};          // opaque bytes; ignored by get_lock
  std::int64_t expires_ms = 0;  // lease length (try_lock, try_extend, lock)
  Durability durability = Durability::kEphemeral;
};

struct KvSetRequest {
  std::string key{};
  std::optional<std::string> value{};          // nullopt: the key holds "no value"
  std::optional<std::string> compare_value{};  // for KvSetFlag kSetIfEqualToValue
  std::int64_t compare_revision = 0;           // for kSetIfEqualToRevision
  std::int64_t expires_ms = 0;                 // 0 = never
  std::uint32_t flags = 0;                     // HTTP-API.md §6.1 set flags; 0 = plain set
  Durability durability = Durability::kEphemeral;
};

struct KvGetRequest {
  KvGetQuery query{};
  Durability durability = Durability::kEphemeral;
};

struct KvKeyRequest {  // delete
  std::string key{};
  Durability durability = Durability::kEphemeral;
};

struct KvExtendRequest {
  std::string key{};
  std::int64_t expires_ms = 0;
  Durability durability = Durability::kEphemeral;
};

struct KvPrefixRequest {  // get-by-bucket, scan-all-by-prefix
  std::string prefix{};
  HlcTimestamp read_timestamp{};  // zero: latest
  Durability durability = Durability::kEphemeral;
  // scan-all-by-prefix only: 0 scans every partition; a partition id scans
  // that partition alone (what a node fanning out a scan asks the others).
  std::uint32_t partition = 0;
};

struct KvRangeRequest {
  KvRangeQuery query{};
  Durability durability = Durability::kEphemeral;
};

struct SequenceCreateRequest {
  std::string name{};
  std::int64_t initial_value = 0;
  std::int64_t increment = 1;
  std::optional<std::int64_t> max_value{};
  std::optional<std::int64_t> block_size{};  // nullopt: the server default
  friend bool operator==(const SequenceCreateRequest&, const SequenceCreateRequest&) = default;
};

// Each present field replaces the stored one; remove_* clears an optional.
struct SequenceUpdateRequest {
  std::string name{};
  std::optional<std::int64_t> current_value{};
  std::optional<std::int64_t> increment{};
  std::optional<std::int64_t> initial_value{};
  std::optional<std::int64_t> max_value{};
  std::optional<std::int64_t> block_size{};
  bool remove_max_value = false;
  bool remove_block_size = false;
  friend bool operator==(const SequenceUpdateRequest&, const SequenceUpdateRequest&) = default;
};

struct SequenceReserveRequest {  // next is reserve with count 1
  std::string name{};
  std::int64_t count = 1;
  std::optional<std::string> idempotency_key{};
};

// ---- Cluster status ----------------------------------------------------------

struct NodeInfo {
  std::uint64_t id = 0;
  std::string peer_address{};  // host:port of its Raft transport
  // Client-facing endpoints by protocol name ("binary" -> "127.0.0.1:7100",
  // "http" -> "http://127.0.0.1:7200"), as clients should dial them.
  std::map<std::string, std::string> endpoints{};
  bool connected = false;  // this node has a live connection to it (always true for itself)
};

struct PartitionInfo {
  std::uint32_t id = 0;        // 0 is the metadata partition
  std::uint64_t leader = 0;    // 0 = unknown
  std::string role{};          // this node's role: "leader", "follower", "candidate", "pre-candidate"
  std::uint64_t term = 0;
  std::uint64_t commit_index = 0;
  std::uint64_t applied_index = 0;
  std::uint64_t first_index = 0;
  std::uint64_t last_index = 0;
};

struct ClusterStatus {
  std::uint64_t node_id = 0;
  std::uint32_t data_partitions = 0;  // partitions 1..data_partitions hold data
  std::vector<NodeInfo> nodes{};      // every member, this node included, by id
  std::vector<PartitionInfo> partitions{};  // 0..data_partitions
};

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
