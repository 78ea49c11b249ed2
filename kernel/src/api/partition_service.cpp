#include "api/partition_service.h"

#include <spdlog/spdlog.h>

#include "services/commands/command_codec.h"
#include "services/commands/reply_codec.h"
#include "services/partition/ephemeral_apply.h"
#include "services/storage/engine_state_reader.h"

namespace kahuna {
namespace {

// What a proposal's result means to its caller: whether it can have been
// applied is all that decides between must-retry and outcome-unknown.
ServeFailure proposal_failure(raft::NodeResult result) {
  switch (result) {
    case raft::NodeResult::kOk: return ServeFailure::kNone;
    case raft::NodeResult::kNotLeader: return ServeFailure::kNotLeader;
    case raft::NodeResult::kRetry:
    case raft::NodeResult::kDropped:
    case raft::NodeResult::kShuttingDown: return ServeFailure::kRetry;
    case raft::NodeResult::kTimeout:
    case raft::NodeResult::kUnknown: return ServeFailure::kUnknown;
  }
  return ServeFailure::kFailed;
}

// A read barrier changes nothing: whatever stopped it, reading again is safe.
ServeFailure read_failure(raft::NodeResult result) {
  switch (result) {
    case raft::NodeResult::kOk: return ServeFailure::kNone;
    case raft::NodeResult::kNotLeader: return ServeFailure::kNotLeader;
    default: return ServeFailure::kRetry;
  }
}

// Expired keys removed per sweep and partition: bounds one proposal.
constexpr std::size_t kExpiryBatch = 256;

}  // namespace

PartitionService::PartitionService(raft::Node& node, PartitionReplica& replica, StorageEngine& engine,
                                   services::HybridClock& clock, std::int64_t default_block_size)
    : node_(node),
      replica_(replica),
      engine_(engine),
      clock_(clock),
      default_block_size_(default_block_size),
      allocator_(clock.node()) {
  replica_.set_sequence_observer(&observer_);
}

bool PartitionService::enter_leadership() {
  const raft::NodeStatus status = node_.status();
  if (status.role != raft::Role::kLeader) return false;
  if (status.term != leader_term_) {
    leader_term_ = status.term;
    ephemeral_.clear();
    allocator_.clear();
    recent_allocations_.clear();
    waiters_.notify_all();
  }
  return true;
}

asio::awaitable<ServeFailure> PartitionService::propose(services::CommandBody body, RequestId request_id,
                                                        Clock::time_point deadline, services::Reply& reply) {
  {
    std::lock_guard lock(mutex_);
    if (!enter_leadership()) co_return ServeFailure::kNotLeader;
  }
  services::Command command{clock_.now(), std::move(body), request_id};
  std::string entry = services::encode_command(command);
  raft::ProposalOutcome outcome = co_await node_.propose(std::move(entry), deadline);
  if (outcome.result != raft::NodeResult::kOk) co_return proposal_failure(outcome.result);
  if (Status s = services::decode_reply(outcome.output, reply); !s) {
    spdlog::error("partition {}: undecodable reply at index {}", partition(), outcome.index);
    co_return ServeFailure::kFailed;
  }
  co_return ServeFailure::kNone;
}

asio::awaitable<ServeFailure> PartitionService::read_barrier(Clock::time_point deadline) {
  raft::ReadOutcome outcome = co_await node_.read(deadline);
  co_return read_failure(outcome.result);
}

ServeFailure PartitionService::apply_ephemeral(services::CommandBody body, services::Reply& reply) {
  std::lock_guard lock(mutex_);
  if (!enter_leadership()) return ServeFailure::kNotLeader;
  services::Command command{clock_.now(), std::move(body)};
  if (Status s = services::apply_ephemeral(replica_.machine(), ephemeral_, command, reply); !s) {
    spdlog::error("partition {}: ephemeral state: {}", partition(), s.to_string());
    return ServeFailure::kFailed;
  }
  return ServeFailure::kNone;
}

std::optional<services::SequenceAllocation> PartitionService::take_from_block(std::string_view name,
                                                                              std::int64_t count,
                                                                              const RequestId& request_id) {
  std::lock_guard lock(mutex_);
  if (!enter_leadership()) return std::nullopt;
  if (auto seen = recent_allocations_.find(request_id)) {
    if (seen->served && seen->served->name == name && seen->served->count == count) return seen->served;
    return std::nullopt;  // proposed through Raft (or reused for another call): Raft answers it
  }
  std::optional<services::SequenceAllocation> taken = allocator_.take(name, count);
  if (taken) {
    recent_allocations_.served(request_id, *taken);
  } else {
    recent_allocations_.proposed(request_id);
  }
  return taken;
}

asio::awaitable<void> PartitionService::expire_keys(Clock::time_point deadline) {
  std::vector<services::ExpiredKey> expired;
  {
    std::lock_guard lock(mutex_);
    if (!enter_leadership()) co_return;
    // Ephemeral keys: removed at once, through the same command replicas use.
    if (Status s =
            replica_.machine().kv_reads().list_expired(ephemeral_, clock_.now(), kExpiryBatch, expired);
        s) {
      for (const auto& key : expired) {
        services::Reply ignored;
        services::Command command{clock_.now(), services::KvExpire{key.key, key.revision}};
        (void)services::apply_ephemeral(replica_.machine(), ephemeral_, command, ignored);
      }
    }
  }
  expired.clear();
  services::EngineStateReader reader(engine_);
  if (Status s = replica_.machine().kv_reads().list_expired(reader, clock_.now(), kExpiryBatch, expired);
      !s) {
    spdlog::warn("partition {}: cannot list expired keys: {}", partition(), s.to_string());
    co_return;
  }
  // One proposal per key: KvExpire applies only if the key still holds the
  // revision seen here, so a key set again meanwhile is left alone.
  for (const auto& key : expired) {
    services::Reply ignored;
    services::CommandBody body = services::KvExpire{key.key, key.revision};
    if (co_await propose(std::move(body), RequestId{}, deadline, ignored) != ServeFailure::kNone) break;
  }
}

void PartitionService::LockedObserver::block_reserved(std::string_view name, std::int32_t proposer,
                                                      const services::SequenceAllocation& leftover,
                                                      std::int64_t increment) {
  std::lock_guard lock(owner_.mutex_);
  owner_.allocator_.block_reserved(name, proposer, leftover, increment);
}

void PartitionService::LockedObserver::sequence_changed(std::string_view name) {
  std::lock_guard lock(owner_.mutex_);
  owner_.allocator_.sequence_changed(name);
}

}  // namespace kahuna
