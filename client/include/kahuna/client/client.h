// Client: the blocking API of the Kahuna SDK.
//
//   kahuna::client::Client client({.endpoints = {"127.0.0.1:7100"}});
//   auto reply = client.set("users/7", "some-value");
//   if (!reply) std::cerr << reply.error().to_string() << '\n';
//
// It owns an io_context and the one thread that runs it, and an AsyncClient
// on it; every method runs the AsyncClient call of the same name there and
// waits for its result, so the semantics (routing, retries, deadlines,
// outcome codes) are those documented in async_client.h. Methods may be
// called from any number of threads at once, but never from a callback
// running on the client's own thread (on_lost, for one).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <kahuna/client/async_client.h>
#include <kahuna/client/call_options.h>
#include <kahuna/client/client_options.h>
#include <kahuna/client/lock_handle.h>
#include <kahuna/client/replies.h>
#include <kahuna/client/result.h>
#include <kahuna/client/transaction.h>

namespace kahuna::client {

class Client {
 public:
  explicit Client(ClientOptions options = {});
  // Shuts the AsyncClient down and joins the thread.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  ClientMetrics metrics() const;

  // The AsyncClient this client drives, for coroutines spawned on executor().
  AsyncClient& async() noexcept;
  asio::any_io_executor executor() const;

  // Locks.
  Result<LockResult> try_lock(std::string resource, std::string owner, std::chrono::milliseconds lease,
                              LockOptions options = {});
  Result<LockResult> acquire_lock(std::string resource, std::string owner, std::chrono::milliseconds lease,
                                  std::chrono::milliseconds wait, LockOptions options = {});
  Result<LockResult> extend_lock(std::string resource, std::string owner, std::chrono::milliseconds lease,
                                 LockOptions options = {});
  Result<LockResult> unlock(std::string resource, std::string owner, LockOptions options = {});
  Result<LockResult> get_lock(std::string resource, LockOptions options = {});
  // The handle's destructor waits for the unlock (see lock_handle.h).
  Result<LockHandle> lock(std::string resource, std::chrono::milliseconds lease,
                          std::chrono::milliseconds wait = std::chrono::milliseconds(0),
                          LockHandleOptions options = {});

  // Key/value.
  Result<KvResult> set(std::string key, std::optional<std::string> value, SetOptions options = {});
  Result<KvResult> get(std::string key, ReadOptions options = {});
  Result<KvResult> exists(std::string key, ReadOptions options = {});
  Result<KvResult> remove(std::string key, WriteOptions options = {});
  Result<KvResult> extend(std::string key, std::chrono::milliseconds ttl, WriteOptions options = {});
  Result<BatchResult> set_many(std::vector<KvSetRequest> items, BasicOptions options = {});
  Result<BatchResult> get_many(std::vector<KvGetRequest> items, BasicOptions options = {});
  Result<BatchResult> exists_many(std::vector<KvGetRequest> items, BasicOptions options = {});
  Result<BatchResult> remove_many(std::vector<KvKeyRequest> items, BasicOptions options = {});
  Result<ScanResult> get_by_bucket(std::string bucket, ScanOptions options = {});
  Result<ScanResult> scan_prefix(std::string prefix, ScanOptions options = {});
  Result<RangePage> get_range(std::string key_space, RangeOptions options = {});
  Result<std::vector<KvItem>> get_range_all(std::string key_space, RangeOptions options = {});

  // Sequences.
  Result<SequenceResult> create_sequence(SequenceCreateRequest request, BasicOptions options = {});
  Result<SequenceResult> get_sequence(std::string name, BasicOptions options = {});
  Result<SequenceResult> update_sequence(SequenceUpdateRequest request, BasicOptions options = {});
  Result<SequenceResult> next(std::string name, std::optional<std::string> idempotency_key = {},
                              SequenceOptions options = {});
  Result<SequenceResult> reserve(std::string name, std::int64_t count,
                                 std::optional<std::string> idempotency_key = {},
                                 SequenceOptions options = {});
  Result<SequenceResult> delete_sequence(std::string name, BasicOptions options = {});

  // Transactions and scripts. A Transaction's destructor rolls back what it
  // did not end, waiting for that (see transaction.h). with_transaction runs
  // `body` on the calling thread, once per attempt.
  Result<ScriptResult> execute_script(std::string script, std::vector<ScriptParameter> parameters = {},
                                      ScriptOptions options = {});
  Result<Transaction> begin_transaction(std::string coordinator_key, TransactionOptions options = {});
  Result<TxResult> with_transaction(std::string coordinator_key, std::function<void(Transaction&)> body,
                                    TransactionOptions options = {});

  // Cluster.
  Result<ClusterStatus> cluster_status(BasicOptions options = {});
  Result<ClusterChangeResult> cluster_join(std::vector<std::string> seeds, NodeOptions options = {});
  Result<ClusterChangeResult> cluster_leave(NodeOptions options = {});
  Result<ClusterChangeResult> cluster_remove(std::uint64_t node_id, BasicOptions options = {});
  Result<ClusterChangeResult> set_replication_factor(std::uint32_t factor, std::uint32_t partition = 0,
                                                     BasicOptions options = {});

 private:
  struct Runtime;
  std::unique_ptr<Runtime> runtime_;
};

}  // namespace kahuna::client
