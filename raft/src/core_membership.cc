// Core: membership changes, one node at a time, with learners.
//
// Choice: a configuration takes effect when its entry is appended to a node's log, not
// when it commits (thesis 4.1); each node uses the newest configuration in its log and
// falls back to the previous one if that entry is overwritten (MembershipLog).
//
// Safety argument: a change adds or removes a single voter (or only touches learners,
// which never count), so every majority of the old voter set intersects every majority
// of the new one; two leaders can therefore not be elected for one term, nor can
// commitments made under either configuration be missed by the other. This only holds
// while at most two configurations are in play, which the leader enforces:
//   1. no new change while the previous one is uncommitted, and
//   2. no change before the leader has committed an entry of its own term. Without
//      rule 2 a new leader could append a change on top of a log missing another
//      leader's uncommitted change, and the two changes could have disjoint majorities
//      (the single-server change bug, Ongaro, raft-dev 2015).
// A leader that removes itself keeps leading, without counting itself, until the change
// commits, then hands over and steps down.
#include <cstdio>
#include <cstdlib>

#include "kahuna/raft/core.h"

namespace kahuna::raft {

ProposeResult Core::propose_conf_change(const ConfChange& change) {
  ProposeResult result;
  if (role_ != Role::kLeader) {
    result.status = Status::NotLeader(lead_);
    return result;
  }
  if (transfer_target_ != kNoNode) {
    result.status = Status::Error(StatusCode::kTransferInProgress, "leadership transfer");
    return result;
  }
  if (membership_.latest_index() > log_.committed()) {  // rule 1
    result.status = Status::Error(StatusCode::kBusy, "previous membership change pending");
    return result;
  }
  if (!committed_in_current_term()) {  // rule 2
    result.status = Status::Error(StatusCode::kBusy, "leader has not committed in its term");
    return result;
  }
  std::optional<ConfState> next = apply_conf_change(conf_, change);
  if (!next) {
    result.status = Status::Error(StatusCode::kInvalidArgument, "change does not apply");
    return result;
  }
  Entry entry;
  entry.type = EntryType::kConfChange;
  entry.data = encode_conf_change_entry(ConfChangeEntry{change, *next});
  std::vector<Entry> entries;
  entries.push_back(std::move(entry));
  return append_as_leader(std::move(entries));
}

void Core::load_membership_from_storage() {
  const SnapshotMetadata meta = storage_.snapshot_metadata();
  membership_.reset(meta.index, meta.conf_state);
  const Index last = storage_.last_index();
  for (Index lo = storage_.first_index(); lo <= last;) {
    std::vector<Entry> batch = storage_.entries(lo, last + 1, 4 << 20);
    for (const Entry& e : batch) {
      if (e.type != EntryType::kConfChange) continue;
      std::optional<ConfChangeEntry> decoded = decode_conf_change_entry(e.data);
      if (!decoded) {
        std::fprintf(stderr, "raft: undecodable membership entry at index %llu\n",
                     static_cast<unsigned long long>(e.index));
        std::abort();
      }
      membership_.record(e.index, decoded->result);
    }
    lo = batch.back().index + 1;
  }
  conf_ = membership_.latest();
}

void Core::track_appended_conf_entries(const std::vector<Entry>& entries, Index first_written) {
  if (first_written == 0) return;
  // Entries from first_written on replaced whatever was there, including any change.
  membership_.truncate_from(first_written);
  for (const Entry& e : entries) {
    if (e.index < first_written || e.type != EntryType::kConfChange) continue;
    // Decodability was checked when the message was accepted (is_well_formed) or when
    // the leader encoded it.
    membership_.record(e.index, decode_conf_change_entry(e.data)->result);
  }
  if (membership_.latest() != conf_) apply_membership(membership_.latest());
}

void Core::apply_membership(const ConfState& conf) {
  conf_ = conf;
  if (role_ != Role::kLeader) return;
  const Index last = log_.last_index();
  auto track = [&](NodeId member, bool learner) {
    auto [it, added] = progress_.try_emplace(member, config_.max_inflight_appends);
    if (added) {
      it->second.next = last + 1;
      // Not heard from yet, but it had no chance to answer: do not let the next
      // check-quorum count it as silent.
      it->second.recent_active = true;
      it->second.last_heard_tick = ticks_;
    }
    it->second.is_learner = learner;
  };
  for (NodeId member : conf_.voters) track(member, false);
  for (NodeId member : conf_.learners) track(member, true);
  for (auto it = progress_.begin(); it != progress_.end();) {
    if (it->first != id_ && !conf_.contains(it->first)) {
      it = progress_.erase(it);
    } else {
      ++it;
    }
  }
  if (transfer_target_ != kNoNode && !conf_.is_voter(transfer_target_)) abort_transfer();
}

void Core::maybe_step_down_after_removal() {
  if (role_ != Role::kLeader || conf_.is_voter(id_)) return;
  if (log_.committed() < membership_.latest_index()) return;
  // The configuration without us is committed. Let a caught-up voter campaign at once
  // instead of waiting for an election timeout, then step aside.
  for (NodeId voter : conf_.voters) {
    auto it = progress_.find(voter);
    if (it != progress_.end() && it->second.match == log_.last_index()) {
      send_timeout_now(voter);
      break;
    }
  }
  become_follower(term_, kNoNode);
}

}  // namespace kahuna::raft
