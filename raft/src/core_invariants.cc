// Core: internal consistency checks, run by tests and the simulation after every step.
#include <sstream>

#include "kahuna/raft/core.h"

namespace kahuna::raft {

std::string Core::check_invariants() const {
  std::ostringstream problem;
  const Index first = log_.first_index();
  const Index last = log_.last_index();
  if (first > last + 1)
    problem << "first index " << first << " > last index + 1 " << last + 1;
  else if (log_.committed() > last)
    problem << "commit " << log_.committed() << " > last " << last;
  else if (log_.applied() > log_.committed())
    problem << "applied > commit";
  else if (log_.last_term() > term_)
    problem << "last log term " << log_.last_term() << " > term " << term_;
  else if (conf_ != membership_.latest())
    problem << "membership out of sync with log";
  else if (role_ == Role::kLeader && lead_ != id_)
    problem << "leader does not lead itself";
  else if (role_ == Role::kCandidate && vote_ != id_)
    problem << "candidate did not vote for itself";
  else if (role_ == Role::kLeader) {
    if (progress_.find(id_) == progress_.end()) problem << "leader has no own progress";
    for (const auto& [member, pr] : progress_) {
      if (pr.match > last) problem << "match of " << member << " beyond last index";
      if (pr.next <= pr.match) problem << "next <= match for " << member;
      if (member != id_ && !conf_.contains(member)) problem << "progress for non-member " << member;
    }
    for (NodeId member : conf_.voters) {
      if (progress_.find(member) == progress_.end()) problem << "no progress for voter " << member;
    }
  }
  return problem.str();
}

}  // namespace kahuna::raft
