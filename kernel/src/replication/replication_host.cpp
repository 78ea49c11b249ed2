#include "replication/replication_host.h"

#include <algorithm>
#include <filesystem>

#include <kahuna/raft/message_codec.h>
#include <spdlog/spdlog.h>
#include <asio/co_spawn.hpp>
#include <asio/use_future.hpp>

namespace kahuna {

ReplicationHost::ReplicationHost(asio::io_context& io, const Config& config, StorageEngine& engine,
                                 LogWriter& log_writer, services::HybridClock& clock,
                                 const services::ServiceOptions& options)
    : io_(io),
      config_(config),
      engine_(engine),
      log_writer_(log_writer),
      clock_(clock),
      options_(options),
      snapshot_files_(std::filesystem::path(config.node.data_dir) / "snapshots"),
      coalescer_(io, [this](std::uint64_t peer, std::string frame) {
        return transport_ && transport_->send(peer, kHeartbeatChannel, frame);
      }) {
  // The membership a group starts with when its log is new: the first
  // members, this node alone, or (joining) nobody: a joining node's groups
  // learn their members from the leaders that add it.
  for (const PeerConfig& peer : config_.cluster.peers) voters_.push_back(peer.id);
  if (voters_.empty() && !config_.cluster.joins()) voters_.push_back(config_.node.id);
  std::sort(voters_.begin(), voters_.end());
}

ReplicationHost::~ReplicationHost() = default;

Status ReplicationHost::open() {
  const std::uint32_t groups = config_.cluster.partitions + 1;
  const raft::ConfState initial{voters_, {}};
  if (Status s = snapshot_files_.prepare(); !s) return s;
  if (config_.raft.log == "segmented") {
    if (Status s = open_segmented_log(); !s) return s;
  }
  for (std::uint32_t group = 0; group < groups; ++group) {
    if (Status s = open_group(group, initial); !s) return s;
  }
  for (std::uint32_t group = 0; group < replicas_.size(); ++group) {
    raft::Node::Options options;
    options.core.id = config_.node.id;
    // Distinct per node and group, so elections of different groups do not
    // time out in lockstep.
    options.core.random_seed = config_.node.id * 1000003u + group;
    options.core.election_ticks = static_cast<int>(config_.raft.election_ticks);
    options.core.heartbeat_ticks = static_cast<int>(config_.raft.heartbeat_ticks);
    options.core.max_inflight_appends = 256;
    options.core.lease_reads = config_.raft.lease_reads;
    options.core.async_storage_writes = config_.raft.pipeline;
    options.core.quiesce_ticks = static_cast<int>(config_.raft.quiesce_ticks);
    options.tick_interval = std::chrono::milliseconds(config_.raft.tick_ms);
    options.compact_after_entries = config_.raft.compact_after_entries;
    nodes_.push_back(std::make_unique<raft::Node>(io_.get_executor(), group, options, *storages_[group],
                                                  *replicas_[group], *this));
  }
  return Status::ok();
}

Status ReplicationHost::open_segmented_log() {
  file_system_ = raftlog::make_posix_file_system();
  raftlog::SegmentedLog::Options options;
  options.directory = (std::filesystem::path(config_.node.data_dir) / "raftlog").string();
  options.segment_bytes = config_.raft.log_segment_mb << 20;
  const raft::ConfState initial{voters_, {}};
  if (Status s = raftlog::SegmentedLog::open(*file_system_, options, config_.cluster.partitions + 1, initial,
                                             segmented_log_);
      !s) {
    return Status(s.code(), "raft log: " + s.message());
  }
  return Status::ok();
}

Status ReplicationHost::open_group(std::uint32_t group, const raft::ConfState& initial) {
  const std::string where = "raft group " + std::to_string(group) + ": ";
  const bool segmented = segmented_log_ != nullptr;
  std::unique_ptr<PartitionReplica> replica;
  PartitionReplica::Options replica_options;
  replica_options.unlogged = segmented;
  replica_options.state_cache_bytes =
      (config_.storage.state_cache_mb << 20) / (config_.cluster.partitions + 1);
  if (Status s = PartitionReplica::open(engine_, log_writer_, group, options_, clock_,
                                        image_thread_.get_executor(), replica_options, replica);
      !s) {
    return s;
  }
  if (!segmented) {
    std::unique_ptr<EngineLogStorage> log;
    if (Status s = EngineLogStorage::open(engine_, group, initial, snapshot_files_, log); !s) {
      return Status(s.code(), where + s.message());
    }
    // Images a crash left behind before the log came to refer to them.
    snapshot_files_.remove_all_but(group, {log->snapshot_file_index()});
    if (Status s = replica->catch_up_with(log->snapshot()); !s) return s;
    storages_.push_back(std::make_unique<DurableNodeStorage>(std::move(log), log_writer_, snapshot_files_,
                                                             image_thread_.get_executor()));
    replicas_.push_back(std::move(replica));
    return Status::ok();
  }

  raftlog::GroupLog& log = segmented_log_->group(group);
  const raft::Index snapshot_index = log.snapshot_metadata().index;
  if (snapshot_index > 0) {
    std::string image;
    if (Status s = snapshot_files_.read(group, snapshot_index, image); !s)
      return Status(s.code(), where + s.message());
    log.set_snapshot_image(std::make_shared<const std::string>(std::move(image)));
  }
  snapshot_files_.remove_all_but(group, {snapshot_index});
  if (Status s = replica->catch_up_with(log.snapshot()); !s) return s;
  // A commit index alone is never written; what the state has applied was
  // committed, so the log's commit index starts at least there (the core
  // would otherwise hand those entries out to be applied again).
  log.note_commit(replica->applied_index());
  storages_.push_back(std::make_unique<SegmentedNodeStorage>(*segmented_log_, group, snapshot_files_, engine_,
                                                             image_thread_.get_executor()));
  replicas_.push_back(std::move(replica));
  return Status::ok();
}

Status ReplicationHost::start(ChannelHandler channel_handler) {
  channel_handler_ = std::move(channel_handler);
  // The transport exists before any driver can send, and listens only once
  // every driver exists to receive.
  if (config_.cluster.networked()) {
    std::vector<PeerConfig> peers = config_.cluster.peers;
    if (peers.empty()) peers.push_back(config_.cluster.self(config_.node.id));
    transport_ = std::make_unique<PeerTransport>(
        io_, config_.node.id, peers, [this](std::uint64_t from, std::uint32_t group, std::string payload) {
          receive(from, group, std::move(payload));
        });
    if (request_handler_) transport_->set_request_handler(request_handler_);
    if (Status s = transport_->start(); !s) return s;
    const std::chrono::milliseconds tick(config_.raft.tick_ms);
    liveness_ = std::make_unique<PeerLiveness>(
        io_, tick * config_.raft.heartbeat_ticks, tick * config_.raft.election_ticks,
        PeerLiveness::Hooks{[this] { return transport_->peer_ids(); },
                            [this](std::uint64_t peer) { transport_->send(peer, kHeartbeatChannel, {}); },
                            [this](std::uint64_t peer, bool alive) { wake_quiesced_groups(peer, alive); }});
    liveness_->start();
  }
  for (auto& node : nodes_) node->start();
  // A cluster of this node alone has nobody to wait for: lead every group
  // at once. (A group that has grown since holds other voters in its log;
  // its campaign is then an ordinary pre-vote.)
  if (voters_.size() == 1 && voters_.front() == config_.node.id) {
    for (auto& node : nodes_) node->campaign();
  }
  return Status::ok();
}

void ReplicationHost::add_peer(const PeerConfig& peer) {
  if (transport_ && peer.id != config_.node.id) transport_->add_peer(peer);
}

void ReplicationHost::remove_peer(std::uint64_t peer) {
  if (transport_ && peer != config_.node.id) transport_->remove_peer(peer);
}

std::vector<std::uint64_t> ReplicationHost::peer_ids() const {
  return transport_ ? transport_->peer_ids() : std::vector<std::uint64_t>{};
}

void ReplicationHost::stop() {
  if (liveness_) liveness_->stop();
  for (auto& node : nodes_) node->stop();
  for (auto& node : nodes_) asio::co_spawn(io_, node->wait_stopped(), asio::use_future).get();
  if (transport_) transport_->stop();
  if (segmented_log_) segmented_log_->stop();
}

void ReplicationHost::send(std::uint32_t group, const raft::Message& message) {
  if (!transport_) return;
  if (HeartbeatCoalescer::coalesces(message)) {
    coalescer_.add(message.to, group, raft::encode_message(message));
  } else {
    transport_->send(message.to, group, raft::encode_message(message));
  }
}

bool ReplicationHost::send_channel(std::uint64_t to, std::uint32_t channel, std::string_view payload) {
  return transport_ && transport_->send(to, channel, payload);
}

bool ReplicationHost::connected(std::uint64_t peer) const {
  if (peer == config_.node.id) return true;
  return transport_ && transport_->connected(peer);
}

std::uint32_t ReplicationHost::quiesced_groups() const {
  std::uint32_t quiesced = 0;
  for (const auto& node : nodes_) quiesced += node->status().quiesced ? 1 : 0;
  return quiesced;
}

void ReplicationHost::wake_quiesced_groups(std::uint64_t peer, bool alive) {
  const std::uint32_t quiesced = quiesced_groups();
  spdlog::info("peer {} {}; waking {} quiesced raft groups", peer,
               alive ? "is heard from again" : "is silent", quiesced);
  for (auto& node : nodes_) {
    // The followers of a silent peer elect another leader at once.
    if (!alive && node->status().leader == peer) {
      node->suspect_leader();
    } else {
      node->wake();
    }
  }
}

void ReplicationHost::receive(std::uint64_t from, std::uint32_t group, std::string payload) {
  if (group == kHeartbeatChannel) {
    if (liveness_) liveness_->heard(from);
    const bool whole = HeartbeatCoalescer::split(
        from, payload,
        [this](std::uint64_t sender, std::uint32_t g, std::string_view m) { deliver(sender, g, m); });
    if (!whole) spdlog::warn("peer {}: dropped a malformed heartbeat frame", from);
    return;
  }
  if (group >= kFirstServiceChannel) {
    if (channel_handler_) channel_handler_(from, group, std::move(payload));
    return;
  }
  deliver(from, group, payload);
}

void ReplicationHost::deliver(std::uint64_t from, std::uint32_t group, std::string_view payload) {
  if (group >= nodes_.size()) {
    spdlog::warn(
        "peer {} sent a message for unknown raft group {}; are the nodes configured with the same "
        "cluster.partitions?",
        from, group);
    return;
  }
  std::optional<raft::Message> message = raft::decode_message(payload);
  if (!message || message->from != from || message->to != config_.node.id) {
    spdlog::warn("peer {}: dropped an undecodable or misaddressed raft message for group {}", from, group);
    return;
  }
  nodes_[group]->receive(std::move(*message));
}

}  // namespace kahuna
