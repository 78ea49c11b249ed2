// The bank workload (TRANSACTIONS.md §6): accounts on several partitions,
// set up with a known total by one script; client processes run transfer
// and read-all scripts through random nodes, half as auto-commit
// (optimistic) scripts and half in BEGIN (locking="pessimistic") … COMMIT
// END, and record them for bank_checker.h.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bank_checker.h"
#include "script_call.h"
#include "workloads.h"

namespace kahuna::faults {

struct Bank {
  std::vector<std::string> accounts;  // keys, on several partitions
  std::int64_t opening_balance = 20;  // of each account
  std::int64_t total() const { return opening_balance * static_cast<std::int64_t>(accounts.size()); }
};

// `count` accounts named after `stem`, spread over `partitions` partitions.
Bank make_bank(const std::string& stem, int count, std::uint32_t partitions);

// Sets every account to its opening balance in one transaction, through the
// nodes in turn, until it commits (a second run is harmless); false if it
// did not within `deadline`.
bool open_bank(const std::vector<std::string>& endpoints, const Bank& bank,
               std::chrono::milliseconds deadline);

// Transfers (2 in 3) and read-alls until `stopping`, each through a random
// node; counts every answer in `tally` when given.
void run_bank_process(const ProcessContext& context, const Bank& bank, const std::atomic<bool>& stopping,
                      History<BankOp>& history, ScriptTally* tally = nullptr);

// The final read, with the cluster whole: one read-all, repeated through the
// nodes until it commits or `deadline` passes, every attempt recorded in
// `history` as process `context.process`. Returns whether one committed.
bool read_bank_finally(const ProcessContext& context, const Bank& bank, std::chrono::milliseconds deadline,
                       History<BankOp>& history);

// What the committed final read saw, as text by account (for writing the
// final state back); empty when none committed.
std::map<std::string, std::string> final_balances(const Bank& bank,
                                                  const std::vector<Recorded<BankOp>>& history);

}  // namespace kahuna::faults
