// ReplicationHost: every Raft group of the node — partition 0 (metadata) and
// the data partitions 1..P — with their durable logs, state machines and
// drivers, and the peer transport that carries their messages.
//
// All groups share one Raft log: by default the segmented log
// (raftlog/segmented_log.h), whose writer syncs the writes of every group
// together; with [raft] log = "engine", keys in the storage engine written
// through the node's log writer. Their state machines share the storage
// engine, and their messages one TCP connection per peer. A frame on that
// connection carries its group id; ids at or above kFirstServiceChannel are
// not Raft groups but node-to-node services (request forwarding), handed to
// the handler given to start().
//
// A node without a peer address (no peers, no cluster.address) has no
// transport: each group elects this node at once. With one, the peers
// follow the cluster's metadata (add_peer/remove_peer) as members come and
// go, and the transport answers admission requests of joining nodes
// (set_request_handler).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <kahuna/raft/node.h>
#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>

#include "config/config.h"
#include "raftlog/file_system.h"
#include "raftlog/segmented_log.h"
#include "replication/durable_node_storage.h"
#include "replication/heartbeat_coalescer.h"
#include "replication/partition_replica.h"
#include "replication/peer_liveness.h"
#include "replication/segmented_node_storage.h"
#include "replication/snapshot_files.h"
#include "services/clock/hlc.h"
#include "storage/log_writer.h"
#include "transport/peer_transport.h"

namespace kahuna {

class ReplicationHost final : public raft::MessageSender {
 public:
  static constexpr std::uint32_t kFirstServiceChannel = 0x80000000u;
  // Heartbeats of many groups in one frame (heartbeat_coalescer.h).
  static constexpr std::uint32_t kHeartbeatChannel = kFirstServiceChannel;
  using ChannelHandler = std::function<void(std::uint64_t from, std::uint32_t channel, std::string payload)>;

  ReplicationHost(asio::io_context& io, const Config& config, StorageEngine& engine, LogWriter& log_writer,
                  services::HybridClock& clock, const services::ServiceOptions& options);
  ~ReplicationHost();
  ReplicationHost(const ReplicationHost&) = delete;
  ReplicationHost& operator=(const ReplicationHost&) = delete;

  // open() loads every group's log and state and makes its driver; start()
  // binds the peer listener and starts the drivers. Observers for the
  // replicas (the leader's sequence allocators) must be set in between.
  Status open();
  Status start(ChannelHandler channel_handler);

  // Stops the drivers and the transport; blocks until every driver loop has
  // ended. Call from a thread that is not an io thread, while the io threads
  // still run.
  void stop();

  std::uint32_t group_count() const noexcept { return static_cast<std::uint32_t>(nodes_.size()); }
  raft::Node& node(std::uint32_t group) { return *nodes_.at(group); }
  const raft::Node& node(std::uint32_t group) const { return *nodes_.at(group); }
  PartitionReplica& replica(std::uint32_t group) { return *replicas_.at(group); }

  // Sends a service-channel frame to a peer; false when it was dropped.
  bool send_channel(std::uint64_t to, std::uint32_t channel, std::string_view payload);
  bool connected(std::uint64_t peer) const;
  bool networked() const noexcept { return transport_ != nullptr; }
  // The peers the transport connects to, as the cluster's members change.
  void add_peer(const PeerConfig& peer);
  void remove_peer(std::uint64_t peer);
  std::vector<std::uint64_t> peer_ids() const;
  // Answers one-shot requests of nodes that are not members (yet); set
  // before start().
  void set_request_handler(PeerTransport::RequestHandler handler) { request_handler_ = std::move(handler); }
  // Groups that stopped ticking while idle (raft::Config::quiesce_ticks),
  // and how often a peer's liveness changed (each change wakes them).
  std::uint32_t quiesced_groups() const;
  std::uint64_t peer_liveness_changes() const noexcept { return liveness_ ? liveness_->changes() : 0; }
  // Heartbeat messages sent, and the frames that carried them.
  std::uint64_t heartbeats_sent() const noexcept { return coalescer_.messages(); }
  std::uint64_t heartbeat_frames_sent() const noexcept { return coalescer_.frames(); }
  // The voters a group starts with when its log is new.
  const std::vector<raft::NodeId>& initial_voters() const noexcept { return voters_; }
  // The segmented Raft log; null with [raft] log = "engine".
  const raftlog::SegmentedLog* segmented_log() const noexcept { return segmented_log_.get(); }

  // raft::MessageSender
  void send(std::uint32_t group, const raft::Message& message) override;

 private:
  Status open_segmented_log();
  // Opens the log and state machine of `group` and makes its storage.
  Status open_group(std::uint32_t group, const raft::ConfState& initial);
  void receive(std::uint64_t from, std::uint32_t group, std::string payload);
  void deliver(std::uint64_t from, std::uint32_t group, std::string_view payload);
  // A peer died or came back: every quiesced group ticks again, so the
  // followers of a dead leader elect another and a leader catches up a
  // follower that returns.
  void wake_quiesced_groups(std::uint64_t peer, bool alive);

  asio::io_context& io_;
  const Config& config_;
  StorageEngine& engine_;
  LogWriter& log_writer_;
  services::HybridClock& clock_;
  const services::ServiceOptions& options_;
  std::vector<raft::NodeId> voters_;
  // Where log-compaction images are encoded: copying a partition's state
  // reads the disk, which no io thread may wait for. One thread, so
  // compactions of different groups take turns rather than the cores.
  asio::thread_pool image_thread_{1};
  SnapshotFiles snapshot_files_;
  std::vector<std::unique_ptr<PartitionReplica>> replicas_;
  std::unique_ptr<raftlog::FileSystem> file_system_;
  std::unique_ptr<raftlog::SegmentedLog> segmented_log_;
  std::vector<std::unique_ptr<raft::NodeStorage>> storages_;
  std::vector<std::unique_ptr<raft::Node>> nodes_;
  std::unique_ptr<PeerTransport> transport_;
  HeartbeatCoalescer coalescer_;
  std::unique_ptr<PeerLiveness> liveness_;
  ChannelHandler channel_handler_;
  PeerTransport::RequestHandler request_handler_;
};

}  // namespace kahuna
