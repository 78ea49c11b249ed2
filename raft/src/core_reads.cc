// Core: linearizable reads through ReadIndex (thesis 6.4) and the optional leader lease
// (thesis 6.4.1).
#include <algorithm>

#include "kahuna/raft/core.h"
#include "quorum.h"

namespace kahuna::raft {

namespace {
// Reads a leader keeps waiting at most. Beyond it, new ones are refused (kBusy) or, when
// forwarded by a follower, dropped; clients retry after their timeout either way.
constexpr std::size_t kMaxWaitingReads = 65536;
}  // namespace

Status Core::read_index(std::string context) {
  if (role_ == Role::kLeader) {
    if (pending_reads_.size() + reads_waiting_for_commit_.size() >= kMaxWaitingReads) {
      return Status::Error(StatusCode::kBusy, "too many pending reads");
    }
    handle_read_request(id_, std::move(context));
    return Status::Ok();
  }
  if (lead_ == kNoNode) return Status::NotLeader(kNoNode);
  Message m;
  m.type = MessageType::kReadIndex;
  m.to = lead_;
  m.term = term_;
  m.context = std::move(context);
  send(std::move(m));
  return Status::Ok();
}

bool Core::committed_in_current_term() const { return log_.term(log_.committed()) == term_; }

void Core::handle_read_request(NodeId from, std::string context) {
  note_activity();
  if (pending_reads_.size() + reads_waiting_for_commit_.size() >= kMaxWaitingReads) return;
  // A new leader's commit index may lag behind entries committed by its predecessor;
  // it is only known to be complete once an entry of its own term is committed.
  if (!committed_in_current_term()) {
    reads_waiting_for_commit_.push_back(ReadRequest{from, std::move(context), 0, 0});
    return;
  }
  const Index index = log_.committed();
  if (conf_.voters.size() == 1 && conf_.is_voter(id_)) {
    answer_read(from, std::move(context), index);
    return;
  }
  if (lease_valid()) {
    answer_read(from, std::move(context), index);
    return;
  }
  // Confirm we are still the leader: the read is answered once a quorum has answered
  // a heartbeat round sent after it arrived (see read_index_queue.h). Reads arriving
  // before the next ready() share that round; ready() sends it unless a periodic
  // heartbeat already did.
  read_round_needed_ = heartbeat_round_ + 1;
  pending_reads_.push(ReadRequest{from, std::move(context), index, read_round_needed_});
}

void Core::answer_read(NodeId from, std::string context, Index index) {
  if (from == id_) {
    read_states_.push_back(ReadState{std::move(context), index});
    return;
  }
  Message m;
  m.type = MessageType::kReadIndexResponse;
  m.to = from;
  m.term = term_;
  m.index = index;
  m.context = std::move(context);
  send(std::move(m));
}

void Core::release_reads_waiting_for_commit() {
  if (reads_waiting_for_commit_.empty() || !committed_in_current_term()) return;
  std::vector<ReadRequest> waiting = std::move(reads_waiting_for_commit_);
  reads_waiting_for_commit_.clear();
  for (ReadRequest& r : waiting) handle_read_request(r.from, std::move(r.context));
}

void Core::confirm_heartbeat_rounds() {
  std::vector<std::uint64_t> rounds;
  rounds.reserve(conf_.voters.size());
  for (NodeId voter : conf_.voters) {
    auto it = progress_.find(voter);
    if (voter == id_) {
      rounds.push_back(heartbeat_round_);
    } else {
      rounds.push_back(it == progress_.end() ? 0 : it->second.acked_heartbeat_round);
    }
  }
  const std::uint64_t confirmed = detail::majority_value(std::move(rounds));
  if (confirmed <= confirmed_round_) return;
  confirmed_round_ = confirmed;
  for (ReadRequest& r : pending_reads_.pop_confirmed(confirmed)) {
    answer_read(r.from, std::move(r.context), r.index);
  }
  if (!config_.lease_reads) return;
  while (!round_send_ticks_.empty() && round_send_ticks_.front().first < confirmed) {
    round_send_ticks_.pop_front();
  }
  if (!round_send_ticks_.empty() && round_send_ticks_.front().first == confirmed) {
    // A quorum received round `confirmed`, sent at tick t. Each of them refuses votes
    // for election_ticks of its own ticks after receiving it (ignore_vote_in_lease), so
    // no other leader can be elected before t + election_ticks on our clock, give or
    // take the allowed clock drift.
    const std::uint64_t expiry =
        round_send_ticks_.front().second + config_.election_ticks - config_.max_clock_drift_ticks;
    lease_expiry_tick_ = std::max(lease_expiry_tick_, expiry);
  }
}

bool Core::lease_valid() const {
  // After sending MsgTimeoutNow the target may be elected at any moment, bypassing the
  // followers' vote refusal, so the lease is void for the rest of this term.
  return role_ == Role::kLeader && config_.lease_reads && !lease_disabled_this_term_ &&
         ticks_ < lease_expiry_tick_;
}

}  // namespace kahuna::raft
