#include <kahuna/client/async_transaction.h>

#include "transaction_calls.h"
#include "transaction_drop.h"

namespace kahuna::client {

namespace {

const TxResult& no_reply() {
  static const TxResult none{};
  return none;
}

const std::string& no_key() {
  static const std::string none;
  return none;
}

// What a call on a handle of no transaction (default-made, moved from) answers.
template <class T>
asio::awaitable<Result<T>> no_transaction() {
  co_return Error{ErrorKind::kInvalidArgument, "no transaction: the handle is empty or was moved from"};
}

}  // namespace

AsyncTransaction::AsyncTransaction(std::shared_ptr<detail::TransactionState> state)
    : state_(std::move(state)) {}

AsyncTransaction& AsyncTransaction::operator=(AsyncTransaction&& other) noexcept {
  if (this != &other) {
    detail::roll_back_on_drop(state_, std::nullopt);
    state_ = std::move(other.state_);
  }
  return *this;
}

AsyncTransaction::~AsyncTransaction() { detail::roll_back_on_drop(state_, std::nullopt); }

TransactionStatus AsyncTransaction::status() const noexcept {
  return state_ ? state_->status.load() : TransactionStatus::kNotStarted;
}

const TxResult& AsyncTransaction::start_reply() const noexcept {
  return state_ ? state_->start_reply : no_reply();
}

HlcTimestamp AsyncTransaction::id() const noexcept { return state_ ? state_->id : HlcTimestamp{}; }

const std::string& AsyncTransaction::coordinator_key() const noexcept {
  return state_ ? state_->coordinator_key : no_key();
}

std::optional<KvCode> AsyncTransaction::conflict() const noexcept {
  if (!state_) return std::nullopt;
  const KvCode code = state_->conflict.load();
  if (code == KvCode::kSet) return std::nullopt;
  return code;
}

const TxResult& AsyncTransaction::end_reply() const noexcept {
  return state_ ? state_->end_reply : no_reply();
}

std::optional<Error> AsyncTransaction::failure() const { return state_ ? state_->failure : std::nullopt; }

asio::awaitable<Result<KvResult>> AsyncTransaction::set(std::string key, std::optional<std::string> value,
                                                        SetOptions options) {
  if (!state_) return no_transaction<KvResult>();
  return detail::session_set(state_, std::move(key), std::move(value), std::move(options));
}

asio::awaitable<Result<KvResult>> AsyncTransaction::get(std::string key, ReadOptions options) {
  if (!state_) return no_transaction<KvResult>();
  return detail::session_get(state_, std::move(key), std::move(options));
}

asio::awaitable<Result<KvResult>> AsyncTransaction::exists(std::string key, ReadOptions options) {
  if (!state_) return no_transaction<KvResult>();
  return detail::session_exists(state_, std::move(key), std::move(options));
}

asio::awaitable<Result<KvResult>> AsyncTransaction::remove(std::string key, WriteOptions options) {
  if (!state_) return no_transaction<KvResult>();
  return detail::session_remove(state_, std::move(key), std::move(options));
}

asio::awaitable<Result<KvResult>> AsyncTransaction::extend(std::string key, std::chrono::milliseconds ttl,
                                                           WriteOptions options) {
  if (!state_) return no_transaction<KvResult>();
  return detail::session_extend(state_, std::move(key), ttl, std::move(options));
}

asio::awaitable<Result<ScanResult>> AsyncTransaction::get_by_bucket(std::string bucket, ScanOptions options) {
  if (!state_) return no_transaction<ScanResult>();
  return detail::session_get_by_bucket(state_, std::move(bucket), std::move(options));
}

asio::awaitable<Result<BatchResult>> AsyncTransaction::delete_many(std::vector<KvKeyRequest> items,
                                                                   BasicOptions options) {
  if (!state_) return no_transaction<BatchResult>();
  return detail::session_delete_many(state_, std::move(items), options);
}

asio::awaitable<Result<TxResult>> AsyncTransaction::lock(std::string key, LockOptions options) {
  if (!state_) return no_transaction<TxResult>();
  return detail::session_lock(state_, std::move(key), std::move(options));
}

asio::awaitable<Result<TxResult>> AsyncTransaction::commit(BasicOptions options) {
  if (!state_) return no_transaction<TxResult>();
  return detail::session_commit(state_, options);
}

asio::awaitable<Result<TxResult>> AsyncTransaction::rollback(BasicOptions options) {
  if (!state_) return no_transaction<TxResult>();
  return detail::session_rollback(state_, options);
}

}  // namespace kahuna::client
