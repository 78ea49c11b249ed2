#include "linearizability_check.h"

#include <sstream>

#include "linearization_witness.h"

namespace kahuna::raft::sim {

LinearizabilityOutcome check_linearizability(const RegisterHistory& history, const std::string& initial,
                                             const SearchBudgets& budgets) {
  LinearizabilityOutcome outcome;
  if (find_linearization(history.completed(), initial)) return outcome;
  outcome.searched = true;
  SearchVerdict verdict = history.check(initial, budgets.first);
  if (verdict.exhausted) {
    outcome.needed_larger_budget = true;
    verdict = history.check(initial, budgets.retry);
  }
  outcome.steps = verdict.steps;
  if (!verdict.violation.empty()) {
    outcome.failure = verdict.violation;
  } else if (verdict.exhausted) {
    std::ostringstream out;
    out << "linearizability unproven: the search gave up after " << budgets.first << " and then "
        << budgets.retry << " steps on a history of " << history.size()
        << " operations (rerun with -v to print it)";
    outcome.failure = out.str();
  }
  return outcome;
}

}  // namespace kahuna::raft::sim
