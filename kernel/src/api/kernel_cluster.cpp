// Kernel: cluster administration — join, leave, remove and the replication
// factor (kahuna/operations.def). A change of the metadata is proposed on
// partition 0's leader: here when this node leads it, else forwarded there
// once. The replicas it implies then move in the background (ReplicaMover).
#include <spdlog/spdlog.h>

#include "api/kernel.h"

namespace kahuna {
namespace {

ClusterChangeReply refusal(ClusterCode code, std::uint64_t version, std::string message) {
  return ClusterChangeReply{code, version, std::move(message)};
}

}  // namespace

// Runs `body` on partition 0's leader: here, or by forwarding `call` there.
asio::awaitable<ClusterChangeReply> Kernel::change_on_metadata_leader(services::CommandBody body,
                                                                      ForwardedCall call,
                                                                      CallOptions options) {
  const auto deadline = Clock::now() + options.timeout;
  const std::uint64_t version = cluster_metadata()->version;
  PartitionService& metadata_partition = *partitions_.front();
  if (metadata_partition.leads()) co_return co_await change_metadata(std::move(body), deadline);
  const raft::NodeId leader = metadata_partition.status().leader;
  if (options.forwarded || leader == raft::kNoNode || leader == config_.node.id || forwarder_ == nullptr) {
    co_return refusal(ClusterCode::kMustRetry, version,
                      "the cluster's metadata partition has no leader here");
  }
  // Named arguments: temporaries with destructors inside co_await
  // expressions trip GCC 12's coroutine code generation.
  auto forward = forward_as<ClusterChangeReply>(forwarder_, std::move(call), options);
  AbandonWhen never;
  Forwarded<ClusterChangeReply> forwarded = co_await forward(leader, options.timeout, std::move(never));
  if (forwarded.reply) co_return std::move(*forwarded.reply);
  if (!forwarded.sent) {
    co_return refusal(ClusterCode::kMustRetry, version,
                      "node " + std::to_string(leader) + ", the metadata partition's leader, is unreachable");
  }
  co_return refusal(ClusterCode::kOutcomeUnknown, version, "no answer from node " + std::to_string(leader));
}

asio::awaitable<ClusterChangeReply> Kernel::cluster_join(ClusterJoinRequest request, CallOptions options) {
  const std::uint64_t version = cluster_metadata()->version;
  if (!config_.cluster.joins()) {
    co_return refusal(
        ClusterCode::kRefused, version,
        "this node started a cluster of its own (cluster.peers, or no cluster.join); only a node "
        "started with cluster.join (and its own cluster.address) joins another");
  }
  if (admitted_) co_return refusal(ClusterCode::kUnchanged, version, "");
  std::vector<HostPort> seeds;
  for (const std::string& seed : request.seeds) {
    HostPort address;
    if (Status s = parse_host_port(seed, address, PortZero::kRefused); !s) {
      co_return refusal(ClusterCode::kInvalidInput, version, "seed '" + seed + "': " + s.message());
    }
    seeds.push_back(std::move(address));
  }
  if (seeds.empty())
    co_return refusal(ClusterCode::kInvalidInput, version, "seeds: name at least one member");
  const auto deadline = Clock::now() + options.timeout;
  co_return co_await ask_admission(std::move(seeds), deadline);
}

asio::awaitable<ClusterChangeReply> Kernel::cluster_leave(ClusterMemberRequest request, CallOptions options) {
  if (request.node_id != 0 && request.node_id != config_.node.id) {
    co_return refusal(ClusterCode::kInvalidInput, cluster_metadata()->version,
                      "leave drains the answering node (" + std::to_string(config_.node.id) +
                          "); use remove for node " + std::to_string(request.node_id));
  }
  const ClusterMemberRequest self{config_.node.id};
  co_return co_await cluster_remove(self, std::move(options));
}

asio::awaitable<ClusterChangeReply> Kernel::cluster_remove(ClusterMemberRequest request,
                                                           CallOptions options) {
  const std::shared_ptr<const services::ClusterMetadata> metadata = cluster_metadata();
  if (request.node_id == 0)
    co_return refusal(ClusterCode::kInvalidInput, metadata->version, "nodeId: required");
  if (metadata->version == 0) {
    co_return refusal(ClusterCode::kMustRetry, 0, "this node has not applied the cluster's metadata yet");
  }
  ForwardedCall call = wire::ClusterRemove{request};
  services::CommandBody leaving = services::MetadataSetMemberState{
      request.node_id, static_cast<std::uint8_t>(services::MemberState::kLeaving)};
  // Only partition 0's leader is sure to know every member: elsewhere the
  // copy may predate a join. The leader checks the request when it gets it.
  if (!partitions_.front()->leads()) {
    co_return co_await change_on_metadata_leader(std::move(leaving), std::move(call), std::move(options));
  }
  const services::MemberRecord* record = metadata->find(request.node_id);
  if (record == nullptr) {
    co_return refusal(ClusterCode::kNotFound, metadata->version,
                      "node " + std::to_string(request.node_id) + " is not a member");
  }
  if (record->state == services::MemberState::kLeaving) {
    co_return refusal(ClusterCode::kUnchanged, metadata->version, "");
  }
  if (metadata->placed_members().size() <= 1) {
    co_return refusal(ClusterCode::kRefused, metadata->version,
                      "node " + std::to_string(request.node_id) +
                          " is the last member holding replicas: its data would have nowhere to go");
  }
  spdlog::info("draining node {} out of the cluster", request.node_id);
  co_return co_await change_on_metadata_leader(std::move(leaving), std::move(call), std::move(options));
}

asio::awaitable<ClusterChangeReply> Kernel::set_replication_factor(ReplicationFactorRequest request,
                                                                   CallOptions options) {
  const std::uint64_t version = cluster_metadata()->version;
  if (request.partition > config_.cluster.partitions) {
    co_return refusal(
        ClusterCode::kInvalidInput, version,
        "partitionId: the data partitions are 1.." + std::to_string(config_.cluster.partitions));
  }
  const std::uint32_t least = request.partition == 0 ? 1 : 0;
  if (request.replication_factor < least || request.replication_factor > services::kMaxReplicationFactor) {
    co_return refusal(ClusterCode::kInvalidInput, version,
                      "replicationFactor: must be " + std::to_string(least) + " to " +
                          std::to_string(services::kMaxReplicationFactor) +
                          (request.partition == 0 ? "" : " (0 clears the partition's override)"));
  }
  if (version == 0)
    co_return refusal(ClusterCode::kMustRetry, 0, "this node has not applied the metadata yet");
  services::CommandBody factor =
      services::MetadataSetReplicationFactor{request.replication_factor, request.partition};
  ForwardedCall call = wire::SetReplicationFactor{request};
  co_return co_await change_on_metadata_leader(std::move(factor), std::move(call), std::move(options));
}

}  // namespace kahuna
