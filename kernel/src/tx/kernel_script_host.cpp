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

bool read_answered(KvCode code) { return code == KvCode::kGet || code == KvCode::kDoesNotExist; }

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

Status KernelScriptHost::read_into_transaction(const std::string& key, KvReply& failed, bool& ok) {
  ok = true;
  if (!tx_->needs_read(key)) return Status::ok();
  KvGetRequest request{KvGetQuery{key, -1, {}}, Durability::kPersistent};
  // The commit validates every read, so a read inside a transaction need not
  // be linearizable: where this node leads the key's partition its applied
  // state is read at once, saving the ReadIndex round. A stale answer (a
  // leader that has not applied its predecessor's last writes yet) fails
  // validation and aborts, never commits. Elsewhere the read goes to the
  // leader, or a lagging replica would abort most transactions.
  CallOptions read_options = options();
  if (kernel_.leads_key(key)) read_options.consistency = ReadConsistency::kLocal;
  const KvReply reply = call(kernel_.kv_get(std::move(request), read_options)).reply;
  if (!read_answered(reply.code)) {
    failed = reply;  // invalidInput, mustRetry, ...: the script ends with it
    ok = false;
    return Status::ok();
  }
  tx_->record_read(key, reply, clock_.now());
  return Status::ok();
}

Status KernelScriptHost::set(const KvSetRequest& request, KvReply& reply) {
  if (!transactional(request.durability)) {
    reply = call(kernel_.kv_set(request, options())).reply;
    return Status::ok();
  }
  bool ok = false;
  if (Status s = read_into_transaction(request.key, reply, ok); !s.is_ok() || !ok) return s;
  reply = tx_->set(request, clock_.now());
  return Status::ok();
}

Status KernelScriptHost::get(const KvGetRequest& request, KvReply& reply) {
  const bool latest = request.query.revision < 0 && request.query.read_timestamp.is_zero();
  if (!transactional(request.durability) || !latest) {
    reply = call(kernel_.kv_get(request, options())).reply;
    return Status::ok();
  }
  bool ok = false;
  if (Status s = read_into_transaction(request.query.key, reply, ok); !s.is_ok() || !ok) return s;
  reply = tx_->get(request.query.key);
  return Status::ok();
}

Status KernelScriptHost::exists(const KvGetRequest& request, KvReply& reply) {
  const bool latest = request.query.revision < 0 && request.query.read_timestamp.is_zero();
  if (!transactional(request.durability) || !latest) {
    reply = call(kernel_.kv_exists(request, options())).reply;
    return Status::ok();
  }
  bool ok = false;
  if (Status s = read_into_transaction(request.query.key, reply, ok); !s.is_ok() || !ok) return s;
  reply = tx_->exists(request.query.key);
  return Status::ok();
}

Status KernelScriptHost::remove(const KvKeyRequest& request, KvReply& reply) {
  if (!transactional(request.durability)) {
    reply = call(kernel_.kv_delete(request, options())).reply;
    return Status::ok();
  }
  bool ok = false;
  if (Status s = read_into_transaction(request.key, reply, ok); !s.is_ok() || !ok) return s;
  reply = tx_->remove(request.key);
  return Status::ok();
}

Status KernelScriptHost::extend(const KvExtendRequest& request, KvReply& reply) {
  if (!transactional(request.durability)) {
    reply = call(kernel_.kv_extend(request, options())).reply;
    return Status::ok();
  }
  bool ok = false;
  if (Status s = read_into_transaction(request.key, reply, ok); !s.is_ok() || !ok) return s;
  reply = tx_->extend(request.key, request.expires_ms, clock_.now());
  return Status::ok();
}

Status KernelScriptHost::get_by_bucket(const KvPrefixRequest& request, KvScanReply& reply) {
  reply = call(kernel_.kv_get_by_bucket(request, options())).reply;
  if (transactional(request.durability) && request.read_timestamp.is_zero() && reply.code == KvCode::kGet) {
    reply.items = tx_->overlay(request.prefix, std::move(reply.items));
  }
  return Status::ok();
}

Status KernelScriptHost::scan_by_prefix(const KvPrefixRequest& request, KvScanReply& reply) {
  reply = call(kernel_.kv_scan_prefix(request, options()));
  if (transactional(request.durability) && request.read_timestamp.is_zero() && reply.code == KvCode::kGet) {
    reply.items = tx_->overlay(request.prefix, std::move(reply.items));
  }
  return Status::ok();
}

Status KernelScriptHost::begin(const script::TransactionOptions& options) {
  if (tx_) return Status::internal("a transaction is already open");
  const std::int64_t timeout_ms = std::min(options.timeout_ms.value_or(kDefaultTimeoutMs), kMaxTimeoutMs);
  tx_.emplace();
  tx_id_ = clock_.now();
  tx_deadline_ = services::hlc_after(tx_id_, timeout_ms);
  tx_until_ = std::min(Clock::now() + std::chrono::milliseconds(timeout_ms), deadline_);
  return Status::ok();
}

Status KernelScriptHost::commit() {
  if (!tx_) return Status::internal("no transaction is open");
  TransactionBuffer buffer = std::move(*tx_);
  tx_.reset();
  if (buffer.empty()) return Status::ok();  // it read and wrote nothing: nothing to validate
  if (Clock::now() >= tx_until_) return Status::aborted("the transaction timed out");
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(tx_until_ - Clock::now());
  const TxOutcome outcome = call(kernel_.commit_transaction(buffer.plan(tx_id_, tx_deadline_), left));
  switch (outcome.code) {
    case TxCode::kCommitted: return Status::ok();
    case TxCode::kAborted:
      if (outcome.key.empty()) return Status::aborted("the transaction timed out before it committed");
      if (!outcome.holder.is_zero()) {
        return Status::aborted("conflict: another transaction holds '" + outcome.key.substr(0, 200) + "'");
      }
      return Status::aborted("conflict: '" + outcome.key.substr(0, 200) + "' changed since it was read");
    case TxCode::kInvalidInput: return Status::invalid_argument("the transaction's writes were refused");
    case TxCode::kMustRetry: return Status::must_retry("no leader took the commit; nothing was written");
    default: commit_unknown_ = true; return Status::internal("the commit's outcome is unknown");
  }
}

Status KernelScriptHost::rollback() {
  tx_.reset();  // nothing was written outside the buffer
  return Status::ok();
}

Status KernelScriptHost::sleep(std::int64_t ms) {
  const auto wanted = Clock::now() + std::chrono::milliseconds(ms);
  const auto limit = tx_ ? std::min(tx_until_, deadline_) : deadline_;
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
