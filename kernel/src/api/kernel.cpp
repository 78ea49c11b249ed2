#include "api/kernel.h"

#include <random>

#include <spdlog/spdlog.h>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "services/placement/placement.h"
#include "services/storage/engine_state_reader.h"

namespace kahuna {
namespace {

// How long a request waits for an election to produce a leader before it
// answers must-retry (bounded by the request's own timeout).
constexpr auto kLeaderWait = std::chrono::milliseconds(3000);
constexpr auto kLeaderPoll = std::chrono::milliseconds(10);

services::PlacementPool pool_of(const Config& config) { return {config.cluster.partitions, 1}; }

// A random non-zero client id for the ids this node mints.
std::uint64_t draw_client_id() {
  std::random_device device;
  for (;;) {
    const std::uint64_t id = (static_cast<std::uint64_t>(device()) << 32) ^ device();
    if (id != 0) return id;
  }
}

}  // namespace

Kernel::Kernel(const Config& config, ReplicationHost& host, StorageEngine& engine, LogWriter& log_writer,
               services::HybridClock& clock)
    : config_(config),
      host_(host),
      engine_(engine),
      log_writer_(log_writer),
      clock_(clock),
      metadata_(std::make_shared<const services::ClusterMetadata>()),
      minted_client_(draw_client_id()) {
  const std::int64_t default_block_size = config.services.default_block_size;
  std::vector<PartitionService*> services;
  for (std::uint32_t group = 0; group < host_.group_count(); ++group) {
    partitions_.push_back(std::make_unique<PartitionService>(host_.node(group), host_.replica(group), engine_,
                                                             clock_, default_block_size));
    services.push_back(partitions_.back().get());
  }
  mover_ = std::make_unique<ReplicaMover>(config_.node.id, host_, std::move(services));
  reload_metadata();
}

Kernel::~Kernel() = default;

void Kernel::set_local_endpoint(const std::string& protocol, const std::string& endpoint) {
  std::lock_guard lock(endpoints_mutex_);
  local_endpoints_[protocol] = endpoint;
}

CallOptions Kernel::with_request_id(CallOptions options) {
  if (!options.request_id.present()) {
    options.request_id = RequestId{minted_client_, minted_sequence_.fetch_add(1) + 1, 0};
  }
  return options;
}

std::uint32_t Kernel::partition_of_lock(std::string_view resource) const {
  return services::partition_for_key(resource, pool_of(config_));
}

std::uint32_t Kernel::partition_of_key(std::string_view key) const {
  return services::partition_for_key(key, pool_of(config_));
}

std::uint32_t Kernel::partition_of_sequence(std::string_view name) const {
  return services::partition_for_sequence(name, pool_of(config_));
}

std::uint64_t Kernel::leader_of(std::uint32_t partition) const {
  if (partition >= partitions_.size()) return 0;
  // A replica this node no longer holds remembers the last leader it heard
  // from, which may be long gone: the group leader's report knows better.
  if (!hosts(partition)) {
    const std::shared_ptr<const services::ClusterMetadata> metadata = cluster_metadata();
    const services::ReplicaReport* report = metadata->replicas_of(partition);
    return report != nullptr ? report->leader : 0;
  }
  return partitions_[partition]->status().leader;
}

asio::awaitable<Kernel::Target> Kernel::resolve(std::uint32_t partition, Clock::time_point deadline,
                                                std::uint64_t hint) {
  PartitionService& service = *partitions_.at(partition);
  const auto give_up = std::min(deadline, Clock::now() + kLeaderWait);
  for (;;) {
    if (hosts(partition)) {
      const raft::NodeStatus status = service.status();
      if (status.role == raft::Role::kLeader) co_return Target{&service, config_.node.id};
      if (status.leader != raft::kNoNode && status.leader != config_.node.id)
        co_return Target{nullptr, status.leader};
    } else {
      // Without a replica here the group's leader never writes to this
      // node: follow the last answer's hint, else ask the leader the
      // metadata records or a replica (it forwards on to the leader it
      // knows).
      if (hint != 0 && hint != config_.node.id) co_return Target{nullptr, hint};
      if (const std::uint64_t replica = replica_to_ask(partition); replica != 0)
        co_return Target{nullptr, replica};
    }
    if (Clock::now() >= give_up) co_return Target{};
    asio::steady_timer timer(co_await asio::this_coro::executor, kLeaderPoll);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

ClusterStatus Kernel::cluster_status() const {
  const std::shared_ptr<const services::ClusterMetadata> metadata = cluster_metadata();
  ClusterStatus status;
  status.node_id = config_.node.id;
  status.data_partitions = config_.cluster.partitions;
  status.metadata_version = metadata->version;
  status.replication_factor = metadata->replication_factor;
  auto add_node = [&](std::uint64_t id, std::string peer_address,
                      std::map<std::string, std::string> endpoints, std::string state,
                      std::uint64_t joined_version) {
    NodeInfo node{id,
                  std::move(peer_address),
                  std::move(endpoints),
                  host_.connected(id),
                  std::move(state),
                  joined_version};
    if (id == config_.node.id) {
      std::lock_guard lock(endpoints_mutex_);
      for (const auto& [protocol, endpoint] : local_endpoints_) node.endpoints.emplace(protocol, endpoint);
    }
    status.nodes.push_back(std::move(node));
  };
  if (metadata->version != 0) {
    for (const services::MemberRecord& record : metadata->members) {
      add_node(record.member.id, record.member.peer_address, record.member.endpoints,
               services::to_string(record.state), record.joined_version);
    }
  } else if (!config_.cluster.peers.empty()) {  // the first members, until the metadata records them
    for (const PeerConfig& peer : config_.cluster.peers) {
      add_node(peer.id, peer.address.to_string(), peer.endpoints, "", 0);
    }
  } else if (!config_.cluster.joins()) {
    const PeerConfig self = config_.cluster.self(config_.node.id);
    add_node(self.id, self.address.host.empty() ? "" : self.address.to_string(), self.endpoints, "", 0);
  }
  for (const auto& service : partitions_) {
    const raft::NodeStatus node = service->status();
    PartitionInfo info;
    info.id = service->partition();
    info.leader = node.leader;
    info.role = raft::to_string(node.role);
    info.term = node.term;
    info.commit_index = node.commit;
    info.applied_index = node.applied;
    info.first_index = node.first_index;
    info.last_index = node.last_index;
    info.hosted = hosts(info.id, *metadata);
    if (!info.hosted) info.role = "none";
    if (const services::ReplicaReport* report = metadata->replicas_of(info.id)) {
      info.voters = report->voters;
      info.learners = report->learners;
      info.generation = report->generation;
      // A group this node left knows nothing current, not even its leader
      // (a retired replica remembers the one it last heard from).
      if (!info.hosted) info.leader = report->leader;
    }
    info.target = metadata->target_of(info.id);
    status.partitions.push_back(std::move(info));
  }
  return status;
}

void Kernel::shutdown() {
  stopping_ = true;
  for (auto& service : partitions_) service->waiters().notify_all();
}

void Kernel::balance_leaders() {
  last_leader_.resize(partitions_.size(), 0);
  for (std::size_t group = 0; group < partitions_.size(); ++group) {
    const raft::NodeStatus status = partitions_[group]->status();
    if (status.leader != raft::kNoNode && status.leader != last_leader_[group]) {
      if (last_leader_[group] != 0) leader_changes_.fetch_add(1, std::memory_order_relaxed);
      last_leader_[group] = status.leader;
    }
  }
}

std::shared_ptr<const services::ClusterMetadata> Kernel::cluster_metadata() const {
  std::lock_guard lock(metadata_mutex_);
  return metadata_;
}

void Kernel::reload_metadata() {
  // Decoding the metadata (a report per partition) is the bulk of an idle
  // node's housekeeping: skip it while partition 0 applied nothing new. The
  // index is read before the state, so a change applied meanwhile is loaded
  // next time.
  const std::uint64_t applied = host_.replica(0).applied_index();
  if (applied == metadata_applied_index_.load()) return;
  auto metadata = std::make_shared<services::ClusterMetadata>();
  services::EngineStateReader reader(engine_);
  if (Status s = host_.replica(0).machine().metadata().load(reader, *metadata); !s.is_ok()) {
    spdlog::warn("cannot read the cluster metadata: {}", s.to_string());
    return;
  }
  std::lock_guard lock(metadata_mutex_);
  // Every change raises the version: an older one is a concurrent reload's
  // that lost the race, and must not replace the newer copy.
  if (metadata->version < metadata_->version) return;
  if (metadata->version > metadata_->version) metadata_ = std::move(metadata);
  metadata_applied_index_ = applied;
}

asio::awaitable<void> Kernel::bootstrap_metadata() {
  if (metadata_seen_.load() || config_.cluster.joins() || !partitions_.front()->leads()) co_return;
  if (cluster_metadata()->version != 0) {
    metadata_seen_ = true;
    co_return;
  }
  // The members as the status reports them: configured addresses and
  // endpoints, with this node's own endpoints as its protocols serve them.
  ClusterStatus status = cluster_status();
  services::MetadataBootstrap bootstrap;
  for (NodeInfo& node : status.nodes) {
    bootstrap.members.push_back(
        services::ClusterMember{node.id, std::move(node.peer_address), std::move(node.endpoints)});
  }
  // Every first member holds every partition, as the groups were created;
  // a smaller factor (or more than five members) makes the replica mover
  // trim the groups to the placement.
  bootstrap.replication_factor = config_.cluster.replication_factor != 0
                                     ? config_.cluster.replication_factor
                                     : static_cast<std::uint32_t>(std::min<std::size_t>(
                                           bootstrap.members.size(), services::kMaxReplicationFactor));
  bootstrap.data_partitions = config_.cluster.partitions;
  services::Reply reply;
  const ServeFailure failure = co_await partitions_.front()->propose(
      std::move(bootstrap), RequestId{}, Clock::now() + std::chrono::seconds(5), reply);
  if (failure != ServeFailure::kNone) co_return;  // tried again at the next round
  if (const auto* outcome = std::get_if<services::MetadataReply>(&reply)) {
    if (outcome->code == services::MetadataCode::kApplied) {
      spdlog::info("cluster metadata bootstrapped: {} members, version {}", host_.initial_voters().size(),
                   outcome->version);
    }
  }
}

asio::awaitable<void> Kernel::sweep_expired_keys() {
  for (auto& service : partitions_) {
    if (!service->leads()) continue;
    co_await service->expire_keys(Clock::now() + std::chrono::seconds(5));
  }
}

}  // namespace kahuna
