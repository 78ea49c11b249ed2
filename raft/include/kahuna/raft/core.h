// Core: the Raft algorithm as a deterministic state machine.
//
// The Core owns no I/O, no threads, no clock and no hidden randomness. Time advances only
// through tick(); randomness (election timeouts) comes from a generator seeded by
// Config::random_seed. The application drives it:
//
//   loop:
//     feed inputs: tick() on a timer, step() for each received message, propose(),
//                  read_index(), transfer_leader(), propose_conf_change(), compact()
//     if has_ready(): rd = ready(); handle rd as described in ready.h; advance(rd)
//
// The same inputs in the same order always produce the same outputs, which is what
// makes the simulation in tests/raft/sim replayable from a seed.
//
// Not copyable: it refers to its storage and represents one member of one group.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kahuna/raft/conf_change.h"
#include "kahuna/raft/config.h"
#include "kahuna/raft/deterministic_random.h"
#include "kahuna/raft/membership_log.h"
#include "kahuna/raft/message.h"
#include "kahuna/raft/progress.h"
#include "kahuna/raft/raft_log.h"
#include "kahuna/raft/read_index_queue.h"
#include "kahuna/raft/ready.h"
#include "kahuna/raft/status.h"

namespace kahuna::raft {

class Core {
 public:
  // Starts as a follower from the durable state in config.storage (hard state, snapshot,
  // log, and the membership found there). Aborts if validate(config) fails. Reads every
  // entry above the snapshot once, to find the membership changes among them; compaction
  // keeps that cheap.
  explicit Core(const Config& config);
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  // --- inputs ---

  // Advances logical time by one tick: election timeouts on followers and candidates,
  // heartbeats, check-quorum and transfer timeouts on the leader.
  void tick();

  // Processes a message from a peer. Messages for another node, malformed ones (entries
  // not following `index`, ...) and stale ones are ignored; never fails.
  void step(const Message& message);

  // Appends `data` (one entry per element) to the log if this node is the leader.
  // Returns kNotLeader with a hint, kTransferInProgress while handing over leadership,
  // kInvalidArgument for an empty batch, or the indices and term assigned.
  ProposeResult propose(std::vector<std::string> data);
  ProposeResult propose(std::string data);

  // Proposes one membership change (see conf_change.h). Besides the errors of
  // propose(): kBusy while an earlier change is uncommitted or before the leader
  // committed an entry of its own term (both required for single-node changes to be
  // safe, see core_membership.cc), kInvalidArgument if the change does not apply to
  // the current membership.
  ProposeResult propose_conf_change(const ConfChange& change);

  // Starts a linearizable read. `context` identifies it (must be unique among pending
  // reads); the result arrives as a ReadState in a later Ready. On a follower the
  // request is forwarded to the leader. Returns kNotLeader if no leader is known, kBusy
  // if the leader already holds too many unanswered reads.
  // A pending read may be dropped silently (leader change, lost message): callers retry
  // after a timeout.
  Status read_index(std::string context);

  // Asks the leader to hand leadership to voter `target`: once the target's log is
  // caught up it is told to campaign at once (MsgTimeoutNow). Proposals are refused while
  // the transfer is pending; it is abandoned after an election timeout.
  Status transfer_leader(NodeId target);

  // Records that the application's state machine image `data` covers every entry up to
  // `index`. Requires snapshot index < index <= applied index. Returns the snapshot
  // (with term and membership filled in) for the application to store in its log
  // storage, which then discards the entries up to `index`. The core itself keeps no
  // copy; until the storage holds it, nothing changes.
  CompactResult compact(Index index, std::string data);

  // The transport reports whether the snapshot sent to `to` was delivered. Optional: a
  // follower in snapshot state is probed again after Config::snapshot_retry_ticks anyway.
  void report_snapshot(NodeId to, bool delivered);

  // Starts an election now (pre-vote first if enabled), as if the election timeout had
  // elapsed. Ignored on the leader and on nodes that are not voters. For tests and tools.
  void campaign();

