// Core: construction, role transitions, message dispatch and the Ready cycle.
#include "kahuna/raft/core.h"

#include <cstdio>
#include <cstdlib>
#include <limits>

namespace kahuna::raft {
namespace {

const Config& checked(const Config& config) {
  std::string problem = validate(config);
  if (!problem.empty()) {
    std::fprintf(stderr, "invalid raft config: %s\n", problem.c_str());
    std::abort();
  }
  return config;
}

std::uint64_t mix_seed(std::uint64_t seed, NodeId id) {
  DeterministicRandom mixer(seed ^ (id * 0x9e3779b97f4a7c15ULL));
  return mixer.next();
}

}  // namespace

Core::Core(const Config& config)
    : config_(checked(config)),
      storage_(*config.storage),
      log_(storage_),
      random_(mix_seed(config.random_seed, config.id)),
      id_(config.id) {
  const HardState persisted = storage_.hard_state();
  load_membership_from_storage();
  if (persisted.commit > log_.last_index()) {
    std::fprintf(stderr, "raft: persisted commit %llu beyond last index %llu\n",
                 static_cast<unsigned long long>(persisted.commit),
                 static_cast<unsigned long long>(log_.last_index()));
    std::abort();
  }
  log_.commit_to(persisted.commit);
  Index applied = std::min(config_.applied, log_.committed());
  log_.applied_to(applied);
  // With leases, a restarted node must not vote for an election timeout: it may have
  // acknowledged a heartbeat just before crashing, and the leader counts on that
  // acknowledgement to keep others from electing a new leader during its lease.
  ticks_since_leader_contact_ = config_.lease_reads ? 0 : config_.election_ticks;
  become_follower(persisted.term, kNoNode);
  vote_ = persisted.vote;
  prev_hard_state_ = hard_state();
  prev_soft_state_ = soft_state();
}

// --- role transitions ---

void Core::reset(Term term) {
  if (term_ != term) {
    term_ = term;
    vote_ = kNoNode;
    lease_disabled_this_term_ = false;
  }
  lead_ = kNoNode;
  election_elapsed_ = 0;
  heartbeat_elapsed_ = 0;
  randomized_election_timeout_ =
      config_.election_ticks + static_cast<int>(random_.below(config_.election_ticks));
  transfer_target_ = kNoNode;
  votes_.clear();
  progress_.clear();
  heartbeat_round_ = 0;
  read_round_needed_ = 0;
  confirmed_round_ = 0;
  round_send_ticks_.clear();
  lease_expiry_tick_ = 0;
  pending_reads_.clear();
  reads_waiting_for_commit_.clear();
  idle_ticks_ = 0;
  quiesced_ = false;
  first_idle_round_ = 1;
  suspected_leader_ = kNoNode;
}

void Core::become_follower(Term term, NodeId leader) {
  reset(term);
  role_ = Role::kFollower;
  lead_ = leader;
}

void Core::become_pre_candidate() {
  // A pre-candidate keeps its term and vote: a pre-vote changes nothing durable.
  role_ = Role::kPreCandidate;
  lead_ = kNoNode;
  votes_.clear();
  election_elapsed_ = 0;
  randomized_election_timeout_ =
      config_.election_ticks + static_cast<int>(random_.below(config_.election_ticks));
}

void Core::become_candidate() {
  reset(term_ + 1);
  vote_ = id_;
  role_ = Role::kCandidate;
}

void Core::become_leader() {
  reset(term_);
  role_ = Role::kLeader;
  lead_ = id_;
  ticks_since_leader_contact_ = 0;
  for (NodeId member : conf_.voters) progress_.emplace(member, config_.max_inflight_appends);
  for (NodeId member : conf_.learners) {
    progress_.emplace(member, config_.max_inflight_appends).first->second.is_learner = true;
  }
  if (progress_.find(id_) == progress_.end()) {
    // A leader that is not (or no longer) a member still tracks its own log.
    progress_.emplace(id_, config_.max_inflight_appends);
  }
  const Index last = log_.last_index();
  for (auto& [member, pr] : progress_) {
    pr.next = last + 1;
    pr.match = 0;
    if (member == id_) {
      // Only what is on our disk counts toward a quorum (see append_as_leader).
      pr.match = std::min(last, log_.durable_last_index());
      pr.become_replicate();
      pr.recent_active = true;
    }
    // Everyone counts as heard from at the start of a term (can_quiesce).
    pr.last_heard_tick = ticks_;
  }
  // An empty entry of the new term: entries of earlier terms are committed only through
  // an entry of the current term (figure 8 of the paper), and reads and membership
  // changes wait until this one commits.
  append_as_leader({Entry{}});
}

bool Core::promotable() const { return conf_.is_voter(id_) && !retired_; }

void Core::retire() {
  if (role_ == Role::kLeader) return;
  retired_ = true;
  if (role_ != Role::kFollower) become_follower(term_, kNoNode);
}

void Core::send(Message message) {
  message.from = id_;
  msgs_.push_back(std::move(message));
}

// --- dispatch ---

bool Core::is_well_formed(const Message& m) const {
  if (m.to != id_ || m.from == kNoNode || m.from == id_) return false;
  if (m.type == MessageType::kSnapshot && !m.snapshot) return false;
  if (m.entries.empty()) return true;
  if (m.type != MessageType::kAppend) return false;
  if (m.index > std::numeric_limits<Index>::max() - m.entries.size()) return false;
  Term previous = m.log_term;
  for (std::size_t i = 0; i < m.entries.size(); ++i) {
    const Entry& e = m.entries[i];
    if (e.index != m.index + 1 + i || e.term < previous || e.term > m.term) return false;
    if (e.type == EntryType::kConfChange && !decode_conf_change_entry(e.data)) return false;
    previous = e.term;
  }
  return true;
}

void Core::step(const Message& m) {
  if (!is_well_formed(m)) return;
  // Any member's message wakes a quiesced leader, except the answers to the heartbeat
  // that quiesced it (core_quiesce.cc).
  if (quiesced_ && role_ == Role::kLeader) {
    auto member = progress_.find(m.from);
    const bool quiescing_answer = m.type == MessageType::kHeartbeatResponse && m.term == term_ &&
                                  m.index == quiesce_round_ && member != progress_.end() &&
                                  member->second.match == log_.last_index();
    if (member != progress_.end() && !quiescing_answer) wake();
  }

  // A campaign wakes a quiesced follower: a pre-vote only from a voter (a removed
  // replica that never learnt of its removal keeps asking, and would otherwise wake its
  // old group every election timeout), a vote from anyone (a campaign at a higher term
  // holds every other voter's timer back — a removed node without pre-vote, say — and
  // we may have to take over).
  const bool vote_request = m.type == MessageType::kVote || m.type == MessageType::kPreVote;
  if (m.term > term_ && (m.type == MessageType::kVote || (vote_request && conf_.is_voter(m.from)))) {
    wake_for_vote(m);
  }

  // Term rules (figure 2, "all servers"): a higher term makes us a follower of that term;
  // messages from lower terms are stale. Pre-votes are the exception: they carry a term
  // the sender has not adopted, so they change nothing here.
  if (m.term > term_) {
    if (vote_request && ignore_vote_in_lease(m)) return;
    if (m.type == MessageType::kPreVote) {
      // answer below without adopting the term
    } else if (m.type == MessageType::kPreVoteResponse && !m.reject) {
      // granted pre-votes carry the term we would campaign at; we adopt it on winning
    } else if (m.type == MessageType::kAppend || m.type == MessageType::kHeartbeat ||
               m.type == MessageType::kSnapshot) {
      become_follower(m.term, m.from);
    } else {
      become_follower(m.term, kNoNode);
    }
  } else if (m.term < term_) {
    if ((config_.check_quorum || config_.pre_vote) &&
        (m.type == MessageType::kAppend || m.type == MessageType::kHeartbeat)) {
      // A leader cut off from the rest may never see our higher term otherwise (we
      // refuse its candidates' votes in lease, pre-votes do not raise terms). Tell it.
      Message r;
      r.type = MessageType::kAppendResponse;
      r.to = m.from;
      r.term = term_;
      send(std::move(r));
    } else if (m.type == MessageType::kPreVote) {
      Message r;
      r.type = MessageType::kPreVoteResponse;
      r.to = m.from;
      r.term = term_;
      r.reject = true;
      send(std::move(r));
    }
    return;
  }

  if (m.type == MessageType::kVote || m.type == MessageType::kPreVote) {
    handle_vote_request(m);
    return;
  }
  switch (role_) {
    case Role::kLeader: step_leader(m); break;
    case Role::kCandidate:
    case Role::kPreCandidate: step_candidate(m); break;
    case Role::kFollower: step_follower(m); break;
  }
}

void Core::step_follower(const Message& m) {
  switch (m.type) {
    case MessageType::kAppend:
    case MessageType::kHeartbeat:
    case MessageType::kSnapshot:
      lead_ = m.from;
      election_elapsed_ = 0;
      ticks_since_leader_contact_ = 0;
      quiesced_ = false;
      retired_ = false;
      if (m.type != MessageType::kHeartbeat || m.context != kQuiesceContext) suspected_leader_ = kNoNode;
      if (m.type == MessageType::kAppend) handle_append(m);
      if (m.type == MessageType::kHeartbeat) {
        handle_heartbeat(m);
        maybe_follow_into_quiescence(m);
      }
      if (m.type == MessageType::kSnapshot) handle_snapshot(m);
      break;
    case MessageType::kTimeoutNow: handle_timeout_now(m); break;
    case MessageType::kReadIndexResponse: read_states_.push_back(ReadState{m.context, m.index}); break;
    default: break;
  }
}

void Core::step_candidate(const Message& m) {
  switch (m.type) {
    case MessageType::kAppend:
    case MessageType::kHeartbeat:
    case MessageType::kSnapshot:
      // Someone won this term.
      become_follower(term_, m.from);
      step_follower(m);
      break;
    case MessageType::kVoteResponse:
    case MessageType::kPreVoteResponse: handle_vote_response(m); break;
    default: break;
  }
}

void Core::step_leader(const Message& m) {
  if (auto it = progress_.find(m.from); it != progress_.end()) {
    it->second.recent_active = true;
    it->second.last_heard_tick = ticks_;
  }
  switch (m.type) {
    case MessageType::kAppendResponse: handle_append_response(m); break;
    case MessageType::kHeartbeatResponse: handle_heartbeat_response(m); break;
    case MessageType::kReadIndex: handle_read_request(m.from, m.context); break;
    default: break;
  }
}

void Core::tick() {
  if (quiesced_) return;
  ++ticks_;
  if (ticks_since_leader_contact_ < std::numeric_limits<int>::max()) {
    ++ticks_since_leader_contact_;
  }
  if (role_ == Role::kLeader) {
    ticks_since_leader_contact_ = 0;
    tick_leader();
  } else {
    tick_election();
  }
}

void Core::campaign() {
  if (role_ == Role::kLeader || !promotable()) return;
  wake();
  start_campaign(config_.pre_vote ? CampaignKind::kPreVote : CampaignKind::kElection);
}

// --- Ready cycle ---

bool Core::has_ready() const {
  const bool async = config_.async_storage_writes;
  const bool to_persist = async ? log_.has_snapshot_to_persist() || log_.has_entries_to_persist()
                                : log_.unstable_snapshot() || !log_.unstable_entries().empty();
  return read_round_due() || soft_state() != prev_soft_state_ || hard_state() != prev_hard_state_ ||
         to_persist || !msgs_.empty() || !read_states_.empty() || log_.has_next_committed_entries(!async);
}

Ready Core::ready() {
  const bool async = config_.async_storage_writes;
  if (ready_outstanding_) {
    std::fprintf(stderr, "raft: ready() called before advance() of the previous Ready\n");
    std::abort();
  }
  if (read_round_due()) broadcast_heartbeat();
  Ready rd;
  if (SoftState ss = soft_state(); ss != prev_soft_state_) {
    rd.soft_state = ss;
    prev_soft_state_ = ss;
  }
  if (HardState hs = hard_state(); hs != prev_hard_state_) {
    rd.hard_state = hs;
    // With asynchronous writes each hard state is handed out once; Readies are
    // persisted in order, so the last one handed out is the one that ends up stored.
    if (async) prev_hard_state_ = hs;
  }
  if (async) {
    if (log_.has_snapshot_to_persist()) rd.snapshot = log_.unstable_snapshot();
    rd.entries = log_.entries_to_persist();
    log_.accept_in_progress();
    // Only entries already on this node's disk (ready.h).
    rd.committed_entries = log_.next_committed_entries(/*allow_unstable=*/false);
    if (!rd.committed_entries.empty()) log_.applying_to(rd.committed_entries.back().index);
    if (rd.snapshot) log_.applying_to(rd.snapshot->metadata.index);
  } else {
    rd.snapshot = log_.unstable_snapshot();
    rd.entries = log_.unstable_entries();
    rd.committed_entries = log_.next_committed_entries();
    ready_outstanding_ = true;
  }
  rd.messages = std::move(msgs_);
  msgs_.clear();
  rd.read_states = std::move(read_states_);
  read_states_.clear();
  return rd;
}

void Core::persisted(const Ready& rd) {
  if (rd.snapshot) log_.stable_snapshot_to(rd.snapshot->metadata.index);
  if (!rd.entries.empty()) log_.stable_to(rd.entries.back().index, rd.entries.back().term);
  if (role_ == Role::kLeader) on_own_entries_persisted();
}

void Core::applied(Index index) { log_.applied_to(std::min(index, log_.committed())); }

void Core::advance(const Ready& rd) {
  ready_outstanding_ = false;
  if (rd.hard_state) prev_hard_state_ = *rd.hard_state;
  if (rd.snapshot) log_.stable_snapshot_to(rd.snapshot->metadata.index);
  if (!rd.entries.empty()) log_.stable_to(rd.entries.back().index, rd.entries.back().term);
  if (role_ == Role::kLeader) on_own_entries_persisted();
  Index applied = log_.applied();
  if (rd.snapshot) applied = std::max(applied, rd.snapshot->metadata.index);
  if (!rd.committed_entries.empty()) {
    applied = std::max(applied, rd.committed_entries.back().index);
  }
  log_.applied_to(applied);
}

std::optional<Progress> Core::progress(NodeId member) const {
  if (role_ != Role::kLeader) return std::nullopt;
  auto it = progress_.find(member);
  if (it == progress_.end()) return std::nullopt;
  return it->second;
}

}  // namespace kahuna::raft
