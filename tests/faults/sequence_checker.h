// Sequencer safety over a history of reserve/next calls (HTTP-API.md §7):
// no value is handed out twice, every allocation is contiguous
// (end = start + (count - 1) * increment), and calls repeated with the same
// idempotency key return the identical allocation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "history.h"

namespace kahuna::faults {

struct SequenceOp {
  std::string name{};
  std::int64_t count = 1;      // requested
  std::int64_t increment = 1;  // the sequence's step, known to the workload
  std::string idempotency_key{};  // empty: none
  // With an ok outcome and `allocated`: the allocation returned.
  bool allocated = false;
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::int64_t got_count = 0;
};

struct SequenceCheckResult {
  bool ok = true;
  std::int64_t values = 0;  // distinct values handed out
  std::vector<std::string> violations{};
};

SequenceCheckResult check_sequences(const std::vector<Recorded<SequenceOp>>& history);

std::string describe(const Recorded<SequenceOp>& entry);

}  // namespace kahuna::faults
