// Sequencer safety over a history of reserve/next calls (HTTP-API.md §7):
// no value is handed out twice, every allocation is contiguous
// (end = start + (count - 1) * increment), and calls repeated with the same
// idempotency key return the identical allocation.
//
// A failed call (never sent, or `mustRetry` in strict mode) did not happen:
// only answered allocations count. One that took effect anyway cannot be
// seen here: values may skip (a leader's unused block is dropped when it
// loses leadership), and so may revisions (a call the server resends
// internally can be served from a new leader's block after the first send's
// block was committed), so a value or revision handed to nobody proves
// nothing. Strict mode catches broken `mustRetry` promises through the
// registers, locks and unique writes instead.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "history.h"

namespace kahuna::faults {

struct SequenceOp {
  std::string name{};
  std::int64_t count = 1;         // requested
  std::int64_t increment = 1;     // the sequence's step, known to the workload
  std::string idempotency_key{};  // empty: none
  // With an ok outcome and `allocated`: the allocation returned.
  bool allocated = false;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::int64_t got_count = 0;
  std::int64_t revision = 0;  // the allocation's revision (for the reports)
};

struct SequenceCheckResult {
  bool ok = true;
  std::int64_t values = 0;  // distinct values handed out
  std::vector<std::string> violations{};
};

SequenceCheckResult check_sequences(const std::vector<Recorded<SequenceOp>>& history);

std::string describe(const Recorded<SequenceOp>& entry);

}  // namespace kahuna::faults
