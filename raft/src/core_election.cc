// Core: leader election with pre-vote and check-quorum (paper 5.2, thesis 9.6 and 6.2).
#include <cstdio>

#include "kahuna/raft/core.h"
#include "quorum.h"

namespace kahuna::raft {

void Core::tick_election() {
  // Saturates: a node that is not a voter never resets it by campaigning.
  if (election_elapsed_ < randomized_election_timeout_) ++election_elapsed_;
  if (promotable() && election_elapsed_ >= randomized_election_timeout_) {
    election_elapsed_ = 0;
    start_campaign(config_.pre_vote ? CampaignKind::kPreVote : CampaignKind::kElection);
  }
}

void Core::start_campaign(CampaignKind kind) {
  MessageType type;
  Term vote_term;
  if (kind == CampaignKind::kPreVote) {
    // Ask first whether we could win, without touching our term: a node that was cut
    // off cannot then force the group into a new term when it returns.
    become_pre_candidate();
    type = MessageType::kPreVote;
    vote_term = term_ + 1;
  } else {
    // The new term and our self-vote are persisted (hard state) before the vote
    // requests leave: both go out in the same Ready (ready.h, step 2).
    become_candidate();
    type = MessageType::kVote;
    vote_term = term_;
  }
  votes_[id_] = true;
  resolve_election();  // a single-voter group wins at once
  if (role_ != Role::kPreCandidate && role_ != Role::kCandidate) return;
  for (NodeId voter : conf_.voters) {
    if (voter == id_) continue;
    Message m;
    m.type = type;
    m.to = voter;
    m.term = vote_term;
    m.index = log_.last_index();
    m.log_term = log_.last_term();
    if (kind == CampaignKind::kTransfer) m.context = kTransferContext;
    send(std::move(m));
  }
}

bool Core::ignore_vote_in_lease(const Message& m) const {
  if (!config_.check_quorum) return false;
  // The leader asked for this election (leadership transfer); it gave up its lease.
  if (m.type == MessageType::kVote && m.context == kTransferContext) return false;
  // We heard from a live leader within the minimum election timeout: refusing keeps a
  // node that merely lost contact from deposing it, and is what makes leader leases
  // safe (a lease never outlasts the refusal window of the quorum that granted it).
  return ticks_since_leader_contact_ < config_.election_ticks;
}

void Core::handle_vote_request(const Message& m) {
  const bool pre = m.type == MessageType::kPreVote;
  // Figure 2, RequestVote rule 2: vote at most once per term (repeating the same vote is
  // fine); a pre-vote for a higher term promises nothing and may always be granted.
  const bool can_vote = vote_ == m.from || (vote_ == kNoNode && lead_ == kNoNode) || (pre && m.term > term_);
  Message r;
  r.type = pre ? MessageType::kPreVoteResponse : MessageType::kVoteResponse;
  r.to = m.from;
  // ... and only for a candidate whose log is at least as up to date as ours (5.4.1).
  if (can_vote && log_.is_up_to_date(m.index, m.log_term)) {
    r.term = m.term;
    if (!pre) {
      // Persisted with the hard state before this response is sent (ready.h, step 2).
      vote_ = m.from;
      election_elapsed_ = 0;
    }
  } else {
    r.term = term_;
    r.reject = true;
  }
  send(std::move(r));
}

void Core::handle_vote_response(const Message& m) {
  const MessageType expected =
      role_ == Role::kPreCandidate ? MessageType::kPreVoteResponse : MessageType::kVoteResponse;
  if (m.type != expected || !conf_.is_voter(m.from)) return;
  votes_.emplace(m.from, !m.reject);  // the first answer of each voter counts
  resolve_election();
}

void Core::resolve_election() {
  std::size_t granted = 0;
  std::size_t rejected = 0;
  for (NodeId voter : conf_.voters) {
    auto it = votes_.find(voter);
    if (it == votes_.end()) continue;
    (it->second ? granted : rejected) += 1;
  }
  const std::size_t quorum = detail::majority_size(conf_.voters.size());
  if (granted >= quorum) {
    if (role_ == Role::kPreCandidate) {
      start_campaign(CampaignKind::kElection);
    } else {
      become_leader();
    }
  } else if (conf_.voters.size() - rejected < quorum) {
    become_follower(term_, kNoNode);
  }
}

}  // namespace kahuna::raft
