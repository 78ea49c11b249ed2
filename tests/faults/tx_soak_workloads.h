// The soak's transaction workloads for one epoch: the bank (5 accounts) and
// list-append (6 lists) processes on fresh keys, and — once the epoch's
// faults are undone and the clients stopped — their checks: no key held past
// every transaction's deadline, the final state read in one transaction, the
// bank's invariant, the list-append history's serializability.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bank_workload.h"
#include "list_append_workload.h"
#include "soak_report.h"
#include "strictness.h"
#include "workers.h"

namespace kahuna::faults {

class TxSoakWorkloads {
 public:
  // Keys named after `tag` (one per epoch), spread over `partitions`.
  TxSoakWorkloads(const std::string& tag, std::uint32_t partitions, std::vector<std::string> endpoints,
                  Strictness strictness);

  // Opens the bank on a whole cluster; on failure adds a harness error, and
  // the bank does not run this epoch.
  void prepare(std::vector<std::string>& harness_errors);
  // Three bank and three list-append processes on `workers`, with seeds
  // derived from `seed`. `workers` must stop before this object goes.
  void spawn(Workers& workers, std::uint64_t seed);
  // With every node back and the clients stopped at `ended`: waits out the
  // longest transaction's deadline, then checks, into `result` (operations
  // and verdicts "bank", "list-append", "held keys").
  void check(std::chrono::steady_clock::time_point ended, EpochResult& result);

 private:
  CheckVerdict bank_verdict(const std::vector<Recorded<BankOp>>& entries, bool read_finally) const;
  CheckVerdict list_append_verdict(const std::vector<Recorded<ListAppendOp>>& entries,
                                   bool read_finally) const;

  std::vector<std::string> endpoints_;
  Strictness strictness_;
  Bank bank_;
  bool bank_open_ = false;
  std::vector<std::string> lists_;
  History<BankOp> bank_history_;
  History<ListAppendOp> list_history_;
  ScriptTally bank_tally_;
  ScriptTally list_tally_;
};

}  // namespace kahuna::faults