  // Quiescence (Config::quiesce_ticks, core_quiesce.cc). wake() starts a quiesced
  // group ticking again, counting an election timeout from now; call it when a peer
  // may have died or come back. A no-op on a group that is not quiesced.
  void wake();
  // The application believes this follower's leader is gone: its node has been silent
  // for an election timeout. A quiesced follower wakes and campaigns at a random tick
  // within one election timeout, counting the silence as time without a leader. A
  // no-op on a follower that still ticks, which times out by itself.
  void suspect_leader();

  // The application learnt from the group's leader that a committed membership no
  // longer counts this node, though its own log does not say so (the change never
  // reached it). It stops campaigning, and ticking, until a leader contacts it again —
  // which only a leader whose membership holds it does. Always safe: it only keeps this
  // node from starting elections. Ignored on a leader (it steps down by itself).
  void retire();
  bool retired() const { return retired_; }

  // --- outputs ---

  // Whether ready() would return anything. Meaningful only when no Ready is outstanding.
  bool has_ready() const;

  // Collects what must be persisted, sent and applied; see ready.h for the contract.
  // Precondition: the previous Ready has been advanced.
  Ready ready();

  // The application finished handling `ready` (persisted, sent, applied).
  // Not with Config::async_storage_writes; see persisted() and applied().
  void advance(const Ready& ready);

  // Config::async_storage_writes only. `ready`'s snapshot, entries and hard state are
  // durable (Readies are persisted in the order they were handed out). A leader counts
  // its own entries toward a commit from here on.
  void persisted(const Ready& ready);
  // Config::async_storage_writes only. The state machine has applied every committed
  // entry (or restored the snapshot) handed out up to `index`.
  void applied(Index index);

  // --- observers ---

  NodeId id() const { return id_; }
  Term term() const { return term_; }
  NodeId vote() const { return vote_; }
  Role role() const { return role_; }
  NodeId leader() const { return lead_; }
  // May include entries not yet persisted (a single voter commits on proposal); act on
  // commitment only through the committed entries a Ready hands out.
  Index commit_index() const { return log_.committed(); }
  Index applied_index() const { return log_.applied(); }
  Index first_index() const { return log_.first_index(); }
  Index last_index() const { return log_.last_index(); }
  std::optional<Term> term_at(Index index) const { return log_.term(index); }
  const ConfState& conf_state() const { return conf_; }
  // The log index of the entry that set conf_state() (that of the snapshot
  // or bootstrap when no change entry is in the log).
  Index conf_index() const { return membership_.latest_index(); }
  NodeId transfer_target() const { return transfer_target_; }
  // Leader only: replication state of a member (including itself).
  std::optional<Progress> progress(NodeId id) const;
  // Leader only: whether a read would be served from the lease right now.
  bool lease_valid() const;
  // Whether this node stopped ticking (a quiesced leader, or a follower of one).
  bool quiesced() const { return quiesced_; }
  // Whether tick() can change anything. Not while quiesced, nor on a follower that is
  // no voter (a learner, or a node the group does not count): it never campaigns nor
  // votes, and its leader's messages reach it without ticks. A driver may leave such a
  // node unticked until its next input.
  bool wants_ticks() const { return !quiesced_ && (role_ != Role::kFollower || promotable()); }

  // Checks internal invariants; returns a description of the first violation or "".
  // Cheap enough to call after every step in tests (core_invariants.cc).
  std::string check_invariants() const;

 private:
  enum class CampaignKind { kPreVote, kElection, kTransfer };

  // core.cc: roles, dispatch, Ready
  void reset(Term term);
  void become_follower(Term term, NodeId leader);
  void become_pre_candidate();
  void become_candidate();
  void become_leader();
  void send(Message message);
  bool promotable() const;
  bool is_well_formed(const Message& m) const;
  void step_leader(const Message& m);
  void step_candidate(const Message& m);
  void step_follower(const Message& m);
  HardState hard_state() const { return {term_, vote_, log_.committed()}; }
  SoftState soft_state() const { return {lead_, role_}; }

  // core_election.cc
  void tick_election();
  void start_campaign(CampaignKind kind);
  bool ignore_vote_in_lease(const Message& m) const;
  void handle_vote_request(const Message& m);
  void handle_vote_response(const Message& m);
  void resolve_election();

