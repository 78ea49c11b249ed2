// RegisterHistory: client operations on a single register and a linearizability check
// (Wing & Gong search with Lowe's memoization of (linearized set, state)).
//
// Every write stores a unique value. Writes whose value no node ever applied are
// dropped before checking (nothing can have observed them, so leaving them out is
// always allowed); reads that never returned are dropped too. All remaining operations
// are complete, each with a call and a return time from one global event counter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kahuna::raft::sim {

struct RegisterOp {
  bool is_write = false;
  std::string value;  // written value, or value returned by the read
  std::uint64_t call = 0;
  std::uint64_t ret = 0;  // 0 while pending
};

// The outcome of one linearizability search: proven linearizable (violation empty and
// not exhausted), proven not linearizable (violation set), or unknown (exhausted).
struct SearchVerdict {
  std::string violation;    // description with the history, or ""
  bool exhausted = false;   // the budget ran out before the search finished
  std::uint64_t steps = 0;  // search steps taken, to watch how close seeds get to it
};

class RegisterHistory {
 public:
  // Returns the id of the new operation.
  std::size_t invoke(bool is_write, std::string value, std::uint64_t call_time);
  void complete(std::size_t op, std::uint64_t return_time);
  void complete_read(std::size_t op, std::string value, std::uint64_t return_time);
  const RegisterOp& op(std::size_t id) const { return ops_[id]; }
  std::size_t size() const { return ops_.size(); }

  // The operations that returned: the ones every check looks at.
  std::vector<RegisterOp> completed() const;

  // One line per completed operation, for failure reports.
  std::string describe() const;

  // Searches for a linearization of the completed operations against a register whose
  // initial value is `initial`, giving up after `budget` search steps. A search that
  // gives up has proven nothing either way: callers must not read it as a pass (see
  // linearizability_check.h for the policy the simulation applies).
  SearchVerdict check(const std::string& initial, std::uint64_t budget) const;

 private:
  std::vector<RegisterOp> ops_;
};

}  // namespace kahuna::raft::sim
