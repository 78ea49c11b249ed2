// The simulation's verdict on a register history: a seed passes only if its history is
// proven linearizable.
//
// First a candidate linearization is built and verified (linearization_witness.h): fast,
// and enough for every linearizable history with unique write values. Otherwise the
// search (register_history.h) decides; it may give up, and a search that gave up proves
// nothing, so it is retried once with a much larger budget and, if that gives up too, the
// seed fails like any other: an unchecked history is not a checked one, and a history
// too tangled to check is worth a look (with its replay command) anyway.
#pragma once

#include <cstdint>
#include <string>

#include "register_history.h"

namespace kahuna::raft::sim {

struct SearchBudgets {
  std::uint64_t first = 0;  // enough for nearly every search
  std::uint64_t retry = 0;  // used only when `first` ran out; bounds a seed's worst time
};

struct LinearizabilityOutcome {
  std::string failure;                // "" only if proven linearizable
  bool searched = false;              // no verified candidate: the search had to decide
  bool needed_larger_budget = false;  // the first search ran out of budget
  std::uint64_t steps = 0;            // steps of the last search run
};

LinearizabilityOutcome check_linearizability(const RegisterHistory& history, const std::string& initial,
                                             const SearchBudgets& budgets);

}  // namespace kahuna::raft::sim
