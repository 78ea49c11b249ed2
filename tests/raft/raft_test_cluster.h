// Helpers for scripted Raft scenarios: a node (Core plus MemoryLogStorage) that handles
// its Readies the way ready.h prescribes, and a cluster that moves messages between
// nodes only when a test says so, optionally cutting links.
#pragma once

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kahuna/raft/core.h"
#include "kahuna/raft/memory_log_storage.h"

namespace kahuna::raft::testing {

// Defaults for scripted tests: no pre-vote, no check-quorum, so each rule can be tested
// alone; tests switch features on through the config tweak.
inline Config test_config(NodeId id, const LogStorage* storage) {
  Config c;
  c.id = id;
  c.storage = storage;
  c.election_ticks = 10;
  c.heartbeat_ticks = 1;
  c.pre_vote = false;
  c.check_quorum = false;
  c.random_seed = 42;
  return c;
}

inline Message make_message(MessageType type, NodeId from, NodeId to, Term term) {
  Message m;
  m.type = type;
  m.from = from;
  m.to = to;
  m.term = term;
  return m;
}

inline std::vector<Entry> entries_with_terms(Index first, std::vector<Term> terms) {
  std::vector<Entry> out;
  for (Term t : terms) {
    Entry e;
    e.index = first++;
    e.term = t;
    // (append instead of "e" + ...: g++ 12 emits a false -Wrestrict for the latter)
    e.data = "e";
    e.data += std::to_string(e.index);
    out.push_back(std::move(e));
  }
  return out;
}

struct TestNode {
  NodeId id = kNoNode;
  Config config;
  std::unique_ptr<MemoryLogStorage> storage;
  std::unique_ptr<Core> core;
  std::vector<Entry> applied;          // every committed entry handed out, in order
  std::vector<ReadState> read_states;  // every read state handed out
  std::vector<Ready> readies;          // every Ready handled (for ordering checks)
  std::optional<Snapshot> installed_snapshot;

  // Handles all pending Readies (persist, collect messages, apply, advance) and returns
  // the messages to send.
  std::vector<Message> drain() {
    std::vector<Message> out;
    while (core && core->has_ready()) {
      Ready rd = core->ready();
      if (rd.snapshot) storage->apply_snapshot(*rd.snapshot);
      storage->append(rd.entries);
      if (rd.hard_state) storage->set_hard_state(*rd.hard_state);
      out.insert(out.end(), rd.messages.begin(), rd.messages.end());
      if (rd.snapshot) installed_snapshot = rd.snapshot;
      applied.insert(applied.end(), rd.committed_entries.begin(), rd.committed_entries.end());
      read_states.insert(read_states.end(), rd.read_states.begin(), rd.read_states.end());
      core->advance(rd);
      readies.push_back(std::move(rd));
    }
    return out;
  }

  // Simulates a crash and restart: the core is rebuilt from what storage holds.
  void restart() {
    core = std::make_unique<Core>(config);
    applied.clear();
  }

  std::vector<std::string> applied_data() const {
    std::vector<std::string> out;
    for (const Entry& e : applied) {
      if (e.type == EntryType::kNormal && !e.data.empty()) out.push_back(e.data);
    }
    return out;
  }
};

class TestCluster {
 public:
  using Tweak = std::function<void(Config&)>;

  explicit TestCluster(std::vector<NodeId> voters, Tweak tweak = {}, std::vector<NodeId> learners = {}) {
    ConfState conf{voters, learners};
    std::sort(conf.voters.begin(), conf.voters.end());
    std::sort(conf.learners.begin(), conf.learners.end());
    for (NodeId id : voters) add_node(id, conf, tweak);
    for (NodeId id : learners) add_node(id, conf, tweak);
  }

  // Adds a node with the given starting membership (empty for one that joins later).
  TestNode& add_node(NodeId id, const ConfState& conf, const Tweak& tweak = {}) {
    TestNode& n = nodes_[id];
    n.id = id;
    n.storage = std::make_unique<MemoryLogStorage>(conf);
    n.config = test_config(id, n.storage.get());
    n.config.random_seed = 1000 + id;
    if (tweak) tweak(n.config);
    n.core = std::make_unique<Core>(n.config);
    return n;
  }

  TestNode& node(NodeId id) { return nodes_.at(id); }
  Core& core(NodeId id) { return *nodes_.at(id).core; }

  // Collects the outgoing messages of every node into the network queue.
  void collect() {
    for (auto& [id, n] : nodes_) {
      for (Message& m : n.drain()) queue_.push_back(std::move(m));
    }
  }

  // Delivers queued messages (and those they cause) until the network is quiet.
  // Returns the number delivered. Messages on cut links or to stopped nodes are lost.
  int stabilize(int limit = 100000) {
    int delivered = 0;
    collect();
    while (!queue_.empty() && delivered < limit) {
      Message m = std::move(queue_.front());
      queue_.pop_front();
      if (!deliverable(m)) continue;
      nodes_.at(m.to).core->step(m);
      ++delivered;
      collect();
    }
    return delivered;
  }

  // Takes the queued messages without delivering them (to inspect or reorder).
  std::vector<Message> take_messages() {
    collect();
    std::vector<Message> out(queue_.begin(), queue_.end());
    queue_.clear();
    return out;
  }

  void deliver(const Message& m) {
    if (deliverable(m)) nodes_.at(m.to).core->step(m);
    collect();
  }

  void tick(NodeId id, int times = 1) {
    for (int i = 0; i < times; ++i) nodes_.at(id).core->tick();
    collect();
  }

  void tick_all(int times = 1) {
    for (int i = 0; i < times; ++i) {
      for (auto& [id, n] : nodes_) {
        if (n.core && !stopped_.count(id)) n.core->tick();
      }
      stabilize();
    }
  }

  void elect(NodeId id) {
    core(id).campaign();
    stabilize();
  }

  void cut(NodeId a, NodeId b) {
    cut_.emplace(a, b);
    cut_.emplace(b, a);
  }
  void isolate(NodeId id) {
    for (auto& [other, n] : nodes_) {
      if (other != id) cut(id, other);
    }
  }
  void heal() { cut_.clear(); }
  void stop(NodeId id) { stopped_.insert(id); }
  void resume(NodeId id) { stopped_.erase(id); }

  // Drops every message for which `drop` returns true (until cleared).
  void set_drop(std::function<bool(const Message&)> drop) { drop_ = std::move(drop); }

  std::map<NodeId, TestNode>& nodes() { return nodes_; }

 private:
  bool deliverable(const Message& m) const {
    if (!nodes_.count(m.to) || stopped_.count(m.to) || stopped_.count(m.from)) return false;
    if (cut_.count({m.from, m.to})) return false;
    return !(drop_ && drop_(m));
  }

  std::map<NodeId, TestNode> nodes_;
  std::deque<Message> queue_;
  std::set<std::pair<NodeId, NodeId>> cut_;
  std::set<NodeId> stopped_;
  std::function<bool(const Message&)> drop_;
};

inline std::vector<Message> filter(const std::vector<Message>& msgs, MessageType type) {
  std::vector<Message> out;
  for (const Message& m : msgs) {
    if (m.type == type) out.push_back(m);
  }
  return out;
}

}  // namespace kahuna::raft::testing
