// The simulation's workload: faults (crashes, restarts, partitions), client reads and
// writes of the register, and administrative operations (membership changes,
// leadership transfers, compaction). Every choice comes from the seeded generator.
#include <algorithm>

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
  if (history_.size() >= kMaxOperations) return;
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
  if (random_.chance(12)) {
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
  if (random_.chance(6)) {
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

void Simulation::expire_reads() {
  for (auto& [id, node] : nodes_) {
    for (auto it = node.reads.begin(); it != node.reads.end();) {
      it = it->second.deadline <= now_ ? node.reads.erase(it) : std::next(it);
    }
  }
}

}  // namespace kahuna::raft::sim::detail
