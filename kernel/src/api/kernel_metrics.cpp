// The Kernel's metrics in Prometheus text exposition format.
#include <sstream>

#include "api/kernel.h"

namespace kahuna {
namespace {

void family(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

}  // namespace

std::string Kernel::metrics_text() const {
  std::ostringstream out;
  const ClusterStatus status = cluster_status();
  family(out, "kahuna_raft_term", "gauge", "Current Raft term of each partition's group on this node.");
  for (const auto& p : status.partitions)
    out << "kahuna_raft_term{partition=\"" << p.id << "\"} " << p.term << '\n';
  family(out, "kahuna_raft_commit_index", "gauge", "Highest log index known committed.");
  for (const auto& p : status.partitions) {
    out << "kahuna_raft_commit_index{partition=\"" << p.id << "\"} " << p.commit_index << '\n';
  }
  family(out, "kahuna_raft_applied_index", "gauge", "Highest log index applied to the state machine.");
  for (const auto& p : status.partitions) {
    out << "kahuna_raft_applied_index{partition=\"" << p.id << "\"} " << p.applied_index << '\n';
  }
  family(out, "kahuna_raft_is_leader", "gauge", "1 when this node leads the partition.");
  for (const auto& p : status.partitions) {
    out << "kahuna_raft_is_leader{partition=\"" << p.id << "\"} " << (p.leader == status.node_id ? 1 : 0)
        << '\n';
  }
  family(out, "kahuna_raft_leader_changes_total", "counter",
         "Leadership changes seen by this node (term changes with a known leader), summed over partitions.");
  out << "kahuna_raft_leader_changes_total " << leader_changes_.load() << '\n';
  family(out, "kahuna_peer_connected", "gauge", "1 when this node has a live connection to the peer.");
  for (const auto& n : status.nodes) {
    if (n.id != status.node_id)
      out << "kahuna_peer_connected{peer=\"" << n.id << "\"} " << (n.connected ? 1 : 0) << '\n';
  }

  const services::ClusterMetadata& metadata = *cluster_metadata();
  family(out, "kahuna_cluster_metadata_version", "gauge",
         "Version of the cluster metadata this node has applied (0: not bootstrapped yet).");
  out << "kahuna_cluster_metadata_version " << metadata.version << '\n';
  family(out, "kahuna_cluster_members", "gauge", "Members of the cluster by state, as this node knows them.");
  for (const services::MemberState state :
       {services::MemberState::kJoining, services::MemberState::kVoter, services::MemberState::kLeaving}) {
    std::size_t count = 0;
    for (const services::MemberRecord& record : metadata.members) count += record.state == state ? 1 : 0;
    out << "kahuna_cluster_members{state=\"" << services::to_string(state) << "\"} " << count << '\n';
  }
  family(out, "kahuna_replica_changes_proposed_total", "counter",
         "Membership changes (add a learner, promote, remove) this node proposed as a group's leader.");
  out << "kahuna_replica_changes_proposed_total " << mover_->changes_proposed() << '\n';

  family(out, "kahuna_raft_heartbeats_sent_total", "counter",
         "Heartbeats and heartbeat responses sent to peers.");
  out << "kahuna_raft_heartbeats_sent_total " << host_.heartbeats_sent() << '\n';
  family(out, "kahuna_raft_heartbeat_frames_sent_total", "counter",
         "Frames that carried them: one per peer for all groups whose heartbeats were due together.");
  out << "kahuna_raft_heartbeat_frames_sent_total " << host_.heartbeat_frames_sent() << '\n';
  family(out, "kahuna_raft_quiesced_groups", "gauge",
         "Raft groups on this node that stopped ticking and heartbeating while idle (raft.quiesce_ticks).");
  out << "kahuna_raft_quiesced_groups " << host_.quiesced_groups() << '\n';
  family(out, "kahuna_peer_liveness_changes_total", "counter",
         "Peers that fell silent or were heard again; each change wakes the quiesced groups.");
  out << "kahuna_peer_liveness_changes_total " << host_.peer_liveness_changes() << '\n';

  const LogWriter::Stats& writer = log_writer_.stats();
  family(out, "kahuna_log_writer_requests_total", "counter", "Write batches committed by the log writer.");
  out << "kahuna_log_writer_requests_total " << writer.requests.load() << '\n';
  family(out, "kahuna_log_writer_commits_total", "counter",
         "Engine writes issued (each merges queued batches).");
  out << "kahuna_log_writer_commits_total " << writer.commits.load() << '\n';
  family(out, "kahuna_log_writer_synced_commits_total", "counter", "Engine writes issued with a sync.");
  out << "kahuna_log_writer_synced_commits_total " << writer.synced_commits.load() << '\n';
  family(out, "kahuna_log_writer_largest_commit", "gauge", "Most batches merged into one commit so far.");
  out << "kahuna_log_writer_largest_commit " << writer.largest_commit.load() << '\n';
  family(out, "kahuna_log_writer_failed_requests_total", "counter", "Write batches that failed.");
  out << "kahuna_log_writer_failed_requests_total " << writer.failed_requests.load() << '\n';
  writer.synced_write_seconds.render(
      out, "kahuna_log_writer_sync_seconds",
      "Duration of each synced engine write (one fsync for a whole group commit).");
  writer.commit_requests.render(out, "kahuna_log_writer_commit_batches",
                                "Write batches merged into each engine write (group commit size).");

  if (const raftlog::SegmentedLog* log = host_.segmented_log()) {
    const raftlog::SegmentedLog::Stats& raft_log = log->stats();
    family(out, "kahuna_raft_log_writes_total", "counter",
           "Group writes made durable by the segmented Raft log.");
    out << "kahuna_raft_log_writes_total " << raft_log.writes.load() << '\n';
    family(out, "kahuna_raft_log_commits_total", "counter",
           "Raft log commits: one write and one fdatasync each.");
    out << "kahuna_raft_log_commits_total " << raft_log.commits.load() << '\n';
    family(out, "kahuna_raft_log_bytes_total", "counter", "Bytes written to Raft log segments.");
    out << "kahuna_raft_log_bytes_total " << raft_log.bytes.load() << '\n';
    family(out, "kahuna_raft_log_rewritten_groups_total", "counter",
           "Idle groups rewritten into a new segment so that an old one could go.");
    out << "kahuna_raft_log_rewritten_groups_total " << raft_log.rewritten_groups.load() << '\n';
    family(out, "kahuna_raft_log_segments_removed_total", "counter", "Raft log segments deleted.");
    out << "kahuna_raft_log_segments_removed_total " << raft_log.segments_removed.load() << '\n';
    family(out, "kahuna_raft_log_segments", "gauge", "Raft log segment files present.");
    out << "kahuna_raft_log_segments " << log->segments().size() << '\n';
    raft_log.sync_seconds.render(out, "kahuna_raft_log_sync_seconds", "Duration of each Raft log fdatasync.");
    raft_log.commit_writes.render(out, "kahuna_raft_log_commit_writes",
                                  "Group writes merged into each Raft log commit (group commit size).");
  }

  family(out, "kahuna_requests_served_locally_total", "counter", "Requests served by this node as leader.");
  out << "kahuna_requests_served_locally_total " << counters_.served_locally.load() << '\n';
  family(out, "kahuna_requests_forwarded_total", "counter", "Requests forwarded to another node's leader.");
  out << "kahuna_requests_forwarded_total " << counters_.forwarded.load() << '\n';
  family(out, "kahuna_requests_must_retry_total", "counter", "Requests answered must-retry.");
  out << "kahuna_requests_must_retry_total " << counters_.must_retry.load() << '\n';
  family(out, "kahuna_requests_outcome_unknown_total", "counter",
         "Writes answered outcome-unknown: they may have been applied (a retry with the same request id is "
         "safe).");
  out << "kahuna_requests_outcome_unknown_total " << counters_.outcome_unknown.load() << '\n';
  return out.str();
}

}  // namespace kahuna
