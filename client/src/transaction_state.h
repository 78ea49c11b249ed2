// TransactionState: what the handles of one interactive session
// (AsyncTransaction, Transaction) and the calls they run share.
//
// The session is named on the wire by its context (TxContext): the
// transaction id the server minted at start, the coordinator key (which
// decides the node that owns the session) and an operation id. Each call
// takes a fresh operation id once, before its first attempt; every resend of
// that call repeats it, so the server answers a resend with the first
// attempt's answer instead of running the call twice.
//
// Everything but the atomics is touched only on the client's executor; the
// atomics let a handle's accessors be read from the thread that owns it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <kahuna/client/call_options.h>
#include <kahuna/client/replies.h>
#include <kahuna/client/result.h>
#include <kahuna/client/transaction_status.h>
#include <kahuna/types.h>

namespace kahuna::client::detail {

class ClientCore;

struct TransactionState {
  TransactionState(std::shared_ptr<ClientCore> core, std::string coordinator_key, TransactionOptions options);

  // The session's context with a new operation id (executor only).
  TxContext next_context();

  // Notes a call's answer: aborted or alreadyLocked mark the session
  // conflicted (with_transaction then retries it rather than commit).
  void note_answer(KvCode code) noexcept;
  // Notes a call that failed (executor only): the first is kept, and
  // with_transaction never commits over it.
  void note_failure(const Error& error);

  const std::shared_ptr<ClientCore> core;
  const std::string coordinator_key;
  const TransactionOptions options;

  TxResult start_reply{};
  HlcTimestamp id{};  // set before the handle is shared
  // What the last commit named as the session's decision record, for the
  // next commit or rollback to ask about once the session itself is gone.
  std::optional<std::string> record_anchor_key{};
  // The reply that decided the session (committed, aborted, rolledBack), or
  // the last commit's or rollback's.
  TxResult end_reply{};

  // The first call that failed without an answer (unreachable, deadline...).
  std::optional<Error> failure{};

  std::atomic<TransactionStatus> status{TransactionStatus::kNotStarted};
  // The first aborted (102) or alreadyLocked (104) a call answered; kSet: none.
  std::atomic<KvCode> conflict{KvCode::kSet};

 private:
  const std::uint64_t operation_high_;  // random per session, never 0
  std::uint64_t last_operation_ = 0;
};

}  // namespace kahuna::client::detail
