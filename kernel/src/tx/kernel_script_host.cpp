#include "tx/kernel_script_host.h"

#include <algorithm>
#include <future>
#include <stdexcept>
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/use_future.hpp>

#include "api/kernel.h"

namespace kahuna {
namespace {

// The longest one call of a script may take, within the script's own time.
constexpr auto kCallTimeout = std::chrono::seconds(5);
// How often a waiting script looks whether the node is shutting down.
constexpr auto kStopCheck = std::chrono::milliseconds(100);

}  // namespace

template <class T>
T KernelScriptHost::call(asio::awaitable<T> operation) {
  std::future<T> result = asio::co_spawn(io_, std::move(operation), asio::use_future);
  // A node shutting down stops its io threads: a call queued behind them
  // would never answer, and the script's thread (which the kernel joins)
  // would wait forever. The interpreter turns the exception into an error.
  while (result.wait_for(kStopCheck) != std::future_status::ready) {
    if (kernel_.stopping()) throw std::runtime_error("the node is shutting down");
  }
  return result.get();
}

CallOptions KernelScriptHost::options() const {
  CallOptions options;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
  options.timeout = std::clamp(left, std::chrono::milliseconds(1), std::chrono::milliseconds(kCallTimeout));
  return options;
}

KernelScriptHost::Clock::time_point KernelScriptHost::call_deadline() const {
  const Clock::time_point limit = std::min(deadline_, Clock::now() + kCallTimeout);
  return tx_ ? std::min(limit, tx_->until()) : limit;
}

Status KernelScriptHost::status_of(const TxSessionReply& reply) {
  switch (reply.code) {
    case KvCode::kLocked:
    case KvCode::kCommitted:
    case KvCode::kRolledBack: return Status::ok();
    case KvCode::kAlreadyLocked: return Status::busy(reply.reason);
    case KvCode::kAborted: return Status::aborted(reply.reason);
    case KvCode::kInvalidInput: return Status::invalid_argument(reply.reason);
    case KvCode::kMustRetry: return Status::must_retry(reply.reason);
    default: return Status::internal(reply.reason.empty() ? "the commit's outcome is unknown" : reply.reason);
  }
}

Status KernelScriptHost::set(const KvSetRequest& request, KvReply& reply) {
  if (!tx_) {
    reply = call(kernel_.kv_set(request, options())).reply;
    return Status::ok();
  }
  reply = call(calls_.set(*tx_, request, call_deadline()));
  return Status::ok();
}

Status KernelScriptHost::get(const KvGetRequest& request, KvReply& reply) {
  if (!tx_) {
    reply = call(kernel_.kv_get(request, options())).reply;
    return Status::ok();
  }
  reply = call(calls_.get(*tx_, request, true, call_deadline()));
  return Status::ok();
}

Status KernelScriptHost::exists(const KvGetRequest& request, KvReply& reply) {
  if (!tx_) {
    reply = call(kernel_.kv_exists(request, options())).reply;
    return Status::ok();
  }
  reply = call(calls_.get(*tx_, request, false, call_deadline()));
  return Status::ok();
}

Status KernelScriptHost::remove(const KvKeyRequest& request, KvReply& reply) {
  if (!tx_) {
    reply = call(kernel_.kv_delete(request, options())).reply;
    return Status::ok();
  }
  reply = call(calls_.remove(*tx_, request, call_deadline()));
  return Status::ok();
}

Status KernelScriptHost::extend(const KvExtendRequest& request, KvReply& reply) {
  if (!tx_) {
    reply = call(kernel_.kv_extend(request, options())).reply;
    return Status::ok();
  }
  reply = call(calls_.extend(*tx_, request, call_deadline()));
  return Status::ok();
}

Status KernelScriptHost::get_by_bucket(const KvPrefixRequest& request, KvScanReply& reply) {
  if (!tx_) {
    reply = call(kernel_.kv_get_by_bucket(request, options())).reply;
    return Status::ok();
  }
  reply = call(calls_.get_by_bucket(*tx_, request, call_deadline()));
  return Status::ok();
}

Status KernelScriptHost::scan_by_prefix(const KvPrefixRequest& request, KvScanReply& reply) {
  reply = call(kernel_.kv_scan_prefix(request, options()));
  return Status::ok();
}

Status KernelScriptHost::begin(const script::TransactionOptions& options) {
  if (tx_) return Status::internal("a transaction is already open");
  const std::int64_t timeout_ms = std::min(options.timeout_ms.value_or(kDefaultTimeoutMs), kMaxTimeoutMs);
  // A BEGIN without options is a session's default, pessimistic; the
  // implicit transaction of an auto-commit script is optimistic — it pays
  // no lock round before it runs, and validation keeps it serializable.
  const script::LockingMode implied =
      auto_commit_ ? script::LockingMode::kOptimistic : script::LockingMode::kPessimistic;
  const bool pessimistic = options.locking.value_or(implied) == script::LockingMode::kPessimistic;
  const HlcTimestamp id = clock_.now();
  tx_.emplace(id, std::string(), pessimistic ? TxLocking::kPessimistic : TxLocking::kOptimistic,
              HlcTimestamp{}, services::hlc_after(id, timeout_ms),
              std::min(Clock::now() + std::chrono::milliseconds(timeout_ms), deadline_));
  if (!pessimistic || keys_.empty()) return Status::ok();
  // Every key the script may touch, locked before it runs: it then meets
  // no conflict, and a key held elsewhere ends it at once.
  const TxSessionReply locked = call(calls_.lock_all(*tx_, keys_, call_deadline()));
  const Status status = status_of(locked);
  // Refused: the script ends here, never having opened its transaction, so
  // nobody else will release what it did lock.
  if (!status.is_ok()) release_transaction();
  return status;
}

Status KernelScriptHost::commit() {
  if (!tx_) return Status::internal("no transaction is open");
  const TxSessionReply committed = call(calls_.commit(*tx_, tx_->until()));
  if (committed.code == KvCode::kOutcomeUnknown) commit_unknown_ = true;
  // Whatever the answer, the script's transaction is over: an unknown one
  // is settled by the partitions' sweep; one no leader took (mustRetry,
  // nothing written) still holds its locks, released now.
  if (committed.code == KvCode::kMustRetry) release_transaction();
  tx_.reset();
  return status_of(committed);
}

Status KernelScriptHost::rollback() {
  release_transaction();
  return Status::ok();
}

void KernelScriptHost::release_transaction() {
  if (!tx_) return;
  // Its locks go now; its writes were never outside the session.
  call(calls_.rollback(*tx_, call_deadline()));
  tx_.reset();
}

Status KernelScriptHost::sleep(std::int64_t ms) {
  const auto wanted = Clock::now() + std::chrono::milliseconds(ms);
  const auto limit = tx_ ? std::min(tx_->until(), deadline_) : deadline_;
  const auto until = std::min(wanted, limit);
  // In slices, so a node shutting down does not wait out a long SLEEP.
  while (Clock::now() < until) {
    if (kernel_.stopping()) return Status::must_retry("the node is shutting down");
    std::this_thread::sleep_until(std::min(until, Clock::now() + kStopCheck));
  }
  if (wanted > limit) {
    return Status::aborted(tx_ ? "the transaction timed out while sleeping"
                               : "the script timed out while sleeping");
  }
  return Status::ok();
}

}  // namespace kahuna
