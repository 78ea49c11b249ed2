// How a call travels: durability, read consistency, the route it took,
// the id that makes a write exactly-once, and per-call options. Shared by the
// server (KernelApi), the wire codec and the SDK.
#pragma once

#include <chrono>
#include <cstdint>

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
  // The cluster metadata version the answering node had applied
  // (ClusterStatus::metadata_version); a client whose map of the cluster is
  // older refreshes it. 0: unknown.
  std::uint64_t metadata_version = 0;
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

}  // namespace kahuna
