#include "safety_checker.h"

#include <algorithm>
#include <functional>
#include <sstream>

namespace kahuna::raft::sim {
namespace {

std::uint64_t hash_data(const Entry& e) {
  return std::hash<std::string>{}(e.data) * 31 + static_cast<std::uint64_t>(e.type);
}

std::uint64_t key_of(Index index, Term term) { return index * 0x9e3779b97f4a7c15ULL ^ term; }

}  // namespace

std::string SafetyChecker::on_persist_hard_state(NodeId node, const HardState& previous,
                                                 const HardState& next) {
  std::ostringstream out;
  if (next.term < previous.term) {
    out << "node " << node << " persisted term " << next.term << " after " << previous.term;
  } else if (next.commit < previous.commit) {
    out << "node " << node << " persisted commit " << next.commit << " after " << previous.commit;
  } else if (next.term == previous.term && previous.vote != kNoNode && next.vote != previous.vote) {
    out << "node " << node << " changed its vote in term " << next.term << " from " << previous.vote << " to "
        << next.vote;
  }
  return out.str();
}

std::string SafetyChecker::on_apply(NodeId node, const Entry& entry) {
  auto [it, inserted] = applied_.try_emplace(entry.index, entry.term, hash_data(entry));
  if (!inserted && (it->second.first != entry.term || it->second.second != hash_data(entry))) {
    std::ostringstream out;
    out << "state machine safety: node " << node << " applied (" << entry.index << ", term " << entry.term
        << ") but another node applied term " << it->second.first << " there";
    return out.str();
  }
  return "";
}

std::string SafetyChecker::on_apply_snapshot(NodeId node, const SnapshotMetadata& meta) {
  auto it = applied_.find(meta.index);
  if (it != applied_.end() && it->second.first != meta.term) {
    std::ostringstream out;
    out << "state machine safety: node " << node << " installed snapshot (" << meta.index << ", term "
        << meta.term << ") but term " << it->second.first << " was applied there";
    return out.str();
  }
  return "";
}

std::string SafetyChecker::on_input_taken(const Core& core) {
  return elections_.observe(core.id(), core.role(), core.term());
}

std::string SafetyChecker::check_node(const Core& core, const MemoryLogStorage& disk) {
  if (std::string problem = core.check_invariants(); !problem.empty()) {
    return "node " + std::to_string(core.id()) + " invariant: " + problem;
  }
  if (std::string problem = on_input_taken(core); !problem.empty()) return problem;
  if (std::string problem = check_log_matching(core, disk); !problem.empty()) return problem;
  if (std::string problem = check_commit(core, disk); !problem.empty()) return problem;
  return check_leader_completeness(core);
}

std::string SafetyChecker::check_log_matching(const Core& core, const MemoryLogStorage& disk) {
  // The simulation handles each Ready fully before checking, so the disk holds the
  // node's whole log.
  const Index last = disk.last_index();
  std::vector<Entry> entries;
  if (disk.first_index() <= last) entries = disk.entries(disk.first_index(), last + 1, SIZE_MAX);
  Term prev_term = *disk.term(disk.first_index() - 1);
  for (const Entry& e : entries) {
    Seen mine{hash_data(e), prev_term};
    auto [it, inserted] = seen_.try_emplace(key_of(e.index, e.term), mine);
    if (!inserted && (it->second.data_hash != mine.data_hash || it->second.prev_term != mine.prev_term)) {
      std::ostringstream out;
      out << "log matching: node " << core.id() << " holds (" << e.index << ", term " << e.term
          << ") with different content or predecessor than another node";
      return out.str();
    }
    prev_term = e.term;
  }
  return "";
}

std::string SafetyChecker::check_commit(const Core& core, const MemoryLogStorage& disk) {
  // The durable commit index: the core's commit index may run ahead of the hard state
  // it has stored (a Ready not yet persisted), and a crash before the store
  // legitimately forgets that part; what was stored must never be contradicted.
  const Index commit = std::min(core.commit_index(), disk.hard_state().commit);
  if (commit_.size() <= commit) commit_.resize(commit + 1);
  for (Index i = core.first_index(); i <= commit; ++i) {
    std::optional<Term> entry_term = core.term_at(i);
    if (!entry_term) continue;
    auto& slot = commit_[i];
    if (!slot) {
      slot = Committed{*entry_term, core.term()};
      continue;
    }
    if (slot->entry_term != *entry_term) {
      std::ostringstream out;
      out << "committed entry changed: node " << core.id() << " has term " << *entry_term
          << " at committed index " << i << ", others had " << slot->entry_term;
      return out.str();
    }
    // A node knows of a commit no earlier than in the term it happened in.
    slot->commit_term = std::min(slot->commit_term, core.term());
  }
  return "";
}

std::string SafetyChecker::check_leader_completeness(const Core& core) {
  if (core.role() != Role::kLeader) return "";
  for (Index i = core.first_index(); i < commit_.size(); ++i) {
    const auto& slot = commit_[i];
    if (!slot || slot->commit_term >= core.term()) continue;
    std::optional<Term> mine = core.term_at(i);
    if (!mine || *mine != slot->entry_term) {
      std::ostringstream out;
      out << "leader completeness: leader " << core.id() << " of term " << core.term() << " lacks entry " << i
          << " (term " << slot->entry_term << ") committed in term " << slot->commit_term;
      return out.str();
    }
  }
  return "";
}

}  // namespace kahuna::raft::sim
