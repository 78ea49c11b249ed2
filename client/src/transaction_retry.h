// TransactionRetry: with_transaction's attempts — which outcomes call for
// another one, whether one is left, and how long to wait before it.
//
// An attempt that lost a conflict (its commit answered aborted, or one of
// its calls answered aborted or alreadyLocked) is run again after an
// exponential back-off with jitter, so that transactions that collided do
// not collide again in step; anything else (committed, an outcome unknown,
// a refusal) is final. Above all an outcome unknown: the attempt may have
// committed, and running it again could apply it twice.
#pragma once

#include <chrono>

#include <kahuna/client/call_options.h>
#include <kahuna/client/replies.h>
#include <kahuna/client/result.h>

#include "backoff.h"

namespace kahuna::client::detail {

class TransactionRetry {
 public:
  explicit TransactionRetry(const TransactionOptions& options);

  // Whether an attempt that ended with `reply` is to be run again: it lost a
  // conflict and attempts are left. Counts the attempt.
  bool again(const TxResult& reply);
  // The wait before the next attempt.
  std::chrono::milliseconds delay() { return backoff_.next(); }

  // What stands for an attempt whose call answered `conflict` (aborted or
  // alreadyLocked): it was rolled back, not committed.
  static TxResult conflict_reply(KvCode conflict);
  // What stands for an attempt one of whose calls failed with `failure`: it
  // was rolled back, not committed (so never an unknown outcome), and not
  // run again — a cluster that failed a call is not asked for more.
  static Error failure_error(const Error& failure);

 private:
  const int max_attempts_;
  int attempts_ = 0;
  Backoff backoff_;
};

}  // namespace kahuna::client::detail
