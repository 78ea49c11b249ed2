#include "election_safety.h"

#include <sstream>

namespace kahuna::raft::sim {

std::string ElectionSafety::observe(NodeId node, Role role, Term term) {
  const std::pair<Role, Term> now{role, term};
  auto [last, first_report] = last_seen_.try_emplace(node, now);
  if (!first_report) {
    // Unchanged since the last report: already recorded (or not a leader).
    if (last->second == now) return "";
    last->second = now;
  }
  ++changes_observed_;
  if (role != Role::kLeader) return "";
  auto [recorded, inserted] = leader_of_term_.try_emplace(term, node);
  if (inserted || recorded->second == node) return "";
  std::ostringstream out;
  out << "election safety: nodes " << recorded->second << " and " << node << " both led term " << term;
  return out.str();
}

}  // namespace kahuna::raft::sim
