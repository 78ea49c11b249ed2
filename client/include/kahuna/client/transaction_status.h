// Where a transaction (AsyncTransaction, Transaction) stands, as its client
// last learnt it.
#pragma once

#include <string_view>

namespace kahuna::client {

enum class TransactionStatus {
  kNotStarted,     // the start was refused (see start_reply()); nothing can be done with it
  kActive,         // started: reads, writes, locks, commit and rollback may be sent
  kCommitUnknown,  // a commit's outcome is not known: commit() again (or roll back) to learn it
  kCommitted,      // every write is visible everywhere
  kAborted,        // it did not commit and never will
  kRolledBack,     // rolled back: nothing was written
};

// "notStarted", "active", "commitUnknown", "committed", "aborted", "rolledBack".
constexpr std::string_view to_string(TransactionStatus status) noexcept {
  switch (status) {
    case TransactionStatus::kNotStarted: return "notStarted";
    case TransactionStatus::kActive: return "active";
    case TransactionStatus::kCommitUnknown: return "commitUnknown";
    case TransactionStatus::kCommitted: return "committed";
    case TransactionStatus::kAborted: return "aborted";
    case TransactionStatus::kRolledBack: return "rolledBack";
  }
  return "notStarted";
}

// True once the transaction's fate is decided (committed, aborted, rolled back).
constexpr bool is_decided(TransactionStatus status) noexcept {
  return status == TransactionStatus::kCommitted || status == TransactionStatus::kAborted ||
         status == TransactionStatus::kRolledBack;
}

}  // namespace kahuna::client