  // core_replication.cc
  void tick_leader();
  ProposeResult append_as_leader(std::vector<Entry> entries);
  // advance() on a leader: its own entries now count toward a quorum.
  void on_own_entries_persisted();
  bool maybe_send_append(NodeId to, bool send_if_empty);
  void broadcast_append();
  void broadcast_heartbeat(const char* context = nullptr);
  void handle_append(const Message& m);
  void handle_heartbeat(const Message& m);
  void handle_append_response(const Message& m);
  void handle_heartbeat_response(const Message& m);
  bool maybe_commit();
  void on_leader_commit_advanced();

  // core_reads.cc
  void handle_read_request(NodeId from, std::string context);
  void answer_read(NodeId from, std::string context, Index index);
  void confirm_heartbeat_rounds();
  bool committed_in_current_term() const;
  bool read_round_due() const { return role_ == Role::kLeader && heartbeat_round_ < read_round_needed_; }
  void release_reads_waiting_for_commit();

  // core_quiesce.cc
  bool can_quiesce() const;
  void quiesce();
  void maybe_follow_into_quiescence(const Message& heartbeat);
  // A (pre-)vote request for a higher term reached a quiesced follower: someone campaigns.
  void wake_for_vote(const Message& request);
  // A proposal, read, transfer or membership change: the group is busy.
  void note_activity();

  // core_snapshot.cc
  bool send_snapshot(NodeId to, Progress& pr);
  void handle_snapshot(const Message& m);
  void tick_snapshot_retries();

  // core_membership.cc
  void load_membership_from_storage();
  void track_appended_conf_entries(const std::vector<Entry>& entries, Index first_written);
  void apply_membership(const ConfState& conf);
  void maybe_step_down_after_removal();

  // core_transfer.cc
  void send_timeout_now(NodeId to);
  void abort_transfer();
  void handle_timeout_now(const Message& m);

  Config config_;
  const LogStorage& storage_;
  RaftLog log_;
  DeterministicRandom random_;
  NodeId id_;

  Term term_ = 0;
  NodeId vote_ = kNoNode;
  NodeId lead_ = kNoNode;
  Role role_ = Role::kFollower;

  ConfState conf_;
  MembershipLog membership_;

  std::map<NodeId, Progress> progress_;  // leader: every member, including itself
  std::map<NodeId, bool> votes_;         // (pre-)candidate: voter -> granted

  int election_elapsed_ = 0;
  int heartbeat_elapsed_ = 0;
  int randomized_election_timeout_ = 0;
  // Ticks since this node last heard from (or, as leader, was) a leader. Votes are
  // refused while it is below election_ticks (check-quorum and leases rely on it).
  int ticks_since_leader_contact_ = 0;
  std::uint64_t ticks_ = 0;  // logical clock for leases

  NodeId transfer_target_ = kNoNode;
  bool lease_disabled_this_term_ = false;

  // Heartbeat rounds (leader): every heartbeat broadcast gets a new round; followers
  // echo it back. Rounds answered by a quorum confirm pending reads and extend the lease.
  std::uint64_t heartbeat_round_ = 0;
  std::uint64_t read_round_needed_ = 0;  // pending reads wait for this round to be sent
  std::uint64_t confirmed_round_ = 0;
  std::deque<std::pair<std::uint64_t, std::uint64_t>> round_send_ticks_;  // (round, tick)
  std::uint64_t lease_expiry_tick_ = 0;  // lease holds while ticks_ < lease_expiry_tick_
  ReadIndexQueue pending_reads_;
  std::vector<ReadRequest> reads_waiting_for_commit_;

  // Quiescence: ticks the leader has been idle, whether it stopped ticking, and the
  // heartbeat round whose answers must not wake it.
  int idle_ticks_ = 0;
  bool quiesced_ = false;
  std::uint64_t quiesce_round_ = 0;
  std::uint64_t first_idle_round_ = 1;  // the first heartbeat round since the last activity
  NodeId suspected_leader_ = kNoNode;   // suspect_leader() while still ticking
  bool retired_ = false;                // retire(), until a leader contacts us

  std::vector<Message> msgs_;
  std::vector<ReadState> read_states_;
  HardState prev_hard_state_;
  SoftState prev_soft_state_;
  bool ready_outstanding_ = false;
};

}  // namespace kahuna::raft
