// The bank invariant over a history of transfers and read-alls
// (TRANSACTIONS.md §6): accounts start with a known total, transfers only
// move money between them, so every read of all the accounts that committed
// — the final one, made after the faults, included — sums to that total, and
// no account is ever negative (a transfer moves only what its source has).
//
// Transfers with an unknown outcome may or may not have applied: the
// invariant holds either way, so they need no special case. A read-all is
// one transaction; if transactions were not atomic or not isolated (a
// transfer applied on one partition only, a read seeing half of one, a lost
// update), some committed read would show a wrong sum.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "history.h"

namespace kahuna::faults {

struct BankOp {
  enum class Kind { kTransfer, kReadAll };
  Kind kind = Kind::kReadAll;
  bool pessimistic = false;  // BEGIN (locking="pessimistic"), else an auto-commit (optimistic) script
  // Transfer: `amount` from `from` to `to` if `from` has it; when committed,
  // whether it moved the money.
  std::string from{};
  std::string to{};
  std::int64_t amount = 0;
  bool moved = false;
  // Read-all, committed: each account's balance in the accounts' order
  // (nullopt: absent or not a number), and the text the script returned.
  std::vector<std::optional<std::int64_t>> balances{};
  std::string returned{};
  bool final_read = false;  // the read made after the faults, with the cluster whole
  std::string answer{};     // the reply as the workload saw it ("102 aborted: ..."), for reports
};

struct BankCheckResult {
  bool ok = true;
  int reads = 0;            // committed read-alls checked
  int transfers = 0;        // committed transfers
  int moved = 0;            // of which moved money
  bool final_read = false;  // a committed final read was among them
  std::vector<std::string> violations{};
};

// Checks every committed read-all of `history` against `accounts` accounts
// holding `total` in all.
BankCheckResult check_bank(const std::vector<Recorded<BankOp>>& history, std::size_t accounts,
                           std::int64_t total);

// "12;30;0;41;17" → the balances; a field that is not an integer is nullopt.
std::vector<std::optional<std::int64_t>> parse_balances(const std::string& text);

std::string describe(const Recorded<BankOp>& entry);

}  // namespace kahuna::faults
