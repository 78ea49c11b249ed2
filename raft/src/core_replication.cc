// Core: log replication (paper 5.3), commitment (5.4.2), heartbeats, batching,
// pipelining with flow control, and fast backtracking of rejected appends.
#include <algorithm>

#include "kahuna/raft/core.h"
#include "quorum.h"

namespace kahuna::raft {

void Core::tick_leader() {
  ++heartbeat_elapsed_;
  ++idle_ticks_;
  ++election_elapsed_;
  if (election_elapsed_ >= config_.election_ticks) {
    election_elapsed_ = 0;
    if (config_.check_quorum) {
      // Step down if a quorum of voters was silent for a whole election timeout: a
      // leader cut off in a minority must stop serving (and stop claiming leadership).
      std::size_t active = 0;
      for (NodeId voter : conf_.voters) {
        auto it = progress_.find(voter);
        if (voter == id_ || (it != progress_.end() && it->second.recent_active)) ++active;
      }
      for (auto& [member, pr] : progress_) pr.recent_active = member == id_;
      if (active < detail::majority_size(conf_.voters.size())) {
        become_follower(term_, kNoNode);
        return;
      }
    }
    // A transfer that has not completed within an election timeout is abandoned, so the
    // leader accepts proposals again.
    if (transfer_target_ != kNoNode) abort_transfer();
  }
  tick_snapshot_retries();
  if (heartbeat_elapsed_ >= config_.heartbeat_ticks) {
    heartbeat_elapsed_ = 0;
    if (can_quiesce()) {
      quiesce();
    } else {
      broadcast_heartbeat();
    }
  }
}

ProposeResult Core::propose(std::string data) {
  std::vector<std::string> batch;
  batch.push_back(std::move(data));
  return propose(std::move(batch));
}

ProposeResult Core::propose(std::vector<std::string> data) {
  ProposeResult result;
  if (role_ != Role::kLeader) {
    result.status = Status::NotLeader(lead_);
  } else if (transfer_target_ != kNoNode) {
    result.status = Status::Error(StatusCode::kTransferInProgress, "leadership transfer");
  } else if (data.empty()) {
    result.status = Status::Error(StatusCode::kInvalidArgument, "empty proposal");
  } else {
    std::vector<Entry> entries(data.size());
    for (std::size_t i = 0; i < data.size(); ++i) entries[i].data = std::move(data[i]);
    result = append_as_leader(std::move(entries));
  }
  return result;
}

ProposeResult Core::append_as_leader(std::vector<Entry> entries) {
  note_activity();
  const Index first = log_.last_index() + 1;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    entries[i].term = term_;
    entries[i].index = first + i;
  }
  log_.append(entries);
  track_appended_conf_entries(entries, first);
  // The leader counts its own entries toward a quorum only once advance() reports them
  // persisted (on_own_entries_persisted). So a commit index never rests on entries that
  // are only in our memory, and the appends below may leave before our own disk write
  // (ready.h): the followers' writes and ours overlap instead of following each other.
  ProposeResult result;
  result.first_index = first;
  result.last_index = log_.last_index();
  result.term = term_;
  broadcast_append();
  return result;
}

void Core::on_own_entries_persisted() {
  auto self = progress_.find(id_);
  if (self == progress_.end()) return;
  if (self->second.maybe_update(log_.durable_last_index()) && maybe_commit()) on_leader_commit_advanced();
}

bool Core::maybe_send_append(NodeId to, bool send_if_empty) {
  auto it = progress_.find(to);
  if (to == id_ || it == progress_.end()) return false;
  Progress& pr = it->second;
  if (pr.is_paused()) return false;
  const Index prev = pr.next - 1;
  std::optional<Term> prev_term = log_.term(prev);
  std::optional<std::vector<Entry>> entries;
  if (prev_term) entries = log_.entries(pr.next, log_.last_index() + 1, config_.max_append_bytes);
  // The follower needs entries we no longer have: only a snapshot can catch it up.
  if (!prev_term || !entries) return send_snapshot(to, pr);
  if (entries->empty() && !send_if_empty) return false;
  Message m;
  m.type = MessageType::kAppend;
  m.to = to;
  m.term = term_;
  m.index = prev;
  m.log_term = *prev_term;
  m.commit = log_.committed();
  m.entries = std::move(*entries);
  pr.on_append_sent(m.entries.empty() ? prev : m.entries.back().index, m.entries.size());
  send(std::move(m));
  return true;
}

void Core::broadcast_append() {
  for (auto& [member, pr] : progress_) {
    if (member != id_) maybe_send_append(member, true);
  }
}

void Core::broadcast_heartbeat(const char* context) {
  ++heartbeat_round_;
  if (config_.lease_reads) {
    round_send_ticks_.emplace_back(heartbeat_round_, ticks_);
    // Bounded while a partition keeps rounds unanswered; forgetting old rounds only
    // means they cannot extend the lease.
    if (round_send_ticks_.size() > 1024) round_send_ticks_.pop_front();
  }
  for (const auto& [member, pr] : progress_) {
    if (member == id_) continue;
    Message m;
    m.type = MessageType::kHeartbeat;
    m.to = member;
    m.term = term_;
    // Never more than the follower is known to hold: it may have entries beyond its
    // match that conflict with ours, and must not treat them as committed.
    m.commit = std::min(pr.match, log_.committed());
    m.index = heartbeat_round_;
    // Only a follower holding the whole log may stop with us (core_quiesce.cc).
    if (context != nullptr && pr.match == log_.last_index()) m.context = context;
    send(std::move(m));
  }
}

