// Kernel: catching up a stale copy of the cluster's metadata.
//
// A member learns of nodes that joined from partition 0, replicated to it
// by that group's leader. A member restarted after missing a few joins can
// be cut off from that leader for good: the leader may be a newer node with
// a higher id, which never dials (the lower id dials) a node that never
// dials it, since the old metadata does not name it. When partition 0 has
// had no reachable leader here for a while, this node asks the members it
// does reach for their copy (a refresh request, admission.h) and dials the
// peers a newer one names; the leader's log then brings the local copy up
// to date.
#include <algorithm>

#include <spdlog/spdlog.h>
#include <asio/this_coro.hpp>

#include "api/admission.h"
#include "api/kernel.h"

namespace kahuna {
namespace {

// How long partition 0 may have no reachable leader before a refresh, and
// the pause between refreshes.
constexpr auto kLeaderlessBeforeRefresh = std::chrono::seconds(2);
constexpr auto kRefreshTimeout = std::chrono::seconds(2);

}  // namespace

std::string Kernel::answer_metadata_refresh(std::uint64_t from, const services::ClusterMember& member) const {
  using admission::Outcome;
  admission::Reply reply;
  const std::shared_ptr<const services::ClusterMetadata> metadata = cluster_metadata();
  if (member.id != from) {
    reply.outcome = Outcome::kRefused;
    reply.message = "malformed refresh request";
  } else if (metadata->version == 0) {
    reply.message = "node " + std::to_string(config_.node.id) + " has no cluster metadata yet";
  } else if (metadata->find(from) == nullptr) {
    reply.outcome = Outcome::kRefused;
    reply.message = "node " + std::to_string(from) + " is not a member of the cluster (metadata version " +
                    std::to_string(metadata->version) + ")";
  } else {
    reply.outcome = Outcome::kAdmitted;
    reply.metadata = services::encode_cluster_metadata(*metadata);
  }
  return admission::encode_reply(reply);
}

asio::awaitable<void> Kernel::refresh_stale_metadata(const services::ClusterMetadata& metadata) {
  PartitionService& metadata_partition = *partitions_.front();
  const raft::NodeId leader = metadata_partition.status().leader;
  const auto now = Clock::now();
  if (metadata_partition.leads() || (leader != raft::kNoNode && host_.connected(leader))) {
    metadata_leader_lost_since_.reset();
    co_return;
  }
  if (!metadata_leader_lost_since_) metadata_leader_lost_since_ = now;
  if (now - *metadata_leader_lost_since_ < kLeaderlessBeforeRefresh ||
      now - last_metadata_refresh_ < kLeaderlessBeforeRefresh) {
    co_return;
  }
  last_metadata_refresh_ = now;

  services::ClusterMember self{config_.node.id, config_.cluster.address.to_string(),
                               config_.cluster.endpoints};
  const std::string request = admission::encode_refresh_request(self);
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  std::uint64_t newest = fetched_metadata_ ? fetched_metadata_->version : metadata.version;
  for (const services::MemberRecord& record : metadata.members) {
    const std::uint64_t peer = record.member.id;
    if (peer == config_.node.id || !host_.connected(peer)) continue;
    // A first member is reached at the address this node's configuration
    // gives it (sync_peers does the same).
    std::string address_text = record.member.peer_address;
    for (const PeerConfig& configured : config_.cluster.peers) {
      if (configured.id == peer) address_text = configured.address.to_string();
    }
    HostPort address;
    if (!parse_host_port(address_text, address, PortZero::kRefused)) continue;
    std::string payload = request;
    PeerTransport::RequestResult result = co_await PeerTransport::request(
        executor, config_.node.id, address, std::move(payload), kRefreshTimeout);
    admission::Reply reply;
    services::ClusterMetadata fetched;
    if (!result.status || !admission::decode_reply(result.reply, reply) ||
        reply.outcome != admission::Outcome::kAdmitted ||
        !services::decode_cluster_metadata(reply.metadata, fetched) || fetched.version <= newest) {
      continue;
    }
    spdlog::info(
        "metadata partition unreachable since {} ms: node {} has metadata version {} (here {}); "
        "dialling the members it names",
        std::chrono::duration_cast<std::chrono::milliseconds>(now - *metadata_leader_lost_since_).count(),
        peer, fetched.version, metadata.version);
    newest = fetched.version;
    fetched_metadata_ = std::make_shared<const services::ClusterMetadata>(std::move(fetched));
  }
  if (fetched_metadata_) sync_peers(*fetched_metadata_);
}

}  // namespace kahuna
