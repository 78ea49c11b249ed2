// AsyncTransaction: an interactive transaction (a "session",
// TRANSACTIONS.md §2) in the coroutine API.
//
//   auto begun = co_await client.begin_transaction("accounts");
//   if (!begun || !begun->active()) co_return;
//   AsyncTransaction tx = std::move(begun.value());
//   auto from = co_await tx.get("accounts/alice");
//   auto written = co_await tx.set("accounts/alice", "90");
//   auto committed = co_await tx.commit();   // committed, aborted or unknown
//
// Reads see the transaction's own writes; nothing it writes is visible
// elsewhere before commit, and after a `committed` answer every read
// anywhere sees all of it. The keys may live on any partitions.
//
// Each call answers as its plain form does (async_client.h), plus `aborted`
// (102: the transaction lost a conflict, a lock or its time, and will not
// commit) and `alreadyLocked` (104: another transaction holds the key; the
// reply's holder names it). A call that answered either marks the
// transaction conflicted(): it is best rolled back and run again, which is
// what AsyncClient::with_transaction does. A call that failed without an
// answer (an Error) is kept as failure(): the transaction may lack its
// effect, so with_transaction rolls it back rather than commit.
//
// commit() answers committed, aborted, or outcome unknown (98) when the
// client could not learn the decision (the reply was lost, the server had
// not learnt it yet); commit() may then be called again, as often as
// needed: it asks for the decision through the record the first commit
// named. Must-retry answers and lost replies of every call are resent with
// the call's operation id, so the server runs each call once.
//
// A transaction neither committed nor rolled back when its handle goes is
// rolled back in the background (the server also ends it at its timeout).
// Movable, not copyable; its calls must be awaited on the client's executor,
// one at a time. The client must outlive the calls; the handle may outlive
// the client (its calls then fail with kClosed).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>

#include <kahuna/client/call_options.h>
#include <kahuna/client/replies.h>
#include <kahuna/client/result.h>
#include <kahuna/client/transaction_status.h>
#include <kahuna/types.h>

namespace kahuna::client {

namespace detail {
struct TransactionState;
}

class AsyncTransaction {
 public:
  // A handle of no transaction.
  AsyncTransaction() = default;
  explicit AsyncTransaction(std::shared_ptr<detail::TransactionState> state);
  AsyncTransaction(AsyncTransaction&& other) noexcept = default;
  // Rolls back what this handle held (in the background), then takes over `other`'s.
  AsyncTransaction& operator=(AsyncTransaction&& other) noexcept;
  AsyncTransaction(const AsyncTransaction&) = delete;
  AsyncTransaction& operator=(const AsyncTransaction&) = delete;
  // Starts a rollback unless the transaction is decided; does not wait for it.
  ~AsyncTransaction();

  TransactionStatus status() const noexcept;
  // Started and not yet committed, aborted or rolled back.
  bool active() const noexcept { return status() == TransactionStatus::kActive; }
  // What the start answered: code kSet (started) with the transaction id, or
  // why it did not start (invalidInput, admission refused...).
  const TxResult& start_reply() const noexcept;
  // The id the server gave the transaction (zero when it did not start).
  HlcTimestamp id() const noexcept;
  const std::string& coordinator_key() const noexcept;
  // The first aborted or alreadyLocked a call answered; nullopt: none.
  std::optional<KvCode> conflict() const noexcept;
  bool conflicted() const noexcept { return conflict().has_value(); }
  // The last commit's or rollback's answer: once decided, the decision.
  const TxResult& end_reply() const noexcept;
  // The first call that failed without an answer (an Error: unreachable,
  // deadline...), whose effect the transaction may lack; nullopt: none.
  // with_transaction rolls such an attempt back rather than commit it.
  std::optional<Error> failure() const;

  // set (new revision) or notSet, as AsyncClient::set; aborted, alreadyLocked.
  asio::awaitable<Result<KvResult>> set(std::string key, std::optional<std::string> value,
                                        SetOptions options = {});
  // get or doesNotExist (the transaction's own writes included).
  asio::awaitable<Result<KvResult>> get(std::string key, ReadOptions options = {});
  asio::awaitable<Result<KvResult>> exists(std::string key, ReadOptions options = {});
  // deleted or doesNotExist.
  asio::awaitable<Result<KvResult>> remove(std::string key, WriteOptions options = {});
  // extended or doesNotExist.
  asio::awaitable<Result<KvResult>> extend(std::string key, std::chrono::milliseconds ttl,
                                           WriteOptions options = {});
  // Every live key of key space `bucket`, with the transaction's own writes.
  asio::awaitable<Result<ScanResult>> get_by_bucket(std::string bucket, ScanOptions options = {});
  // One row per item, in the items' order.
  asio::awaitable<Result<BatchResult>> delete_many(std::vector<KvKeyRequest> items,
                                                   BasicOptions options = {});
  // Locks `key` for the transaction until it ends: locked, or alreadyLocked
  // (holder set), aborted.
  asio::awaitable<Result<TxResult>> lock(std::string key, LockOptions options = {});

  // committed, aborted or outcome unknown (see above). A decided transaction
  // answers its decision again without a call.
  asio::awaitable<Result<TxResult>> commit(BasicOptions options = {});
  // rolledBack (committed when a commit had already decided it).
  asio::awaitable<Result<TxResult>> rollback(BasicOptions options = {});

 private:
  friend class Transaction;  // the blocking handle is made from this one
  std::shared_ptr<detail::TransactionState> state_;
};

}  // namespace kahuna::client
