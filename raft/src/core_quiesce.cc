// Core: quiescence — an idle group stops ticking and heartbeating (Config::quiesce_ticks).
//
// A node hosting hundreds of groups would otherwise spend its time heartbeating groups
// nobody uses. A leader quiesces when, for quiesce_ticks, it has seen no proposal, read,
// transfer or membership change, and its whole log is committed, durable and applied
// and held by every follower it has heard from within an election timeout (a follower
// silent for longer is dead or cut off: it cannot be waited for, and it will wake the
// leader when it comes back, see below). A majority of voters must have answered its
// latest heartbeat round. The leader then sends one last heartbeat marked kQuiesceContext and stops
// ticking. A follower that receives it holding exactly the leader's log stops ticking
// too: it neither times out nor votes against that leader (ignore_vote_in_lease sees a
// leader heard from a moment ago).
//
// What starts a group again:
//   leader:   any input (proposal, read, transfer, membership change) and any message
//             from a member, except the answers to its quiescing heartbeat. A follower
//             that was away did not quiesce: its election timeout expires and its
//             pre-vote wakes the leader, whose heartbeats then catch it up.
//   follower: any message from its leader other than that heartbeat, a campaign, a
//             change of term or role, a vote request for a higher term (a pre-vote
//             only from a voter; refused if its
//             leader's lease still binds it; if the leader lives, the follower's own
//             pre-vote wakes it; if it stepped down, the follower may vote at once).
//   both:     wake(), which the application calls when it suspects that a peer died or
//             came back. A core has no clock while quiesced, so without it the followers
//             of a dead leader would wait forever. A woken follower counts a whole
//             election timeout from then before it campaigns — unless the application
//             suspects its leader in particular (suspect_leader()): the silence it
//             noticed already lasted a timeout, so the follower campaigns at a random
//             tick within one.
//
// Leases: a quiesced leader's tick count stands still, so a lease computed from it would
// outlast real time. Waking voids the lease and forgets the rounds sent before, whose
// late answers could extend it; the next lease read confirms leadership with a new
// heartbeat round.
#include <algorithm>

#include "kahuna/raft/core.h"
#include "quorum.h"

namespace kahuna::raft {

void Core::note_activity() {
  idle_ticks_ = 0;
  first_idle_round_ = heartbeat_round_ + 1;
  wake();
}

bool Core::can_quiesce() const {
  if (config_.quiesce_ticks <= 0 || role_ != Role::kLeader || quiesced_) return false;
  if (idle_ticks_ < config_.quiesce_ticks || heartbeat_round_ < first_idle_round_) return false;
  if (transfer_target_ != kNoNode || pending_reads_.size() > 0 || !reads_waiting_for_commit_.empty() ||
      read_round_due()) {
    return false;
  }
  const Index last = log_.last_index();
  if (log_.committed() != last || log_.applied() != last || log_.durable_last_index() != last) return false;
  // A majority must have answered a heartbeat round sent while the group was idle: a
  // leader cut off from it must keep ticking, so that check-quorum makes it step down.
  // (Not necessarily the latest round: a round trip may take longer than a heartbeat
  // interval.)
  std::size_t answering_voters = 0;
  for (const auto& [member, pr] : progress_) {
    const bool self = member == id_;
    const bool heard =
        self || ticks_ - pr.last_heard_tick < static_cast<std::uint64_t>(config_.election_ticks);
    if (heard && pr.match != last) return false;
    if (conf_.is_voter(member) && (self || pr.acked_heartbeat_round >= first_idle_round_)) ++answering_voters;
  }
  return answering_voters >= detail::majority_size(conf_.voters.size());
}

void Core::quiesce() {
  broadcast_heartbeat(kQuiesceContext);
  quiesce_round_ = heartbeat_round_;
  quiesced_ = true;
}

void Core::maybe_follow_into_quiescence(const Message& heartbeat) {
  // Only with exactly the leader's log: a follower missing entries must keep ticking
  // (and be caught up), one with extra entries would hold them uncommitted.
  if (heartbeat.context != kQuiesceContext) return;
  // A leader suspected dead before its last heartbeat arrived must not put us to sleep:
  // the suspicion (a change of its liveness) will not come again.
  if (heartbeat.from == suspected_leader_) return;
  if (heartbeat.commit != log_.last_index() || log_.committed() != log_.last_index()) return;
  quiesced_ = true;
}

void Core::wake_for_vote(const Message& request) {
  if (!quiesced_ || role_ != Role::kFollower) return;
  wake();
  if (request.from == lead_) {
    // Our own leader campaigns: it stepped down, and holds no lease any more.
    ticks_since_leader_contact_ = config_.election_ticks;
    return;
  }
  // Another voter campaigns. If our leader lives, it must heartbeat again before we time
  // out (it sends nothing while quiesced, and that voter may grant our own pre-vote):
  // an answer to no heartbeat round wakes it. If it is dead, we time out and campaign.
  if (lead_ == kNoNode) return;
  Message poke;
  poke.type = MessageType::kHeartbeatResponse;
  poke.to = lead_;
  poke.term = term_;
  poke.index = 0;
  send(std::move(poke));
}

void Core::wake() {
  if (!quiesced_) return;
  quiesced_ = false;
  election_elapsed_ = 0;
  idle_ticks_ = 0;
  if (role_ == Role::kLeader) {
    lease_expiry_tick_ = 0;
    round_send_ticks_.clear();
    // Check-quorum counts who answers from now on.
    for (auto& [member, pr] : progress_) pr.recent_active = member == id_;
    // Heartbeat at the next tick: the followers may have been woken too.
    heartbeat_elapsed_ = config_.heartbeat_ticks;
  } else {
    ticks_since_leader_contact_ = 0;
  }
}

void Core::suspect_leader() {
  if (role_ != Role::kFollower) return;
  if (!quiesced_) {
    // A ticking follower times out by itself, unless a quiescing heartbeat from that
    // leader, still on its way, stops it: it must not.
    suspected_leader_ = lead_;
    return;
  }
  wake();
  // Lease safety: the lease a leader relies on comes from heartbeat rounds sent since it
  // last woke (wake() voids older ones), and a follower that answered any of them would
  // no longer be quiesced. So this follower's vote cannot undermine a live lease, and
  // it may stop refusing votes at once.
  ticks_since_leader_contact_ = config_.election_ticks;
  // Campaign within one election timeout, at a random tick: followers woken together
  // would otherwise split the vote.
  election_elapsed_ =
      randomized_election_timeout_ - 1 - static_cast<int>(random_.below(config_.election_ticks));
}

}  // namespace kahuna::raft
