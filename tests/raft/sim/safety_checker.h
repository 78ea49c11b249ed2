// SafetyChecker: the Raft safety properties (paper figure 3), checked by the simulation
// against everything it observes, across crashes and restarts.
//
//   election safety      at most one leader per term (election_safety.h), checked after
//                        every input a core takes, not only once per tick
//   log matching         two logs holding an entry with the same index and term hold the
//                        same entry there and agree on the term of the entry before it
//                        (which, by induction, makes the prefixes identical)
//   leader completeness  a leader of term T holds every entry committed in a term < T
//   state machine safety no two nodes apply different entries at one index
// plus durable-state sanity: a node's persisted term and commit index never decrease and
// its persisted vote never changes within a term.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "election_safety.h"
#include "kahuna/raft/core.h"
#include "kahuna/raft/memory_log_storage.h"

namespace kahuna::raft::sim {

class SafetyChecker {
 public:
  // Each returns "" or a description of the violation.

  // A node is about to persist `next` (its previous durable state was `previous`).
  std::string on_persist_hard_state(NodeId node, const HardState& previous, const HardState& next);

  // A node applies `entry`.
  std::string on_apply(NodeId node, const Entry& entry);

  // A node installs a snapshot (its last entry is taken as applied at that index).
  std::string on_apply_snapshot(NodeId node, const SnapshotMetadata& meta);

  // A core has taken an input (tick, message, proposal, restart, ...) that may have
  // changed its role or term. Cheap when neither changed.
  std::string on_input_taken(const Core& core);

  // Periodic checks over a running node: its role, commit index and durable log.
  std::string check_node(const Core& core, const MemoryLogStorage& disk);

  std::size_t committed_entries() const { return commit_.size(); }
  std::uint64_t role_changes_observed() const { return elections_.changes_observed(); }

 private:
  struct Committed {
    Term entry_term = 0;
    Term commit_term = 0;  // lowest term in which some node knew it committed
  };
  struct Seen {
    std::uint64_t data_hash = 0;
    Term prev_term = 0;
  };

  std::string check_log_matching(const Core& core, const MemoryLogStorage& disk);
  std::string check_commit(const Core& core, const MemoryLogStorage& disk);
  std::string check_leader_completeness(const Core& core);

  ElectionSafety elections_;
  std::vector<std::optional<Committed>> commit_;             // by index (slot 0 unused)
  std::map<Index, std::pair<Term, std::uint64_t>> applied_;  // index -> (term, data hash)
  std::unordered_map<std::uint64_t, Seen> seen_;             // hash of (index, term)
};

}  // namespace kahuna::raft::sim