void Core::handle_append(const Message& m) {
  Message r;
  r.type = MessageType::kAppendResponse;
  r.to = m.from;
  r.term = term_;
  if (m.index < log_.committed()) {
    // Everything up to our commit index matches the leader already.
    r.index = log_.committed();
    send(std::move(r));
    return;
  }
  if (auto result = log_.maybe_append(m.index, m.log_term, m.commit, m.entries)) {
    track_appended_conf_entries(m.entries, result->first_written_index);
    // This acknowledgement promises the entries are durable. It leaves in the Ready
    // that hands them out for persisting, and Ready messages are sent only after that
    // (ready.h, step 2).
    r.index = result->last_new_index;
    send(std::move(r));
    return;
  }
  // Consistency check failed (figure 2, AppendEntries rule 2). Help the leader skip a
  // whole term at a time: suggest the last index whose term is <= the term the leader
  // expected there (or our last index if our log is shorter).
  auto [hint_index, hint_term] = log_.find_conflict_by_term(std::min(m.index, log_.last_index()), m.log_term);
  r.reject = true;
  r.index = m.index;
  r.reject_hint = hint_index;
  r.log_term = hint_term;
  send(std::move(r));
}

void Core::handle_heartbeat(const Message& m) {
  log_.commit_to(std::min(m.commit, log_.last_index()));
  Message r;
  r.type = MessageType::kHeartbeatResponse;
  r.to = m.from;
  r.term = term_;
  r.index = m.index;
  send(std::move(r));
}

void Core::handle_append_response(const Message& m) {
  auto it = progress_.find(m.from);
  // An acknowledgement beyond our log cannot answer anything we sent this term.
  if (it == progress_.end() || m.index > log_.last_index()) return;
  Progress& pr = it->second;
  if (m.reject) {
    // Fast backtracking: with the follower's (index, term) hint, skip to the last index
    // of ours whose term is <= that term; every entry after it is known to differ.
    Index hint = std::min(m.reject_hint, log_.last_index());
    if (m.log_term > 0) hint = log_.find_conflict_by_term(hint, m.log_term).first;
    if (pr.maybe_decrease_to(m.index, hint)) {
      if (pr.state == ProgressState::kReplicate) pr.become_probe();
      maybe_send_append(m.from, true);
    }
    return;
  }
  const bool advanced = pr.maybe_update(m.index);
  if (!advanced && !(pr.match == m.index && pr.state == ProgressState::kProbe)) return;
  switch (pr.state) {
    case ProgressState::kProbe: pr.become_replicate(); break;
    case ProgressState::kSnapshot:
      if (pr.match >= pr.pending_snapshot || pr.match + 1 >= log_.first_index()) {
        pr.become_probe();
        pr.become_replicate();
      }
      break;
    case ProgressState::kReplicate: pr.inflights.free_up_to(m.index); break;
  }
  if (maybe_commit()) {
    on_leader_commit_advanced();
    if (role_ != Role::kLeader) return;
  }
  // Pipelining: keep sending until the follower's window is full or it has everything.
  while (maybe_send_append(m.from, false)) {
  }
  auto again = progress_.find(m.from);
  if (m.from == transfer_target_ && again != progress_.end() && again->second.match == log_.last_index()) {
    send_timeout_now(m.from);
  }
}

void Core::handle_heartbeat_response(const Message& m) {
  auto it = progress_.find(m.from);
  if (it == progress_.end()) return;
  Progress& pr = it->second;
  pr.probe_sent = false;  // the follower is reachable: probe again
  if (pr.state == ProgressState::kReplicate && pr.inflights.full()) pr.inflights.free_first();
  if (pr.match < log_.last_index()) maybe_send_append(m.from, true);
  if (m.index <= heartbeat_round_ && m.index > pr.acked_heartbeat_round) {
    pr.acked_heartbeat_round = m.index;
    confirm_heartbeat_rounds();
  }
}

bool Core::maybe_commit() {
  std::vector<std::uint64_t> matches;
  matches.reserve(conf_.voters.size());
  for (NodeId voter : conf_.voters) {
    auto it = progress_.find(voter);
    matches.push_back(it == progress_.end() ? 0 : it->second.match);
  }
  const Index quorum_index = detail::majority_value(std::move(matches));
  // Only an entry of the current term is committed by counting replicas; earlier ones
  // are committed through it (paper 5.4.2, figure 8). Counting an old-term entry could
  // "commit" something a later leader overwrites.
  if (quorum_index > log_.committed() && log_.term(quorum_index) == term_) {
    log_.commit_to(quorum_index);
    return true;
  }
  return false;
}

void Core::on_leader_commit_advanced() {
  maybe_step_down_after_removal();
  if (role_ != Role::kLeader) return;
  release_reads_waiting_for_commit();
  // Followers learn the new commit index from the next append.
  broadcast_append();
}

}  // namespace kahuna::raft
