// PartitionService: what this node does for one partition when it serves a
// request: propose a command through Raft and wait for its reply, pass a
// linearizable read barrier, and keep the leader-only state — ephemeral
// locks and keys, the sequence allocator, and the lock waiter queue.
//
// Leader-only state belongs to one leadership: the first request after this
// node becomes leader in a new term starts it afresh (ephemeral data is lost
// on failover by design, and a sequence block from an earlier leadership must
// not be served out of order).
//
// Thread safety: every member may be called from any io thread. Leader state
// is guarded by one mutex per partition; the state machine's own apply runs
// on the Raft driver's strand and reaches the allocator through the same
// mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

#include <kahuna/raft/node.h>
#include <kahuna/storage_engine.h>
#include <asio/awaitable.hpp>

#include "api/lock_waiters.h"
#include "api/range_snapshots.h"
#include "api/recent_allocations.h"
#include "replication/partition_replica.h"
#include "services/clock/hlc.h"
#include "services/commands/command.h"
#include "services/commands/replies.h"
#include "services/sequences/sequence_allocator.h"
#include "services/storage/memory_state.h"

namespace kahuna {

// Why a request could not be served here. kNotLeader and kRetry promise the
// request had no effect and never will; kUnknown does not.
enum class ServeFailure : std::uint8_t {
  kNone,
  kNotLeader,  // another node leads (or nobody does): nothing was proposed; forward or must-retry
  kRetry,      // transient (election, proposal lost to another leader's entry): not applied; must-retry
  kUnknown,    // a proposal in flight when time ran out (or the node stopped): may be applied
  kFailed,     // an internal error: errored
};

class PartitionService {
 public:
  using Clock = std::chrono::steady_clock;

  PartitionService(raft::Node& node, PartitionReplica& replica, StorageEngine& engine,
                   services::HybridClock& clock, std::int64_t default_block_size);
  PartitionService(const PartitionService&) = delete;
  PartitionService& operator=(const PartitionService&) = delete;

  std::uint32_t partition() const noexcept { return replica_.partition(); }
  raft::NodeStatus status() const { return node_.status(); }
  bool leads() const { return node_.status().role == raft::Role::kLeader; }

  // Stamps `body` with the node's clock, proposes it under `request_id`
  // (absent: a command the node makes itself) and waits until it is
  // applied; the state machine's reply on success. With an id, proposing
  // again after kUnknown is safe: the state machine applies an id once.
  asio::awaitable<ServeFailure> propose(services::CommandBody body, RequestId request_id,
                                        Clock::time_point deadline, services::Reply& reply);

  // Waits until this node, as leader, has applied everything committed
  // before the call: a read of local state afterwards is linearizable.
  asio::awaitable<ServeFailure> read_barrier(Clock::time_point deadline);

  // Applies `body` to the leader's ephemeral state; kNotLeader on a follower.
  ServeFailure apply_ephemeral(services::CommandBody body, services::Reply& reply);

  // Runs `read(state, now)` on the ephemeral state under its lock; kNotLeader
  // on a follower.
  template <class Read>
  ServeFailure read_ephemeral(Read&& read) {
    std::lock_guard lock(mutex_);
    if (!enter_leadership()) return ServeFailure::kNotLeader;
    read(static_cast<const services::StateReader&>(ephemeral_), clock_.now());
    return ServeFailure::kNone;
  }

  // `count` values of `name` from the leader's in-memory block, or nullopt
  // (then the caller proposes a block reservation under `request_id`). A
  // request id this leadership served before gets the same values again;
  // one it proposed before gets nullopt, so the resend goes through Raft
  // like the first send (recent_allocations.h).
  std::optional<services::SequenceAllocation> take_from_block(std::string_view name, std::int64_t count,
                                                              const RequestId& request_id);

  // Keys whose TTL has passed: proposes their removal (persistent keys) and
  // removes them from the ephemeral state. Leader only; a no-op elsewhere.
  asio::awaitable<void> expire_keys(Clock::time_point deadline);

  LockWaiters& waiters() noexcept { return waiters_; }
  RangeSnapshots& range_snapshots() noexcept { return range_snapshots_; }
  const services::PartitionStateMachine& machine() const noexcept { return replica_.machine(); }
  StorageEngine& engine() noexcept { return engine_; }
  services::HybridClock& clock() noexcept { return clock_; }
  std::int64_t default_block_size() const noexcept { return default_block_size_; }

 private:
  // The allocator as the state machine's observer: apply() runs on the
  // driver's strand, so every call takes the partition's mutex.
  class LockedObserver final : public services::SequenceObserver {
   public:
    explicit LockedObserver(PartitionService& owner) : owner_(owner) {}
    void block_reserved(std::string_view name, std::int32_t proposer,
                        const services::SequenceAllocation& leftover, std::int64_t increment) override;
    void sequence_changed(std::string_view name) override;

   private:
    PartitionService& owner_;
  };

  // With mutex_ held: true when this node leads; starts a new leadership's
  // state when the term changed since the last call.
  bool enter_leadership();

  raft::Node& node_;
  PartitionReplica& replica_;
  StorageEngine& engine_;
  services::HybridClock& clock_;
  const std::int64_t default_block_size_;

  std::mutex mutex_;
  std::uint64_t leader_term_ = 0;  // the term whose leadership the state below belongs to
  services::MemoryState ephemeral_;
  services::SequenceAllocator allocator_;
  RecentAllocations recent_allocations_;
  LockedObserver observer_{*this};
  LockWaiters waiters_;
  RangeSnapshots range_snapshots_;
};

}  // namespace kahuna
