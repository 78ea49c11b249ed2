#include <kahuna/client/transaction.h>

#include "blocking_wait.h"
#include "client_core.h"
#include "transaction_drop.h"
#include "transaction_state.h"

namespace kahuna::client {

namespace {

// Runs one of the async handle's calls on the client's thread and waits for it.
template <class T>
Result<T> run(const std::shared_ptr<detail::TransactionState>& state, std::thread::id io_thread,
              asio::awaitable<Result<T>> call) {
  if (!state)
    return Error{ErrorKind::kInvalidArgument, "no transaction: the handle is empty or was moved from"};
  // The client's executor may be gone with it.
  if (state->core->closed()) return Error{ErrorKind::kClosed, "the client was shut down"};
  return detail::wait_on(state->core->executor(), io_thread, std::move(call));
}

}  // namespace

Transaction::Transaction(AsyncTransaction started, std::thread::id io_thread)
    : async_(std::move(started)), io_thread_(io_thread) {}

Transaction& Transaction::operator=(Transaction&& other) noexcept {
  if (this != &other) {
    detail::roll_back_on_drop(async_.state_, io_thread_);
    async_.state_.reset();  // rolled back (or given up on) here: not again by the async handle
    async_ = std::move(other.async_);
    io_thread_ = other.io_thread_;
  }
  return *this;
}

Transaction::~Transaction() {
  detail::roll_back_on_drop(async_.state_, io_thread_);
  async_.state_.reset();
}

TransactionStatus Transaction::status() const noexcept { return async_.status(); }
const TxResult& Transaction::start_reply() const noexcept { return async_.start_reply(); }
HlcTimestamp Transaction::id() const noexcept { return async_.id(); }
const std::string& Transaction::coordinator_key() const noexcept { return async_.coordinator_key(); }
std::optional<KvCode> Transaction::conflict() const noexcept { return async_.conflict(); }
const TxResult& Transaction::end_reply() const noexcept { return async_.end_reply(); }
std::optional<Error> Transaction::failure() const { return async_.failure(); }

Result<KvResult> Transaction::set(std::string key, std::optional<std::string> value, SetOptions options) {
  return run(async_.state_, io_thread_, async_.set(std::move(key), std::move(value), std::move(options)));
}

Result<KvResult> Transaction::get(std::string key, ReadOptions options) {
  return run(async_.state_, io_thread_, async_.get(std::move(key), std::move(options)));
}

Result<KvResult> Transaction::exists(std::string key, ReadOptions options) {
  return run(async_.state_, io_thread_, async_.exists(std::move(key), std::move(options)));
}

Result<KvResult> Transaction::remove(std::string key, WriteOptions options) {
  return run(async_.state_, io_thread_, async_.remove(std::move(key), std::move(options)));
}

Result<KvResult> Transaction::extend(std::string key, std::chrono::milliseconds ttl, WriteOptions options) {
  return run(async_.state_, io_thread_, async_.extend(std::move(key), ttl, std::move(options)));
}

Result<ScanResult> Transaction::get_by_bucket(std::string bucket, ScanOptions options) {
  return run(async_.state_, io_thread_, async_.get_by_bucket(std::move(bucket), std::move(options)));
}

Result<BatchResult> Transaction::delete_many(std::vector<KvKeyRequest> items, BasicOptions options) {
  return run(async_.state_, io_thread_, async_.delete_many(std::move(items), options));
}

Result<TxResult> Transaction::lock(std::string key, LockOptions options) {
  return run(async_.state_, io_thread_, async_.lock(std::move(key), std::move(options)));
}

Result<TxResult> Transaction::commit(BasicOptions options) {
  return run(async_.state_, io_thread_, async_.commit(options));
}

Result<TxResult> Transaction::rollback(BasicOptions options) {
  return run(async_.state_, io_thread_, async_.rollback(options));
}

}  // namespace kahuna::client
