// SessionCalls: what each call of an interactive session does against the
// cluster (TRANSACTIONS.md §2), on the node that owns the session.
//
// Persistent keys take part in the transaction: a pessimistic session first
// locks the key (a kLock intent on its partition, tx_session.h), then reads
// its latest version into the session's buffer once; an optimistic one only
// reads it. Writes go to the buffer; nothing is visible outside before
// commit, which validates every read and writes every key atomically through
// the coordinator (tx/tx_coordinator.h) — the locks are part of its plan,
// so they end with it. Ephemeral keys, reads of a past revision or time and
// sessions that read as of a time are served directly, outside the
// transaction. A bucket read shows the session's own writes; it is not
// validated against keys created meanwhile.
//
// Every answer is the truth about the session: a lock not granted changes
// nothing (alreadyLocked, or mustRetry); a commit answers committed,
// aborted, or outcome unknown — and a later commit of the same session
// learns the decision from the anchor's record.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <kahuna/kernel_api.h>
#include <asio/awaitable.hpp>

#include "services/clock/hlc.h"
#include "services/commands/command.h"
#include "tx/tx_session.h"

namespace kahuna {

class Kernel;

class SessionCalls {
 public:
  using Clock = std::chrono::steady_clock;

  SessionCalls(Kernel& kernel, services::HybridClock& clock) : kernel_(kernel), clock_(clock) {}

  asio::awaitable<KvReply> set(TxSession& session, KvSetRequest request, Clock::time_point deadline);
  // get (with_value) or exists.
  asio::awaitable<KvReply> get(TxSession& session, KvGetRequest request, bool with_value,
                               Clock::time_point deadline);
  asio::awaitable<KvReply> remove(TxSession& session, KvKeyRequest request, Clock::time_point deadline);
  asio::awaitable<KvReply> extend(TxSession& session, KvExtendRequest request, Clock::time_point deadline);
  asio::awaitable<KvScanReply> get_by_bucket(TxSession& session, KvPrefixRequest request,
                                             Clock::time_point deadline);
  asio::awaitable<TxSessionReply> lock(TxSession& session, std::string key, Clock::time_point deadline);
  // Locks every key of `keys` — one prepare per partition, in the order of
  // the partitions' ids: what a pessimistic script does before it runs.
  // kLocked, or the first refusal (what it did lock stays in the session's
  // lock set, released when it ends).
  asio::awaitable<TxSessionReply> lock_all(TxSession& session, std::vector<std::string> keys,
                                           Clock::time_point deadline);
  asio::awaitable<TxSessionReply> commit(TxSession& session, Clock::time_point deadline);
  asio::awaitable<TxSessionReply> rollback(TxSession& session, Clock::time_point deadline);
  // Ends a session past its time: aborted, its locks released.
  asio::awaitable<void> expire(TxSession& session);
  // The outcome of session `id`, which this node does not hold, from the
  // decision record on `anchor_key`'s partition: committed, aborted (for a
  // rollback: rolledBack), or outcome unknown. A record still undecided is
  // decided aborted — the session that could have committed it is gone.
  asio::awaitable<TxSessionReply> learn(HlcTimestamp id, std::string anchor_key, bool rollback,
                                        Clock::time_point deadline);

 private:
  // Locks `key` for a pessimistic session, once: kLocked, or alreadyLocked,
  // aborted, invalidInput, mustRetry.
  asio::awaitable<TxSessionReply> acquire(TxSession& session, const std::string& key,
                                          Clock::time_point deadline);
  // Makes `key` part of the transaction — locked (pessimistic) and read
  // into the buffer. False with `failed` set when it could not be.
  asio::awaitable<bool> enter(TxSession& session, const std::string& key, Clock::time_point deadline,
                              KvReply& failed);
  // Runs one participant command on `partition`'s leader under one request
  // id, resent while the answer is mustRetry, until `deadline`.
  asio::awaitable<TxReply> step(std::uint32_t partition, services::CommandBody body,
                                Clock::time_point deadline);
  // Drops the session's locks on `keys` (its intents, undecided or aborted).
  asio::awaitable<void> release(const TxSession& session, std::vector<std::string> keys);
  // Releases every lock and marks the session aborted with `reason`.
  asio::awaitable<TxSessionReply> end_aborted(TxSession& session, std::string reason);
  // Settles a session whose commit's outcome is unknown, from its record.
  asio::awaitable<TxSessionReply> settle_unknown(TxSession& session, bool rollback,
                                                 Clock::time_point deadline);
  CallOptions options_until(Clock::time_point deadline) const;
  bool in_transaction(const TxSession& session, Durability durability) const {
    return durability == Durability::kPersistent && session.read_timestamp().is_zero();
  }

  Kernel& kernel_;
  services::HybridClock& clock_;
};

}  // namespace kahuna
