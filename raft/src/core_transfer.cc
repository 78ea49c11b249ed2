// Core: leadership transfer (thesis 3.10).
#include "kahuna/raft/core.h"

namespace kahuna::raft {

Status Core::transfer_leader(NodeId target) {
  if (role_ != Role::kLeader) return Status::NotLeader(lead_);
  if (target == id_) return Status::Error(StatusCode::kInvalidArgument, "already the leader");
  if (!conf_.is_voter(target)) {
    return Status::Error(StatusCode::kInvalidArgument, "target is not a voter");
  }
  if (transfer_target_ == target) return Status::Ok();
  note_activity();
  transfer_target_ = target;
  // The transfer must finish within one election timeout (checked in tick_leader).
  election_elapsed_ = 0;
  if (progress_.at(target).match == log_.last_index()) {
    send_timeout_now(target);
  } else {
    maybe_send_append(target, true);
  }
  return Status::Ok();
}

void Core::send_timeout_now(NodeId to) {
  // The target's election skips the voters' lease check, so our lease ends here.
  lease_disabled_this_term_ = true;
  Message m;
  m.type = MessageType::kTimeoutNow;
  m.to = to;
  m.term = term_;
  send(std::move(m));
}

void Core::abort_transfer() { transfer_target_ = kNoNode; }

void Core::handle_timeout_now(const Message&) {
  if (!promotable()) return;
  start_campaign(CampaignKind::kTransfer);
}

}  // namespace kahuna::raft
