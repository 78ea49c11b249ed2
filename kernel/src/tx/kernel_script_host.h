// KernelScriptHost: a Kahuna Script's view of the cluster (script/script_host.h)
// — every key/value statement becomes a call on the kernel, and the script's
// transaction a session of its own (tx/tx_session.h), run by the same calls
// as an interactive one (tx/session_calls.h) and committed by the kernel's
// coordinator.
//
// The interpreter is synchronous, the kernel asynchronous: a script runs on
// a thread of its own (never an io thread), and each host method starts its
// kernel call on the io threads and waits for it there.
//
// A pessimistic transaction (BEGIN without options, or locking="pessimistic")
// first locks every key the script may touch in any branch (Script::keys),
// all at once, so it runs without meeting a conflict; a key another
// transaction holds ends the script with 104 at once. An optimistic one
// (locking="optimistic", and the implicit transaction of an auto-commit
// script) locks nothing: every read is validated at commit, and a conflict
// aborts it there (102). Ephemeral keys and reads of a past revision or time
// are served directly, outside the transaction. A scan inside a transaction
// shows the transaction's own writes but is not validated against keys
// created meanwhile.
#pragma once

#include <chrono>
#include <optional>

#include <kahuna/kernel_api.h>
#include <asio/any_io_executor.hpp>

#include "script/script_host.h"
#include "services/clock/hlc.h"
#include "tx/session_calls.h"
#include "tx/tx_session.h"

namespace kahuna {

class Kernel;

class KernelScriptHost final : public script::ScriptHost {
 public:
  using Clock = std::chrono::steady_clock;

  // Calls run on `io`; the run must end by `deadline`.
  // `keys`: what a pessimistic transaction locks before the script runs;
  // `auto_commit`: the script is one implicit transaction (optimistic).
  KernelScriptHost(Kernel& kernel, asio::any_io_executor io, services::HybridClock& clock,
                   Clock::time_point deadline, std::vector<std::string> keys, bool auto_commit)
      : kernel_(kernel),
        io_(std::move(io)),
        clock_(clock),
        calls_(kernel, clock),
        deadline_(deadline),
        keys_(std::move(keys)),
        auto_commit_(auto_commit) {}

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
  // The end of the current call: the script's deadline, or the
  // transaction's if it ends first.
  Clock::time_point call_deadline() const;
  // Ends the open transaction, if any, releasing its locks.
  void release_transaction();
  // The Status that ends a script after a session call answered `reply`.
  static Status status_of(const TxSessionReply& reply);

  Kernel& kernel_;
  asio::any_io_executor io_;
  services::HybridClock& clock_;
  SessionCalls calls_;
  Clock::time_point deadline_;
  std::vector<std::string> keys_;
  bool auto_commit_;

  std::optional<TxSession> tx_;  // the open transaction
  bool commit_unknown_ = false;
};

}  // namespace kahuna
