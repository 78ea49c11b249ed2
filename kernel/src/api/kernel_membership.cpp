// Kernel: the cluster's membership as this node takes part in it — the
// metadata copy, the peers that follow it, admission of joining nodes (as a
// member) and asking for it (as a joining node), and routing to partitions
// this node holds no replica of.
#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "api/admission.h"
#include "api/kernel.h"

namespace kahuna {
namespace {

// One admission request, and the pause between rounds over the seeds.
constexpr auto kAdmissionTimeout = std::chrono::seconds(3);
constexpr auto kAdmissionPause = std::chrono::milliseconds(500);
// How long a housekeeping round spends asking for admission.
constexpr auto kAdmissionRound = std::chrono::seconds(2);
constexpr auto kMetadataDeadline = std::chrono::seconds(5);

bool contains(const std::vector<raft::NodeId>& ids, raft::NodeId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

ClusterChangeReply change_reply(ClusterCode code, std::uint64_t version, std::string message = {}) {
  return ClusterChangeReply{code, version, std::move(message)};
}

}  // namespace

bool Kernel::hosts(std::uint32_t partition) const { return hosts(partition, *cluster_metadata()); }

bool Kernel::hosts(std::uint32_t partition, const services::ClusterMetadata& metadata) const {
  if (partition >= partitions_.size()) return false;
  const raft::ConfState conf = host_.node(partition).membership();
  if (!contains(conf.voters, config_.node.id) && !contains(conf.learners, config_.node.id)) return false;
  // A removed replica may never hear of its removal (the leader stops
  // writing to it): the group's leader's report says so instead.
  const services::ReplicaReport* report = metadata.replicas_of(partition);
  return report == nullptr || report->leader == 0 || report->holds(config_.node.id);
}

std::uint64_t Kernel::replica_to_ask(std::uint32_t partition) const {
  const std::shared_ptr<const services::ClusterMetadata> metadata = cluster_metadata();
  const services::ReplicaReport* report = metadata->replicas_of(partition);
  if (report == nullptr) return 0;
  if (report->leader != 0 && report->leader != config_.node.id) return report->leader;
  for (raft::NodeId voter : report->voters) {
    if (voter != config_.node.id && host_.connected(voter)) return voter;
  }
  return 0;
}

void Kernel::sync_peers(const services::ClusterMetadata& metadata) {
  std::set<std::uint64_t> wanted;
  for (const services::MemberRecord& record : metadata.members) {
    wanted.insert(record.member.id);
    if (record.member.id == config_.node.id) continue;
    // A first member configured here is dialled at this node's own address
    // for it: the path from here may differ from the one another node
    // recorded (a proxy, a NAT).
    const bool configured = std::any_of(config_.cluster.peers.begin(), config_.cluster.peers.end(),
                                        [&](const PeerConfig& peer) { return peer.id == record.member.id; });
    if (configured) continue;
    PeerConfig peer;
    peer.id = record.member.id;
    peer.endpoints = record.member.endpoints;
    if (Status s = parse_host_port(record.member.peer_address, peer.address, PortZero::kRefused); !s) {
      spdlog::warn("member {}: unusable peer address '{}': {}", peer.id, record.member.peer_address,
                   s.message());
      continue;
    }
    host_.add_peer(peer);
  }
  // A node that is no member any more may still be in a group's membership
  // here (its removal not yet applied): keep talking to it until it is not.
  for (std::uint32_t group = 0; group < host_.group_count(); ++group) {
    const raft::ConfState conf = host_.node(group).membership();
    wanted.insert(conf.voters.begin(), conf.voters.end());
    wanted.insert(conf.learners.begin(), conf.learners.end());
  }
  for (std::uint64_t peer : host_.peer_ids()) {
    if (!wanted.contains(peer)) {
      spdlog::info("node {} is no longer a member: closing its peer connection", peer);
      host_.remove_peer(peer);
    }
  }
}

asio::awaitable<void> Kernel::manage_membership() {
  reload_metadata();
  const std::shared_ptr<const services::ClusterMetadata> metadata = cluster_metadata();
  if (metadata->version != 0) {
    if (fetched_metadata_ && fetched_metadata_->version <= metadata->version) fetched_metadata_.reset();
    if (host_.networked()) sync_peers(fetched_metadata_ ? *fetched_metadata_ : *metadata);
    if (metadata->find(config_.node.id) != nullptr) admitted_ = true;
    if (host_.networked() && admitted_) co_await refresh_stale_metadata(*metadata);
    retire_removed_replicas(*metadata);
  }
  if (config_.cluster.joins() && !admitted_) {
    std::vector<HostPort> seeds = config_.cluster.join;
    const auto deadline = Clock::now() + kAdmissionRound;
    co_await ask_admission(std::move(seeds), deadline);
  }
  co_await mover_->run_round(*metadata);
}

void Kernel::retire_removed_replicas(const services::ClusterMetadata& metadata) {
  for (std::uint32_t group = 0; group < host_.group_count(); ++group) {
    raft::Node& node = host_.node(group);
    const raft::NodeStatus status = node.status();
    if (status.role == raft::Role::kLeader || status.retired) continue;
    const services::ReplicaReport* report = metadata.replicas_of(group);
    if (report == nullptr || report->leader == 0 || report->holds(config_.node.id)) continue;
    // Only a membership newer than the one our log holds: an older report
    // would retire a replica that was added since.
    if (report->conf_index <= node.membership_index()) continue;
    if (!contains(node.membership().voters, config_.node.id)) continue;  // it does not campaign anyway
    spdlog::info("raft group {}: removed from it (leader {}'s membership at index {}); no longer campaigning",
                 group, report->leader, report->conf_index);
    node.retire();
  }
}

asio::awaitable<void> Kernel::on_replica_report(std::string payload) {
  co_await mover_->on_report(std::move(payload));
}

asio::awaitable<std::string> Kernel::admit(std::uint64_t from, std::string request) {
  using admission::Outcome;
  admission::Reply reply;
  services::ClusterMember member;
  if (admission::decode_refresh_request(request, member)) co_return answer_metadata_refresh(from, member);
  const std::shared_ptr<const services::ClusterMetadata> metadata = cluster_metadata();
  if (!admission::decode_request(request, member) || member.id == 0 || member.id != from) {
    reply.outcome = Outcome::kRefused;
    reply.message = "malformed admission request";
    co_return admission::encode_reply(reply);
  }
  HostPort address;
  if (Status s = parse_host_port(member.peer_address, address, PortZero::kRefused); !s) {
    reply.outcome = Outcome::kRefused;
    reply.message = "peer address '" + member.peer_address + "': " + s.message();
    co_return admission::encode_reply(reply);
  }
  if (metadata->version == 0) {
    reply.message = "node " + std::to_string(config_.node.id) + " has no cluster metadata yet";
    co_return admission::encode_reply(reply);
  }
  for (const services::MemberRecord& record : metadata->members) {
    const bool same_id = record.member.id == member.id;
    if (same_id != (record.member.peer_address == member.peer_address)) {
      reply.outcome = Outcome::kRefused;
      reply.message = same_id ? "node id " + std::to_string(member.id) + " is already a member at " +
                                    record.member.peer_address + "; a replacement node joins with a new id"
                              : "peer address " + member.peer_address + " belongs to member " +
                                    std::to_string(record.member.id);
      co_return admission::encode_reply(reply);
    }
  }
  PartitionService& metadata_partition = *partitions_.front();
  if (!metadata_partition.leads()) {
    const raft::NodeId leader = metadata_partition.status().leader;
    const services::MemberRecord* record = leader == raft::kNoNode ? nullptr : metadata->find(leader);
    if (record == nullptr) {
      reply.message = "the cluster's metadata partition has no leader right now";
    } else {
      reply.outcome = Outcome::kRedirect;
      reply.redirect = record->member.peer_address;
    }
    co_return admission::encode_reply(reply);
  }
  // Named arguments: temporaries with destructors inside co_await
  // expressions trip GCC 12's coroutine code generation.
  services::CommandBody join = services::MetadataJoin{member};
  const auto deadline = Clock::now() + kMetadataDeadline;
  const ClusterChangeReply joined = co_await change_metadata(std::move(join), deadline);
  if (joined.code != ClusterCode::kApplied && joined.code != ClusterCode::kUnchanged) {
    reply.message = joined.message;
    co_return admission::encode_reply(reply);
  }
  if (joined.code == ClusterCode::kApplied) {
    spdlog::info("admitted node {} ({}) to the cluster: metadata version {}", member.id, member.peer_address,
                 joined.metadata_version);
  }
  reload_metadata();
  reply.outcome = Outcome::kAdmitted;
  reply.metadata = services::encode_cluster_metadata(*cluster_metadata());
  co_return admission::encode_reply(reply);
}

asio::awaitable<ClusterChangeReply> Kernel::ask_admission(std::vector<HostPort> seeds,
                                                          Clock::time_point deadline) {
  using admission::Outcome;
  services::ClusterMember self{config_.node.id, config_.cluster.address.to_string(),
                               config_.cluster.endpoints};
  {
    std::lock_guard lock(endpoints_mutex_);
    for (const auto& [protocol, endpoint] : local_endpoints_) self.endpoints.emplace(protocol, endpoint);
  }
  const std::string request = admission::encode_request(self);
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  std::string problem = "no seed answered";
  while (Clock::now() < deadline) {
    std::vector<HostPort> to_ask = seeds;
    for (std::size_t i = 0; i < to_ask.size() && i < 16; ++i) {
      const HostPort address = to_ask[i];
      std::string payload = request;
      PeerTransport::RequestResult result = co_await PeerTransport::request(
          executor, config_.node.id, address, std::move(payload), kAdmissionTimeout);
      admission::Reply reply;
      if (!result.status) {
        problem = result.status.message();
        continue;
      }
      if (!admission::decode_reply(result.reply, reply)) {
        problem = to_ask[i].to_string() + " sent a malformed admission reply";
        continue;
      }
      switch (reply.outcome) {
        case Outcome::kAdmitted: {
          services::ClusterMetadata metadata;
          if (Status s = services::decode_cluster_metadata(reply.metadata, metadata); !s) {
            problem = to_ask[i].to_string() + ": " + s.message();
            continue;
          }
          spdlog::info("admitted to the cluster by {}: metadata version {}, {} members",
                       to_ask[i].to_string(), metadata.version, metadata.members.size());
          sync_peers(metadata);
          co_return change_reply(ClusterCode::kApplied, metadata.version);
        }
        case Outcome::kRedirect: {
          HostPort redirect;
          if (parse_host_port(reply.redirect, redirect, PortZero::kRefused)) to_ask.push_back(redirect);
          break;
        }
        case Outcome::kRetry: problem = to_ask[i].to_string() + ": " + reply.message; break;
        case Outcome::kRefused:
          spdlog::error("admission refused by {}: {}", to_ask[i].to_string(), reply.message);
          co_return change_reply(ClusterCode::kRefused, 0, reply.message);
      }
    }
    asio::steady_timer pause(executor, kAdmissionPause);
    co_await pause.async_wait(asio::use_awaitable);
  }
  spdlog::warn("not admitted to the cluster yet: {}", problem);
  co_return change_reply(ClusterCode::kMustRetry, 0, problem);
}

asio::awaitable<ClusterChangeReply> Kernel::change_metadata(services::CommandBody body,
                                                            Clock::time_point deadline) {
  services::Reply reply;
  const ServeFailure failure =
      co_await partitions_.front()->propose(std::move(body), RequestId{}, deadline, reply);
  switch (failure) {
    case ServeFailure::kNone: break;
    case ServeFailure::kNotLeader:
    case ServeFailure::kRetry:
      co_return change_reply(ClusterCode::kMustRetry, 0, "partition 0 changed leader; not applied");
    case ServeFailure::kUnknown:
      co_return change_reply(ClusterCode::kOutcomeUnknown, 0, "the change may or may not have been applied");
    case ServeFailure::kFailed: co_return change_reply(ClusterCode::kError, 0, "internal error");
  }
  const auto* outcome = std::get_if<services::MetadataReply>(&reply);
  if (outcome == nullptr) co_return change_reply(ClusterCode::kError, 0, "unexpected reply");
  reload_metadata();
  switch (outcome->code) {
    case services::MetadataCode::kApplied: co_return change_reply(ClusterCode::kApplied, outcome->version);
    case services::MetadataCode::kUnchanged:
      co_return change_reply(ClusterCode::kUnchanged, outcome->version);
    case services::MetadataCode::kNotFound:
      co_return change_reply(ClusterCode::kNotFound, outcome->version, "no such member");
    case services::MetadataCode::kInvalidInput:
      co_return change_reply(ClusterCode::kInvalidInput, outcome->version,
                             "the cluster's metadata refused the change");
  }
  co_return change_reply(ClusterCode::kError, 0, "unexpected reply");
}

}  // namespace kahuna
