// Transaction: an interactive transaction in the blocking API, made by
// Client::begin_transaction.
//
//   auto begun = client.begin_transaction("accounts");
//   if (!begun || !begun->active()) return;
//   Transaction& tx = *begun;
//   auto balance = tx.get("accounts/alice");
//   tx.set("accounts/alice", "90");
//   auto committed = tx.commit();  // committed, aborted or unknown
//
// Its calls and their answers are those of AsyncTransaction
// (async_transaction.h), each run on the client's thread and waited for.
// A transaction neither committed nor rolled back when the handle goes is
// rolled back: the destructor waits for the rollback, at most its call
// deadline, unless it runs on the client's own thread (then it starts it and
// returns); it never throws. After the client was shut down it does
// nothing (the server ends the session at its timeout).
//
// Movable, not copyable; one thread at a time. Never call it from the
// client's own thread (a callback of the client).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <kahuna/client/async_transaction.h>
#include <kahuna/client/call_options.h>
#include <kahuna/client/replies.h>
#include <kahuna/client/result.h>
#include <kahuna/client/transaction_status.h>

namespace kahuna::client {

class Transaction {
 public:
  // A handle of no transaction.
  Transaction() = default;
  // Takes over `started`'s transaction, to be driven from threads other than
  // `io_thread`, the one that runs the client's executor.
  Transaction(AsyncTransaction started, std::thread::id io_thread);
  Transaction(Transaction&& other) noexcept = default;
  // Rolls back what this handle held, then takes over `other`'s.
  Transaction& operator=(Transaction&& other) noexcept;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  TransactionStatus status() const noexcept;
  bool active() const noexcept { return status() == TransactionStatus::kActive; }
  const TxResult& start_reply() const noexcept;
  HlcTimestamp id() const noexcept;
  const std::string& coordinator_key() const noexcept;
  std::optional<KvCode> conflict() const noexcept;
  bool conflicted() const noexcept { return conflict().has_value(); }
  const TxResult& end_reply() const noexcept;
  std::optional<Error> failure() const;

  Result<KvResult> set(std::string key, std::optional<std::string> value, SetOptions options = {});
  Result<KvResult> get(std::string key, ReadOptions options = {});
  Result<KvResult> exists(std::string key, ReadOptions options = {});
  Result<KvResult> remove(std::string key, WriteOptions options = {});
  Result<KvResult> extend(std::string key, std::chrono::milliseconds ttl, WriteOptions options = {});
  Result<ScanResult> get_by_bucket(std::string bucket, ScanOptions options = {});
  Result<BatchResult> delete_many(std::vector<KvKeyRequest> items, BasicOptions options = {});
  Result<TxResult> lock(std::string key, LockOptions options = {});
  Result<TxResult> commit(BasicOptions options = {});
  Result<TxResult> rollback(BasicOptions options = {});

 private:
  AsyncTransaction async_;
  std::thread::id io_thread_{};
};

}  // namespace kahuna::client
