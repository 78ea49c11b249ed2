// Core: log compaction, InstallSnapshot on both sides (paper section 7).
#include "kahuna/raft/core.h"

namespace kahuna::raft {

CompactResult Core::compact(Index index, std::string data) {
  CompactResult result;
  if (index <= membership_.base_index() || index < log_.first_index()) {
    result.status = Status::Error(StatusCode::kInvalidArgument, "already compacted");
    return result;
  }
  // Only applied entries may be compacted: they are committed (never overwritten) and
  // persisted (applied entries come from a Ready that was persisted before advance()).
  if (index > log_.applied()) {
    result.status = Status::Error(StatusCode::kInvalidArgument, "index not applied yet");
    return result;
  }
  std::optional<Term> term = log_.term(index);
  if (!term) {
    result.status = Status::Error(StatusCode::kInvalidArgument, "no term for index");
    return result;
  }
  result.snapshot.metadata.index = index;
  result.snapshot.metadata.term = *term;
  result.snapshot.metadata.conf_state = membership_.at(index);
  result.snapshot.data = std::move(data);
  membership_.compact_to(index);
  return result;
}

bool Core::send_snapshot(NodeId to, Progress& pr) {
  Snapshot snapshot = storage_.snapshot();
  if (snapshot.metadata.index == 0) return false;
  pr.become_snapshot(snapshot.metadata.index);
  Message m;
  m.type = MessageType::kSnapshot;
  m.to = to;
  m.term = term_;
  m.snapshot = std::move(snapshot);
  send(std::move(m));
  return true;
}

void Core::handle_snapshot(const Message& m) {
  const SnapshotMetadata& meta = m.snapshot->metadata;
  Message r;
  r.type = MessageType::kAppendResponse;
  r.to = m.from;
  r.term = term_;
  if (meta.index <= log_.committed()) {
    r.index = log_.committed();
    send(std::move(r));
    return;
  }
  // The snapshot's membership may not include us yet: a learner added after the leader's
  // last compaction learns of its own addition from the entries that follow it.
  if (log_.match_term(meta.index, meta.term)) {
    // We hold the snapshot's last entry, hence (log matching) all before it: only the
    // commit index is news.
    log_.commit_to(meta.index);
    r.index = log_.committed();
    send(std::move(r));
    return;
  }
  log_.restore(*m.snapshot);
  membership_.reset(meta.index, meta.conf_state);
  apply_membership(meta.conf_state);
  // Acknowledged in the Ready that hands the snapshot out for persisting; sent only
  // after it is durable (ready.h, step 2).
  r.index = log_.last_index();
  send(std::move(r));
}

void Core::tick_snapshot_retries() {
  for (auto& [member, pr] : progress_) {
    if (pr.state != ProgressState::kSnapshot) continue;
    if (++pr.snapshot_ticks >= config_.snapshot_retry_ticks) {
      // Presumed lost: probe from the last known match; the probe leads to a new
      // snapshot if the follower still needs one.
      pr.pending_snapshot = 0;
      pr.become_probe();
      pr.probe_sent = true;
    }
  }
}

void Core::report_snapshot(NodeId to, bool delivered) {
  if (role_ != Role::kLeader) return;
  auto it = progress_.find(to);
  if (it == progress_.end() || it->second.state != ProgressState::kSnapshot) return;
  Progress& pr = it->second;
  if (!delivered) pr.pending_snapshot = 0;
  // Wait for the follower's answer (or the next heartbeat response) before sending more.
  pr.become_probe();
  pr.probe_sent = true;
}

}  // namespace kahuna::raft
