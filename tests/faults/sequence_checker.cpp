#include "sequence_checker.h"

#include <algorithm>
#include <map>

namespace kahuna::faults {
namespace {

using Entry = Recorded<SequenceOp>;

bool same_allocation(const SequenceOp& a, const SequenceOp& b) {
  return a.start == b.start && a.end == b.end && a.got_count == b.got_count;
}

// Two allocations of one sequence share a value when their ranges overlap and
// their values fall on the same residue of the increment.
bool share_a_value(const SequenceOp& a, const SequenceOp& b) {
  if (a.start > b.end || b.start > a.end) return false;
  const std::int64_t step = std::max<std::int64_t>(a.increment, 1);
  return (a.start - b.start) % step == 0;
}

}  // namespace

std::string describe(const Recorded<SequenceOp>& entry) {
  const SequenceOp& op = entry.op;
  std::string text = "p" + std::to_string(entry.process) + " reserve(" + op.name + ", " +
                     std::to_string(op.count) +
                     (op.idempotency_key.empty() ? "" : ", key " + op.idempotency_key) + ")";
  if (entry.outcome != Outcome::kOk) {
    text += entry.outcome == Outcome::kFail ? " fail" : " unknown";
  } else if (op.allocated) {
    text += " -> [" + std::to_string(op.start) + ".." + std::to_string(op.end) + "] count " +
            std::to_string(op.got_count) + " rev " + std::to_string(op.revision);
  } else {
    text += " -> nothing";
  }
  return text + " [" + format_time(entry.invoke) + ", " + format_time(entry.complete) + "]";
}

SequenceCheckResult check_sequences(const std::vector<Recorded<SequenceOp>>& history) {
  SequenceCheckResult result;
  std::map<std::string, std::vector<const Entry*>> by_name;
  for (const Entry& e : history) {
    // Only answered allocations handed values out: a failed call did not
    // happen (whatever its op holds), an unknown one gave its values, if
    // any, to nobody who knows them.
    if (e.outcome == Outcome::kOk && e.op.allocated) by_name[e.op.name].push_back(&e);
  }
  for (auto& [name, allocations] : by_name) {
    // Contiguity, and the count asked for.
    for (const Entry* e : allocations) {
      const SequenceOp& op = e->op;
      if (op.got_count != op.count || op.end != op.start + (op.got_count - 1) * op.increment) {
        result.violations.push_back("allocation not contiguous or of the wrong size:\n    " + describe(*e));
      }
    }
    // Idempotent retries: one allocation per key; they are not new values.
    std::map<std::string, const Entry*> by_key;
    std::vector<const Entry*> distinct;
    for (const Entry* e : allocations) {
      if (e->op.idempotency_key.empty()) {
        distinct.push_back(e);
        continue;
      }
      auto [it, added] = by_key.try_emplace(e->op.idempotency_key, e);
      if (added) {
        distinct.push_back(e);
      } else if (!same_allocation(it->second->op, e->op)) {
        result.violations.push_back("a retry with the same idempotency key got another allocation:\n    " +
                                    describe(*it->second) + "\n    " + describe(*e));
        distinct.push_back(e);
      }
    }
    // Uniqueness: sorted by start, each allocation is checked against the
    // ones that begin inside it.
    std::sort(distinct.begin(), distinct.end(),
              [](const Entry* a, const Entry* b) { return a->op.start < b->op.start; });
    for (std::size_t i = 0; i < distinct.size(); ++i) {
      result.values += distinct[i]->op.got_count;
      for (std::size_t j = i + 1; j < distinct.size() && distinct[j]->op.start <= distinct[i]->op.end; ++j) {
        if (share_a_value(distinct[i]->op, distinct[j]->op)) {
          result.violations.push_back("a value was handed out twice:\n    " + describe(*distinct[i]) +
                                      "\n    " + describe(*distinct[j]));
        }
      }
    }
  }
  result.ok = result.violations.empty();
  return result;
}

}  // namespace kahuna::faults
