#include "transaction_retry.h"

#include <algorithm>
#include <string>

namespace kahuna::client::detail {

TransactionRetry::TransactionRetry(const TransactionOptions& options)
    : max_attempts_(std::max(options.max_attempts, 1)),
      backoff_(options.initial_backoff, options.max_backoff) {}

bool TransactionRetry::again(const TxResult& reply) {
  ++attempts_;
  const bool lost_a_conflict = reply.code == KvCode::kAborted || reply.code == KvCode::kAlreadyLocked;
  return lost_a_conflict && attempts_ < max_attempts_;
}

TxResult TransactionRetry::conflict_reply(KvCode conflict) {
  TxResult reply;
  reply.code = conflict;
  reply.reason =
      "a call of the transaction answered " + std::string(to_string(conflict)) + "; it was rolled back";
  return reply;
}

Error TransactionRetry::failure_error(const Error& failure) {
  // Nothing was committed: the commit was never sent.
  const ErrorKind kind = failure.kind == ErrorKind::kOutcomeUnknown ? ErrorKind::kDeadline : failure.kind;
  return Error{kind, "a call of the transaction failed, so it was rolled back: " + failure.to_string()};
}

}  // namespace kahuna::client::detail
