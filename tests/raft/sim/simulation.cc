// The deterministic Raft simulation: the tick loop, Ready handling and checks (faults
// and operations are in sim_workload.cc). Soak run (about 100,000 seeds, roughly an hour
// on two cores in a Release build):
//
//   build/bin/kahuna-raft-sim --seeds 100000
//
// Each seed runs `steps` ticks of chaos then heals the network and requires progress.
// Per tick, in this order: random faults (crash, restart, partition, heal), client
// operations, administrative operations (membership, transfer, compaction), delivery of
// the messages due, one tick on every running node, then every safety check (election
// safety is also checked after every single input, see election_safety.h). A Ready is
// handled (persist, send, apply, advance) right after the input that produced it, or,
// in seeds with asynchronous persistence, some inputs later; a crash loses every Ready
// not yet handled, and the disk (MemoryLogStorage) is all that survives it.
//
// In seeds with quiescence (Config::quiesce_ticks, about half of them) clients pause now
// and then so that groups go idle, and a liveness oracle calls wake() and
// suspect_leader() the way the server does when a peer dies or comes back
// (sim_workload.cc, liveness_oracle), before the delivery of messages, in the chaos and
// in the final heal alike. A follower left quiesced for five election timeouts with its
// leader down, cut off from it or deposed fails the seed (check_quiescence): the group
// might never elect a new leader.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "kahuna/raft/message_codec.h"
#include "sim_cluster.h"

