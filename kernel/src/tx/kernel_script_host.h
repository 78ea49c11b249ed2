// KernelScriptHost: a Kahuna Script's view of the cluster (script/script_host.h)
// — every key/value statement becomes a call on the kernel, and the script's
// transaction a TransactionBuffer committed by the kernel's coordinator.
//
// The interpreter is synchronous, the kernel asynchronous: a script runs on
// a thread of its own (never an io thread), and each host method starts its
// kernel call on the io threads and waits for it there.
//
// Inside a transaction persistent keys are read once from their partitions
// (linearizable reads, recorded for validation) and written into the buffer;
// nothing is visible outside until commit, which validates every read and
// writes every key atomically (tx/tx_coordinator.h). Both locking modes run
// this way: a conflict aborts the transaction at commit (102) rather than
// waiting on a lock. Ephemeral keys and reads of a past revision or time are
// served directly, outside the transaction. A scan inside a transaction
// shows the transaction's own writes but is not validated against keys
// created meanwhile.
#pragma once

#include <chrono>
#include <optional>

#include <kahuna/kernel_api.h>
#include <asio/any_io_executor.hpp>

#include "script/script_host.h"
#include "services/clock/hlc.h"
#include "tx/transaction_buffer.h"

namespace kahuna {

class Kernel;

class KernelScriptHost final : public script::ScriptHost {
 public:
  using Clock = std::chrono::steady_clock;

  // Calls run on `io`; the run must end by `deadline`.
  KernelScriptHost(Kernel& kernel, asio::any_io_executor io, services::HybridClock& clock,
                   Clock::time_point deadline)
      : kernel_(kernel), io_(std::move(io)), clock_(clock), deadline_(deadline) {}

  Status set(const KvSetRequest& request, KvReply& reply) override;
  Status get(const KvGetRequest& request, KvReply& reply) override;
  Status exists(const KvGetRequest& request, KvReply& reply) override;
  Status remove(const KvKeyRequest& request, KvReply& reply) override;
  Status extend(const KvExtendRequest& request, KvReply& reply) override;
  Status get_by_bucket(const KvPrefixRequest& request, KvScanReply& reply) override;
  Status scan_by_prefix(const KvPrefixRequest& request, KvScanReply& reply) override;
  Status begin(const script::TransactionOptions& options) override;
  Status commit() override;
  Status rollback() override;
  Status sleep(std::int64_t ms) override;
  HlcTimestamp now() override { return clock_.now(); }

  // Whether the last commit's outcome could not be learned (the script's
  // answer is then "unknown", not an error).
  bool commit_outcome_unknown() const noexcept { return commit_unknown_; }

  // A transaction's time when BEGIN gives none, and the most it may ask.
  static constexpr std::int64_t kDefaultTimeoutMs = 5000;
  static constexpr std::int64_t kMaxTimeoutMs = 300000;

 private:
  // Runs `operation` on the io threads and waits for its result.
  template <class T>
  T call(asio::awaitable<T> operation);
  CallOptions options() const;
  // Reads `key`'s latest version into the transaction, if it has not yet;
  // a non-ok Status (or a failure in `failed`) ends the script.
  Status read_into_transaction(const std::string& key, KvReply& failed, bool& ok);
  // Whether `durability` and the query make a call part of the transaction.
  bool transactional(Durability durability) const { return tx_ && durability == Durability::kPersistent; }

  Kernel& kernel_;
  asio::any_io_executor io_;
  services::HybridClock& clock_;
  Clock::time_point deadline_;

  std::optional<TransactionBuffer> tx_;
  HlcTimestamp tx_id_;
  HlcTimestamp tx_deadline_;
  Clock::time_point tx_until_;
  bool commit_unknown_ = false;
};

}  // namespace kahuna
