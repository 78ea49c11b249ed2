// A single Core over a preloaded MemoryLogStorage, for tests that script every message.
#pragma once

#include "raft_test_cluster.h"

namespace kahuna::raft::testing {

// Node `id` of a group with `voters`, whose durable log holds entries with `log_terms`
// (indices 1..n) and whose hard state is `hard_state`.
inline TestNode make_node(NodeId id, std::vector<NodeId> voters, std::vector<Term> log_terms = {},
                          HardState hard_state = {}, const TestCluster::Tweak& tweak = {}) {
  TestNode n;
  n.id = id;
  n.storage = std::make_unique<MemoryLogStorage>(ConfState{voters, {}});
  n.storage->append(entries_with_terms(1, log_terms));
  n.storage->set_hard_state(hard_state);
  n.config = test_config(id, n.storage.get());
  if (tweak) tweak(n.config);
  n.core = std::make_unique<Core>(n.config);
  return n;
}

inline Message vote_request(NodeId from, NodeId to, Term term, Index last_index, Term last_term,
                            MessageType type = MessageType::kVote) {
  Message m = make_message(type, from, to, term);
  m.index = last_index;
  m.log_term = last_term;
  return m;
}

inline Message append_request(NodeId from, NodeId to, Term term, Index prev_index, Term prev_term,
                              std::vector<Entry> entries, Index commit) {
  Message m = make_message(MessageType::kAppend, from, to, term);
  m.index = prev_index;
  m.log_term = prev_term;
  m.entries = std::move(entries);
  m.commit = commit;
  return m;
}

inline Message append_response(NodeId from, NodeId to, Term term, Index index) {
  Message m = make_message(MessageType::kAppendResponse, from, to, term);
  m.index = index;
  return m;
}

}  // namespace kahuna::raft::testing
