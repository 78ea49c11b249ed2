// Client: the blocking API — each method runs the AsyncClient call of the
// same name on the client's own thread and waits for its result.
#include <kahuna/client/client.h>

#include <future>
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/use_future.hpp>

#include "blocking_wait.h"
#include "lock_state.h"
#include "transaction_retry.h"

namespace kahuna::client {

struct Client::Runtime {
  explicit Runtime(ClientOptions options)
      : work(asio::make_work_guard(io)),
        async(io.get_executor(), std::move(options)),
        thread([this] { io.run(); }) {}

  ~Runtime() {
    // Shut down on the client's thread (the AsyncClient is not thread-safe),
    // then let the io_context run out of work.
    std::promise<void> done;
    asio::post(io, [this, &done] {
      async.shutdown();
      done.set_value();
    });
    done.get_future().wait();
    work.reset();
    thread.join();
  }

  // Runs `call` (an awaitable made by the AsyncClient) on the client's thread
  // and waits for its result.
  template <class T>
  Result<T> wait(asio::awaitable<Result<T>> call) {
    return detail::wait_on(io.get_executor(), thread.get_id(), std::move(call));
  }

  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  AsyncClient async;
  std::thread thread;
};

Client::Client(ClientOptions options) : runtime_(std::make_unique<Runtime>(std::move(options))) {}

Client::~Client() = default;

ClientMetrics Client::metrics() const { return runtime_->async.metrics(); }

AsyncClient& Client::async() noexcept { return runtime_->async; }

asio::any_io_executor Client::executor() const { return runtime_->io.get_executor(); }

Result<LockResult> Client::try_lock(std::string resource, std::string owner, std::chrono::milliseconds lease,
                                    LockOptions options) {
  return runtime_->wait(
      runtime_->async.try_lock(std::move(resource), std::move(owner), lease, std::move(options)));
}

Result<LockResult> Client::acquire_lock(std::string resource, std::string owner,
                                        std::chrono::milliseconds lease, std::chrono::milliseconds wait,
                                        LockOptions options) {
  return runtime_->wait(
      runtime_->async.acquire_lock(std::move(resource), std::move(owner), lease, wait, std::move(options)));
}

Result<LockResult> Client::extend_lock(std::string resource, std::string owner,
                                       std::chrono::milliseconds lease, LockOptions options) {
  return runtime_->wait(
      runtime_->async.extend_lock(std::move(resource), std::move(owner), lease, std::move(options)));
}

Result<LockResult> Client::unlock(std::string resource, std::string owner, LockOptions options) {
  return runtime_->wait(runtime_->async.unlock(std::move(resource), std::move(owner), std::move(options)));
}

Result<LockResult> Client::get_lock(std::string resource, LockOptions options) {
  return runtime_->wait(runtime_->async.get_lock(std::move(resource), std::move(options)));
}

Result<LockHandle> Client::lock(std::string resource, std::chrono::milliseconds lease,
                                std::chrono::milliseconds wait, LockHandleOptions options) {
  Result<LockHandle> handle =
      runtime_->wait(runtime_->async.lock(std::move(resource), lease, wait, std::move(options)));
  if (handle && handle->state_) handle->state_->blocking_io_thread = runtime_->thread.get_id();
  return handle;
}

Result<KvResult> Client::set(std::string key, std::optional<std::string> value, SetOptions options) {
  return runtime_->wait(runtime_->async.set(std::move(key), std::move(value), std::move(options)));
}

Result<KvResult> Client::get(std::string key, ReadOptions options) {
  return runtime_->wait(runtime_->async.get(std::move(key), std::move(options)));
}

Result<KvResult> Client::exists(std::string key, ReadOptions options) {
  return runtime_->wait(runtime_->async.exists(std::move(key), std::move(options)));
}

Result<KvResult> Client::remove(std::string key, WriteOptions options) {
  return runtime_->wait(runtime_->async.remove(std::move(key), std::move(options)));
}

Result<KvResult> Client::extend(std::string key, std::chrono::milliseconds ttl, WriteOptions options) {
  return runtime_->wait(runtime_->async.extend(std::move(key), ttl, std::move(options)));
}

Result<BatchResult> Client::set_many(std::vector<KvSetRequest> items, BasicOptions options) {
  return runtime_->wait(runtime_->async.set_many(std::move(items), options));
}

Result<BatchResult> Client::get_many(std::vector<KvGetRequest> items, BasicOptions options) {
  return runtime_->wait(runtime_->async.get_many(std::move(items), options));
}

Result<BatchResult> Client::exists_many(std::vector<KvGetRequest> items, BasicOptions options) {
  return runtime_->wait(runtime_->async.exists_many(std::move(items), options));
}

Result<BatchResult> Client::remove_many(std::vector<KvKeyRequest> items, BasicOptions options) {
  return runtime_->wait(runtime_->async.remove_many(std::move(items), options));
}

Result<ScanResult> Client::get_by_bucket(std::string bucket, ScanOptions options) {
  return runtime_->wait(runtime_->async.get_by_bucket(std::move(bucket), std::move(options)));
}

Result<ScanResult> Client::scan_prefix(std::string prefix, ScanOptions options) {
  return runtime_->wait(runtime_->async.scan_prefix(std::move(prefix), std::move(options)));
}

Result<RangePage> Client::get_range(std::string key_space, RangeOptions options) {
  return runtime_->wait(runtime_->async.get_range(std::move(key_space), std::move(options)));
}

Result<std::vector<KvItem>> Client::get_range_all(std::string key_space, RangeOptions options) {
  return runtime_->wait(runtime_->async.get_range_all(std::move(key_space), std::move(options)));
}

Result<SequenceResult> Client::create_sequence(SequenceCreateRequest request, BasicOptions options) {
  return runtime_->wait(runtime_->async.create_sequence(std::move(request), options));
}

Result<SequenceResult> Client::get_sequence(std::string name, BasicOptions options) {
  return runtime_->wait(runtime_->async.get_sequence(std::move(name), options));
}

Result<SequenceResult> Client::update_sequence(SequenceUpdateRequest request, BasicOptions options) {
  return runtime_->wait(runtime_->async.update_sequence(std::move(request), options));
}

Result<SequenceResult> Client::next(std::string name, std::optional<std::string> idempotency_key,
                                    SequenceOptions options) {
  return runtime_->wait(runtime_->async.next(std::move(name), std::move(idempotency_key), options));
}

Result<SequenceResult> Client::reserve(std::string name, std::int64_t count,
                                       std::optional<std::string> idempotency_key, SequenceOptions options) {
  return runtime_->wait(runtime_->async.reserve(std::move(name), count, std::move(idempotency_key), options));
}

Result<SequenceResult> Client::delete_sequence(std::string name, BasicOptions options) {
  return runtime_->wait(runtime_->async.delete_sequence(std::move(name), options));
}

Result<ScriptResult> Client::execute_script(std::string script, std::vector<ScriptParameter> parameters,
                                            ScriptOptions options) {
  return runtime_->wait(runtime_->async.execute_script(std::move(script), std::move(parameters), options));
}

Result<Transaction> Client::begin_transaction(std::string coordinator_key, TransactionOptions options) {
  Result<AsyncTransaction> begun =
      runtime_->wait(runtime_->async.begin_transaction(std::move(coordinator_key), std::move(options)));
  if (!begun) return begun.error();
  return Transaction(std::move(begun.value()), runtime_->thread.get_id());
}

Result<TxResult> Client::with_transaction(std::string coordinator_key, std::function<void(Transaction&)> body,
                                          TransactionOptions options) {
  // The attempts run here, on the caller's thread: `body` makes blocking
  // calls, which the client's own thread could not wait for.
  detail::TransactionRetry retry(options);
  for (;;) {
    Result<Transaction> begun = begin_transaction(coordinator_key, options);
    if (!begun) return begun.error();
    Transaction& tx = begun.value();
    if (tx.status() == TransactionStatus::kNotStarted) return tx.start_reply();
    try {
      body(tx);
    } catch (...) {
      (void)tx.rollback();
      throw;
    }
    Result<TxResult> outcome = Error{ErrorKind::kClosed, "no result"};
    if (!tx.active()) {
      outcome = tx.end_reply();  // `body` ended it itself
    } else if (const std::optional<KvCode> conflict = tx.conflict()) {
      (void)tx.rollback();
      outcome = detail::TransactionRetry::conflict_reply(*conflict);
    } else if (const std::optional<Error> failure = tx.failure()) {
      (void)tx.rollback();
      outcome = detail::TransactionRetry::failure_error(*failure);
    } else {
      outcome = tx.commit();
    }
    if (!outcome || !retry.again(*outcome)) return outcome;
    std::this_thread::sleep_for(retry.delay());
  }
}

Result<ClusterStatus> Client::cluster_status(BasicOptions options) {
  return runtime_->wait(runtime_->async.cluster_status(options));
}

Result<ClusterChangeResult> Client::cluster_join(std::vector<std::string> seeds, NodeOptions options) {
  return runtime_->wait(runtime_->async.cluster_join(std::move(seeds), std::move(options)));
}

Result<ClusterChangeResult> Client::cluster_leave(NodeOptions options) {
  return runtime_->wait(runtime_->async.cluster_leave(std::move(options)));
}

Result<ClusterChangeResult> Client::cluster_remove(std::uint64_t node_id, BasicOptions options) {
  return runtime_->wait(runtime_->async.cluster_remove(node_id, options));
}

Result<ClusterChangeResult> Client::set_replication_factor(std::uint32_t factor, std::uint32_t partition,
                                                           BasicOptions options) {
  return runtime_->wait(runtime_->async.set_replication_factor(factor, partition, options));
}

}  // namespace kahuna::client
