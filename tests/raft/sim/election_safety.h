// ElectionSafety: "at most one leader per term", checked at every role change.
//
// Sampling roles once per tick misses a leader that exists only between two samples (a
// node elected by one message and deposed by the next one in the same tick), so the
// simulation reports every node's role and term after every input it feeds a core.
// Reports are cheap when nothing changed: each node's last (role, term) is remembered
// and only a change is looked up in the term -> leader record.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

#include "kahuna/raft/types.h"

namespace kahuna::raft::sim {

class ElectionSafety {
 public:
  // `node` now has `role` in `term`. Returns "" or a description of the violation.
  std::string observe(NodeId node, Role role, Term term);

  // Role changes seen so far: reports that differed from the node's previous one (its
  // first report counts as one).
  std::uint64_t changes_observed() const { return changes_observed_; }

 private:
  std::map<Term, NodeId> leader_of_term_;
  std::unordered_map<NodeId, std::pair<Role, Term>> last_seen_;
  std::uint64_t changes_observed_ = 0;
};

}  // namespace kahuna::raft::sim
