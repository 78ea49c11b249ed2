// The simulation's workload: faults (crashes, restarts, partitions), client reads and
// writes of the register, administrative operations (membership changes, leadership
// transfers, compaction), and in seeds with quiescence idle stretches and the liveness
// oracle that wakes quiesced cores. Every choice comes from the seeded generator.
#include <algorithm>
#include <iterator>

#include "sim_cluster.h"

namespace kahuna::raft::sim::detail {

void Simulation::random_faults() {
  std::vector<Node*> alive, crashed;
  for (auto& [id, node] : nodes_) (node.alive() ? alive : crashed).push_back(&node);
  if (alive.size() > 1 && random_.chance(6 * chaos_)) crash(*alive[random_.below(alive.size())]);
  // A leader's riskiest moment: its appends have left but its own write of them has not
  // happened yet (ready.h). Crash leaders there far more often than chance alone would.
  for (Node* node : alive) {
    const bool writing_entries = (node->unpersisted && !node->unpersisted->entries.empty()) ||
                                 std::any_of(node->persisting.begin(), node->persisting.end(),
                                             [](const Ready& rd) { return !rd.entries.empty(); });
    if (alive.size() > 1 && node->alive() && writing_entries && node->core->role() == Role::kLeader &&
        random_.chance(40 * chaos_)) {
      crash(*node);
      break;
    }
  }
  if (!crashed.empty() && random_.chance(60)) {
    Node& node = *crashed[random_.below(crashed.size())];
    event(text("restart node ", node.id));
    start(node);
  }
  if (random_.chance(8 * chaos_)) {
    // Split the nodes in two random sides; sometimes only one direction is cut.
    network_.heal();
    std::vector<NodeId> side_a, side_b;
    for (auto& [id, node] : nodes_) (random_.chance(500) ? side_a : side_b).push_back(id);
    const bool one_way = random_.chance(200);
    std::string description = "partition";
    for (NodeId a : side_a) {
      description += text(" ", a);
      for (NodeId b : side_b) {
        network_.block(a, b);
        if (!one_way) network_.block(b, a);
      }
    }
    event(description + (one_way ? " -/-> rest" : " | rest"));
  }
  if (random_.chance(30)) {
    network_.heal();
    event("heal network");
  }
}

bool Simulation::write(Node& node, const std::string& value) {
  ProposeResult r = node.core->propose(value);
  if (!r.status.ok()) {
    check_role(node);  // a refused input is still an input
    return false;
  }
  write_op_by_value_[value] = history_.invoke(true, value, ++events_);
  pending_writes_.emplace_back(write_op_by_value_[value], now_ + 6 * kElectionTicks);
  process_ready(node);
  return true;
}

void Simulation::random_client_operations() {
  if (history_.size() >= kMaxOperations || clients_paused()) return;
  std::erase_if(pending_writes_,
                [this](const auto& w) { return history_.op(w.first).ret != 0 || w.second <= now_; });
  if (pending_writes_.size() < kMaxPendingWrites && random_.chance(150)) {
    Node* target = random_.chance(800) ? any_leader() : nullptr;
    if (target == nullptr) target = random_alive();
    if (target != nullptr) write(*target, text("v", ++next_value_));
  }
  std::size_t pending = 0;
  for (auto& [id, node] : nodes_) pending += node.reads.size();
  if (pending < kMaxPendingReads && random_.chance(120)) {
    Node* target = random_.chance(700) ? any_leader() : nullptr;
    if (target == nullptr) target = random_alive();
    if (target == nullptr) return;
    std::string context = text("r", ++next_read_);
    const std::uint64_t call = ++events_;
    const bool accepted = target->core->read_index(context).ok();
    check_role(*target);  // a refused input is still an input
    if (accepted) {
      PendingRead read;
      read.op = history_.invoke(false, "", call);
      read.deadline = now_ + 6 * kElectionTicks;
      target->reads.emplace(context, read);
      process_ready(*target);
    }
  }
}

void Simulation::random_admin_operations() {
  Node* lead = leader();
  if (lead == nullptr) return;
  // An idle stretch pauses membership changes and transfers too (they wake a quiesced
  // leader); compaction goes on, it is no activity.
  const bool paused = clients_paused();
  if (!paused && random_.chance(12)) {
    const ConfState conf = lead->core->conf_state();
    ConfChange change;
    switch (random_.below(3)) {
      case 0:
        if (next_new_id_ > static_cast<NodeId>(options_.nodes + kExtraNodes)) return;
        change = ConfChange{ConfChangeType::kAddLearner, next_new_id_};
        break;
      case 1:
        if (conf.learners.empty()) return;
        change =
            ConfChange{ConfChangeType::kPromoteLearner, conf.learners[random_.below(conf.learners.size())]};
        break;
      default: {
        std::vector<NodeId> removable = conf.learners;
        if (conf.voters.size() > 3) {
          removable.insert(removable.end(), conf.voters.begin(), conf.voters.end());
        }
        if (removable.empty()) return;
        change = ConfChange{ConfChangeType::kRemoveNode, removable[random_.below(removable.size())]};
      }
    }
    ProposeResult r = lead->core->propose_conf_change(change);
    event(text("propose membership change ", static_cast<int>(change.type), " node ", change.node, " at ",
               lead->id, ": ", to_string(r.status.code)));
    if (r.status.ok() && change.type == ConfChangeType::kAddLearner) {
      Node& fresh = nodes_[change.node];
      fresh.id = change.node;
      fresh.disk = std::make_unique<MemoryLogStorage>();
      ++next_new_id_;
      start(fresh);
    }
    process_ready(*lead);
    return;
  }
  if (!paused && random_.chance(6)) {
    const std::vector<NodeId>& voters = lead->core->conf_state().voters;
    NodeId target = voters[random_.below(voters.size())];
    Status s = lead->core->transfer_leader(target);
    event(text("transfer leadership ", lead->id, " -> ", target, ": ", to_string(s.code)));
    process_ready(*lead);
  }
  if (random_.chance(25)) {
    Node* node = random_alive();
    if (node != nullptr && node->applied >= node->disk->snapshot_metadata().index + 4) {
      CompactResult r = node->core->compact(node->applied, node->value);
      check_role(*node);  // no Ready to process, but an input all the same
      if (r.status.ok()) {
        node->disk->compact(r.snapshot);
        event(text("node ", node->id, " compacted to ", node->applied));
      }
    }
  }
}

// Quiescence seeds: a group quiesces only after quiesce_ticks without a proposal, read,
// transfer or membership change, which the steady workload seldom allows. Now and then
// the clients (and the administrator) pause for 20 to 60 ticks; faults go on.
void Simulation::pause_clients() {
  if (quiesce_ticks_ == 0 || clients_paused() || !random_.chance(10)) return;
  clients_paused_until_ = now_ + random_.between(20, 60);
  event(text("clients pause until tick ", clients_paused_until_));
}

// Quiescence seeds: what the server does for its quiesced groups (ReplicationHost,
// PeerLiveness). It pings every peer each heartbeat interval and, when a peer's liveness
// changes (which it notices after an election timeout of silence), wakes every quiesced
// group: suspect_leader() on the groups that peer leads when it fell silent, wake() on
// the others; without that the followers of a dead quiesced leader would never campaign.
// Here every running node B "hears" another node A while A runs and the link A -> B is
// not cut; when that changes, B is woken an election timeout later, or at once (a
// quarter of the time: a faster detector, which the core's contract allows), to cover
// both. Whether A leads B's group is looked at when the wake is due, as the server does.
// A node seldom also gets a wake() or a suspect_leader() for no reason: a false
// suspicion must be harmless any time. Wakes are due before this tick's deliveries and
// ticks; a crash drops its node's.
void Simulation::liveness_oracle() {
  if (quiesce_ticks_ == 0) return;
  for (auto& [listener_id, listener] : nodes_) {
    if (!listener.alive()) {
      // Restarted, it starts awake and learns its peers' state afresh.
      const NodeId gone = listener_id;
      std::erase_if(hears_, [gone](const auto& entry) { return entry.first.first == gone; });
      continue;
    }
    for (auto& [peer_id, peer] : nodes_) {
      if (peer_id == listener_id) continue;
      const bool hears = peer.alive() && !network_.is_blocked(peer_id, listener_id);
      auto [it, fresh] = hears_.try_emplace({listener_id, peer_id}, hears);
      if (fresh || it->second == hears) continue;
      it->second = hears;
      const std::uint64_t delay = random_.chance(250) ? 0 : kElectionTicks;
      pending_wakes_.push_back(PendingWake{now_ + delay, listener_id, hears ? kNoNode : peer_id,
                                           text("peer ", peer_id, hears ? " is back" : " is gone")});
    }
  }
  if (random_.chance(5)) {
    if (Node* node = random_alive()) {
      const bool suspect = random_.chance(500);
      pending_wakes_.push_back(PendingWake{now_, node->id, suspect ? node->core->leader() : kNoNode,
                                           suspect ? "false suspicion" : "spurious"});
    }
  }
  std::vector<PendingWake> due;
  auto split = std::stable_partition(pending_wakes_.begin(), pending_wakes_.end(),
                                     [this](const PendingWake& w) { return w.due > now_; });
  due.assign(std::make_move_iterator(split), std::make_move_iterator(pending_wakes_.end()));
  pending_wakes_.erase(split, pending_wakes_.end());
  for (const PendingWake& w : due) {
    if (!failure_.empty()) return;
    auto it = nodes_.find(w.node);
    if (it != nodes_.end() && it->second.alive()) wake(it->second, w.silent_peer, w.why);
  }
}

void Simulation::wake(Node& node, NodeId suspected_leader, const std::string& why) {
  const bool was_quiesced = node.core->quiesced();
  const bool suspect = suspected_leader != kNoNode && node.core->leader() == suspected_leader;
  if (was_quiesced || options_.verbose > 1) {
    event(text(suspect ? "suspect leader at node " : "wake node ", node.id, " (", why, ")",
               was_quiesced ? "" : ": not quiesced"));
  }
  if (suspect) {
    node.core->suspect_leader();
  } else {
    node.core->wake();
  }
  process_ready(node);
}

void Simulation::expire_reads() {
  for (auto& [id, node] : nodes_) {
    for (auto it = node.reads.begin(); it != node.reads.end();) {
      it = it->second.deadline <= now_ ? node.reads.erase(it) : std::next(it);
    }
  }
}

}  // namespace kahuna::raft::sim::detail