namespace kahuna::raft::sim {
namespace detail {

void Simulation::fail(const std::string& problem) {
  if (failure_.empty() && !problem.empty()) {
    failure_ = text("tick ", now_, ": ", problem);
    if (options_.verbose) std::printf("[%5llu] FAILURE %s\n", (unsigned long long)now_, problem.c_str());
  }
}

void Simulation::event(const std::string& text) {
  if (options_.verbose) std::printf("[%5llu] %s\n", (unsigned long long)now_, text.c_str());
}

void Simulation::choose_features() {
  pre_vote_ = random_.chance(750);
  check_quorum_ = random_.chance(750);
  lease_reads_ = check_quorum_ && random_.chance(500);
  pipelined_ = random_.chance(500);
  async_persist_ = !pipelined_ && random_.chance(500);
  chaos_ = static_cast<std::uint32_t>(random_.between(1, 4));
  max_inflight_ = random_.between(1, 8);
  max_append_bytes_ = random_.between(30, 400);
  NetworkFaults faults;
  faults.drop_per_mille = random_.between(0, 150);
  faults.duplicate_per_mille = random_.between(0, 50);
  faults.max_delay_ticks = random_.between(1, 4);
  network_.set_faults(faults);
  // Drawn after the others, so a seed keeps the features it had before quiescence.
  quiesce_ticks_ = random_.chance(500) ? static_cast<int>(random_.between(2, 15)) : 0;
  // A leader quiesces only once a majority has answered its latest heartbeat round
  // (core_quiesce.cc), which a round trip of 2 to 8 ticks seldom allows between
  // heartbeats one tick apart: quiescence seeds also space them by up to 4 ticks.
  heartbeat_ticks_ = quiesce_ticks_ > 0 ? static_cast<int>(random_.between(1, 4)) : kHeartbeatTicks;
  std::ostringstream out;
  out << "features: pre_vote=" << pre_vote_ << " check_quorum=" << check_quorum_
      << " lease_reads=" << lease_reads_ << " async_persist=" << async_persist_ << " pipelined=" << pipelined_
      << " chaos=" << chaos_ << " max_inflight=" << max_inflight_ << " max_append_bytes=" << max_append_bytes_
      << " drop=" << faults.drop_per_mille << "/1000 dup=" << faults.duplicate_per_mille << "/1000 delay=1.."
      << faults.max_delay_ticks << " quiesce_ticks=" << quiesce_ticks_
      << " heartbeat_ticks=" << heartbeat_ticks_;
  event(out.str());
}

void Simulation::start(Node& node) {
  Config config;
  config.id = node.id;
  config.storage = node.disk.get();
  config.election_ticks = kElectionTicks;
  config.heartbeat_ticks = heartbeat_ticks_;
  config.pre_vote = pre_vote_;
  config.check_quorum = check_quorum_;
  config.lease_reads = lease_reads_;
  // Nodes skip at most one tick per two election timeouts (tick_nodes), so clocks
  // drift by at most one tick per election timeout; leave a margin of two.
  config.max_clock_drift_ticks = 2;
  config.max_append_bytes = max_append_bytes_;
  config.max_inflight_appends = max_inflight_;
  config.snapshot_retry_ticks = 3 * kElectionTicks;
  config.random_seed = options_.seed * 7919 + node.id * 104729 + node.incarnation;
  config.async_storage_writes = pipelined_;
  config.quiesce_ticks = quiesce_ticks_;
  node.core = std::make_unique<Core>(config);
  // The register is volatile: rebuild it from the snapshot, the core hands out the
  // committed entries after it again.
  Snapshot snapshot = node.disk->snapshot();
  node.value = snapshot.data;
  node.applied = snapshot.metadata.index;
  node.reads.clear();
  node.quiesced_seen = false;
  node.orphaned_since = 0;
  ++node.incarnation;
  process_ready(node);
}

void Simulation::crash(Node& node) {
  event(text("crash node ", node.id));
  node.core.reset();
  node.reads.clear();
  node.unpersisted.reset();  // the disk never saw it
  node.persisting.clear();
  node.applying.clear();
  node.quiesced_seen = false;
  // The restarted core starts awake; wakes meant for this one are moot.
  std::erase_if(pending_wakes_, [&node](const PendingWake& w) { return w.node == node.id; });
}

// Every core input (tick, step, propose, read_index, transfer, membership change, start)
// is followed by a call here, so the role check below runs after each one, before the
// next input can hide a short-lived leader. Callers that skip it (compact, a refused
// propose or read_index) call check_role themselves.
void Simulation::process_ready(Node& node) {
  if (pipelined_) {
    process_ready_pipelined(node);
    return;
  }
  while (failure_.empty() && node.alive()) {
    check_role(node);  // also after each advance(), which is an input too
    if (!failure_.empty()) return;
    if (!node.unpersisted) {
      if (!node.core->has_ready()) return;
      node.unpersisted = node.core->ready();
      // A leader's appends may leave before its own write (ready.h): send them now, so
      // a crash before the write is persisted leaves followers holding entries the
      // leader lost.
      for (const Message& m : node.unpersisted->messages) {
        if (m.type == MessageType::kAppend) send(m);
      }
    }
    // With asynchronous persistence the disk may still be busy: leave the Ready for a
    // later turn while more inputs reach the core (allowed by the contract in ready.h).
    if (async_persist_ && random_.chance(400)) return;
    Ready rd = std::move(*node.unpersisted);
    node.unpersisted.reset();
    handle_ready(node, rd);
  }
}

// Pipelined seeds: the core hands out Readies while earlier ones are still being
// written and applied; the disk and the state machine finish their work some inputs
// later, oldest first (ready.h, "Pipelining"). A crash loses all of it.
void Simulation::process_ready_pipelined(Node& node) {
  while (failure_.empty() && node.alive()) {
    check_role(node);
    if (!failure_.empty()) return;
    if (!node.persisting.empty() && random_.chance(500)) {
      finish_persist(node);
      continue;
    }
    if (!node.applying.empty() && random_.chance(500)) {
      finish_apply(node);
      continue;
    }
    if (!node.core->has_ready()) return;
    Ready rd = node.core->ready();
    for (const Message& m : rd.messages) {
      if (m.type == MessageType::kAppend) send(m);
    }
    note_read_states(node, rd);
    if (rd.snapshot) {
      // Handled after everything before it, then like a Ready of the ordinary loop.
      while (failure_.empty() && !node.persisting.empty()) finish_persist(node);
      while (failure_.empty() && !node.applying.empty()) finish_apply(node);
      if (!failure_.empty()) return;
      node.persisting.push_back(rd);
      finish_persist(node);
      fail(checker_.on_apply_snapshot(node.id, rd.snapshot->metadata));
      node.value = rd.snapshot->data;
      node.applied = rd.snapshot->metadata.index;
      event(text("node ", node.id, " installed snapshot at ", node.applied));
      node.core->applied(node.applied);
      serve_reads(node);
      continue;
    }
    if (!rd.committed_entries.empty()) node.applying.push_back(std::move(rd.committed_entries));
    node.persisting.push_back(std::move(rd));
  }
}

void Simulation::finish_persist(Node& node) {
  Ready rd = std::move(node.persisting.front());
  node.persisting.pop_front();
  persist_and_send(node, rd);
  node.core->persisted(rd);
}

void Simulation::persist_and_send(Node& node, const Ready& rd) {
  // 1. persist: snapshot, entries, hard state (ready.h)
  if (rd.snapshot) node.disk->apply_snapshot(*rd.snapshot);
  node.disk->append(rd.entries);
  if (rd.hard_state) {
    fail(checker_.on_persist_hard_state(node.id, node.disk->hard_state(), *rd.hard_state));
    node.disk->set_hard_state(*rd.hard_state);
  }
  // 2. send (appends went out when the Ready was taken)
  for (const Message& m : rd.messages) {
    if (m.type != MessageType::kAppend) send(m);
  }
}

void Simulation::finish_apply(Node& node) {
  std::vector<Entry> entries = std::move(node.applying.front());
  node.applying.pop_front();
  apply_entries(node, entries);
  node.core->applied(entries.back().index);
  serve_reads(node);
}

void Simulation::apply_entries(Node& node, const std::vector<Entry>& entries) {
  for (const Entry& e : entries) {
    fail(checker_.on_apply(node.id, e));
    if (e.index != node.applied + 1) {
      fail(text("node ", node.id, " applied ", e.index, " after ", node.applied));
    }
    node.applied = e.index;
    if (e.type == EntryType::kNormal && !e.data.empty()) {
      node.value = e.data;
      auto it = write_op_by_value_.find(e.data);
      if (it != write_op_by_value_.end()) history_.complete(it->second, ++events_);
    }
  }
}

void Simulation::note_read_states(Node& node, const Ready& rd) {
  for (const ReadState& rs : rd.read_states) {
    auto it = node.reads.find(rs.context);
    if (it == node.reads.end()) continue;
    it->second.index_known = true;
    it->second.index = rs.index;
  }
  if (rd.soft_state) {
    event(text("node ", node.id, " is ", to_string(rd.soft_state->role), " in term ", node.core->term(),
               " (leader ", rd.soft_state->leader, ")"));
  }
}

void Simulation::check_role(Node& node) {
  if (!node.alive()) return;
  fail(checker_.on_input_taken(*node.core));
  note_quiescence(node);
}

void Simulation::note_quiescence(Node& node) {
  const bool quiesced = node.core->quiesced();
  if (quiesced == node.quiesced_seen) return;
  node.quiesced_seen = quiesced;
  const bool leader = node.core->role() == Role::kLeader;
  if (quiesced && leader) ++quiescences_;
  event(text("node ", node.id, quiesced ? " quiesced as " : " woke as ", to_string(node.core->role()),
             " in term ", node.core->term(), " (last index ", node.core->last_index(), ", commit ",
             node.core->commit_index(), ")"));
}

// Once per tick: counts the ticks with a quiesced leader, and fails if a voter stays
// quiesced for kMaxOrphanedQuiescedTicks while its leader is down, cannot reach it or no
// longer leads its term, and no leader of that term or a later one runs. Such a follower
// neither campaigns nor, with check-quorum, votes (it heard its leader "a moment ago"),
// and may keep the group from electing anyone. The final heal cannot catch that:
// restarting every node wakes everyone.
void Simulation::check_quiescence() {
  bool leader_quiesced = false;
  Term led_term = 0;  // the highest term a running node leads
  for (auto& [id, node] : nodes_) {
    if (node.alive() && node.core->role() == Role::kLeader) led_term = std::max(led_term, node.core->term());
  }
  for (auto& [id, node] : nodes_) {
    if (!node.alive()) continue;
    const Core& core = *node.core;
    if (core.quiesced() && core.role() == Role::kLeader) leader_quiesced = true;
    bool orphaned = false;
    // Only voters: a learner or a removed node holds up no election.
    if (core.quiesced() && core.role() != Role::kLeader && core.conf_state().is_voter(id) &&
        led_term < core.term()) {
      auto lead = nodes_.find(core.leader());
      orphaned = lead == nodes_.end() || !lead->second.alive() || network_.is_blocked(lead->first, id) ||
                 lead->second.core->role() != Role::kLeader || lead->second.core->term() != core.term();
    }
    if (!orphaned) {
      node.orphaned_since = 0;
    } else if (node.orphaned_since == 0) {
      node.orphaned_since = now_;
    } else if (now_ - node.orphaned_since >= kMaxOrphanedQuiescedTicks) {
      fail(text("liveness: node ", id, " has been quiesced since tick ", node.orphaned_since,
                " as a follower of node ", core.leader(), " in term ", core.term(),
                ", which is down, cut off from it or no longer leading (and no leader was elected "
                "since); nothing woke it"));
    }
  }
  if (leader_quiesced) ++quiesced_ticks_;
}

void Simulation::send(const Message& m) {
  if (options_.verbose > 1) event("send " + describe(m));
  network_.send(now_, m.from, m.to, encode_message(m));
}

void Simulation::handle_ready(Node& node, const Ready& rd) {
  {
    persist_and_send(node, rd);
    // 3. apply
    if (rd.snapshot) {
      fail(checker_.on_apply_snapshot(node.id, rd.snapshot->metadata));
      node.value = rd.snapshot->data;
      node.applied = rd.snapshot->metadata.index;
      event(text("node ", node.id, " installed snapshot at ", node.applied));
    }
    apply_entries(node, rd.committed_entries);
    note_read_states(node, rd);
    node.core->advance(rd);
    serve_reads(node);
  }
}

void Simulation::serve_reads(Node& node) {
  for (auto it = node.reads.begin(); it != node.reads.end();) {
    if (it->second.index_known && it->second.index <= node.applied) {
      history_.complete_read(it->second.op, node.value, ++events_);
      it = node.reads.erase(it);
    } else {
      ++it;
    }
  }
}

void Simulation::deliver_due() {
  for (VirtualNetwork::Packet& packet : network_.take_due(now_)) {
    if (!failure_.empty()) return;
    auto it = nodes_.find(packet.to);
    if (it == nodes_.end() || !it->second.alive()) continue;
    std::optional<Message> m = decode_message(packet.bytes);
    if (!m) {
      fail("a message failed to decode");
      return;
    }
    if (options_.verbose > 1) event("recv " + describe(*m));
    it->second.core->step(*m);
    process_ready(it->second);
  }
}

void Simulation::tick_nodes(bool allow_skips) {
  std::vector<Node*> order;
  for (auto& [id, node] : nodes_) order.push_back(&node);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[random_.below(i)]);
  for (Node* node : order) {
    if (!node->alive() || !failure_.empty()) continue;
    if (node->tick_skip_cooldown > 0) {
      --node->tick_skip_cooldown;
    } else if (allow_skips && random_.chance(20)) {
      // A slow clock: skip one tick, then not again for two election timeouts.
      node->tick_skip_cooldown = 2 * kElectionTicks;
      continue;
    }
    node->core->tick();
    process_ready(*node);
  }
}

Node* Simulation::leader() {
  Node* best = nullptr;
  for (auto& [id, node] : nodes_) {
    if (node.alive() && node.core->role() == Role::kLeader &&
        (best == nullptr || node.core->term() > best->core->term())) {
      best = &node;
    }
  }
  return best;
}

// Clients find "a leader" the way real ones do: any node that says it leads, including a
// deposed one that has not noticed yet.
Node* Simulation::any_leader() {
  std::vector<Node*> leaders;
  for (auto& [id, node] : nodes_) {
    if (node.alive() && node.core->role() == Role::kLeader) leaders.push_back(&node);
  }
  return leaders.empty() ? nullptr : leaders[random_.below(leaders.size())];
}

Node* Simulation::random_alive() {
  std::vector<Node*> alive;
  for (auto& [id, node] : nodes_) {
    if (node.alive()) alive.push_back(&node);
  }
  return alive.empty() ? nullptr : alive[random_.below(alive.size())];
}

void Simulation::check_all() {
  for (auto& [id, node] : nodes_) {
    if (!failure_.empty()) return;
    if (node.alive()) fail(checker_.check_node(*node.core, *node.disk));
  }
}

std::uint64_t Simulation::heal_and_require_progress() {
  event("final heal: network repaired, every node restarted");
  network_.heal();
  NetworkFaults calm;
  calm.max_delay_ticks = 2;
  network_.set_faults(calm);
  for (auto& [id, node] : nodes_) {
    if (!node.alive()) start(node);
  }
  struct HealWrite {
    std::string value;
    Index index = 0;
  };
  std::vector<HealWrite> heal_writes;
  std::uint64_t committed = 0;
  for (int t = 0; t < kHealTicks && failure_.empty(); ++t) {
    ++now_;
    liveness_oracle();
    deliver_due();
    tick_nodes(false);
    check_quiescence();
    check_all();
    Node* lead = leader();
    if (lead == nullptr) continue;
    if (t % 5 == 0 && heal_writes.size() < 40) {
      std::string value = text("h", heal_writes.size());
      const Index index = lead->core->last_index() + 1;
      if (write(*lead, value)) heal_writes.push_back(HealWrite{value, index});
    }
    // Progress: heal writes applied (so committed) and applied by every running member
    // of the leader's group.
    const ConfState& conf = lead->core->conf_state();
    committed = 0;
    for (const HealWrite& w : heal_writes) {
      bool everywhere = history_.op(write_op_by_value_[w.value]).ret != 0;
      for (auto& [id, node] : nodes_) {
        if (conf.contains(id) && node.alive() && node.applied < w.index) everywhere = false;
      }
      if (everywhere) ++committed;
    }
    if (committed >= kRequiredHealWrites) break;
  }
  return committed;
}

void Simulation::dump_state() {
  if (!options_.verbose) return;
  for (auto& [id, node] : nodes_) {
    if (!node.alive()) continue;
    const Core& core = *node.core;
    std::printf(
        "  node %llu: %s term %llu leader %llu commit %llu applied %llu log [%llu, %llu] "
        "voters %zu learners %zu\n",
        (unsigned long long)id, to_string(core.role()), (unsigned long long)core.term(),
        (unsigned long long)core.leader(), (unsigned long long)core.commit_index(),
        (unsigned long long)node.applied, (unsigned long long)core.first_index(),
        (unsigned long long)core.last_index(), core.conf_state().voters.size(),
        core.conf_state().learners.size());
    if (core.role() != Role::kLeader) continue;
    for (auto& [member, other] : nodes_) {
      std::optional<Progress> pr = core.progress(member);
      if (!pr) continue;
      std::printf("    progress %llu: %s match %llu next %llu paused %d inflight %zu snap %llu\n",
                  (unsigned long long)member, to_string(pr->state), (unsigned long long)pr->match,
                  (unsigned long long)pr->next, pr->is_paused() ? 1 : 0, pr->inflights.count(),
                  (unsigned long long)pr->pending_snapshot);
    }
  }
}

SimResult Simulation::run() {
  choose_features();
  ConfState initial;
  for (int i = 1; i <= options_.nodes; ++i) initial.voters.push_back(static_cast<NodeId>(i));
  next_new_id_ = static_cast<NodeId>(options_.nodes + 1);
  for (NodeId id : initial.voters) {
    Node& node = nodes_[id];
    node.id = id;
    node.disk = std::make_unique<MemoryLogStorage>(initial);
    start(node);
  }
  for (int step = 0; step < options_.steps && failure_.empty(); ++step) {
    ++now_;
    random_faults();
    pause_clients();
    random_client_operations();
    random_admin_operations();
    liveness_oracle();
    deliver_due();
    tick_nodes(true);
    check_quiescence();
    expire_reads();
    check_all();
  }
  SimResult result;
  if (failure_.empty()) {
    result.heal_writes_committed = heal_and_require_progress();
    if (failure_.empty() && result.heal_writes_committed < kRequiredHealWrites) {
      dump_state();
      fail(text("no progress: only ", result.heal_writes_committed,
                " writes committed after the network healed"));
    }
  }
  if (failure_.empty()) {
    LinearizabilityOutcome outcome = check_linearizability(
        history_, "", SearchBudgets{kLinearizabilityBudget, kLinearizabilityRetryBudget});
    result.linearizability_searched = outcome.searched;
    result.linearizability_needed_larger_budget = outcome.needed_larger_budget;
    result.linearizability_steps = outcome.steps;
    fail(outcome.failure);
    if (outcome.needed_larger_budget && options_.verbose) {
      std::printf("history:\n%s", history_.describe().c_str());
    }
  }
  result.ok = failure_.empty();
  result.failure = failure_;
  result.committed_entries = checker_.committed_entries();
  result.operations_checked = history_.size();
  result.role_changes_checked = checker_.role_changes_observed();
  result.quiesce_ticks = quiesce_ticks_;
  result.quiesced_ticks = quiesced_ticks_;
  result.quiescences = quiescences_;
  return result;
}

}  // namespace detail

SimResult run_simulation(const SimOptions& options) {
  detail::Simulation simulation(options);
  return simulation.run();
}

}  // namespace kahuna::raft::sim
