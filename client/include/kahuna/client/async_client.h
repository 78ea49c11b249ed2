// AsyncClient: the coroutine API of the Kahuna SDK.
//
//   asio::io_context io;
//   kahuna::client::AsyncClient client(io.get_executor(), {.endpoints = {"127.0.0.1:7100"}});
//   asio::co_spawn(io, [&]() -> asio::awaitable<void> {
//     auto reply = co_await client.try_lock("jobs/42", "worker-1", std::chrono::seconds(10));
//     if (reply && reply->code == kahuna::LockCode::kLocked) use(reply->fencing_token);
//   }, asio::detached);
//   io.run();
//
// Routing: the client reads the cluster map (data partitions, the leader of
// each, every node's binary endpoint) from any node, computes the partition
// of each key, lock or sequence with the server's own placement function
// (kahuna/placement.h), and sends the request straight to that partition's
// leader. It keeps one connection per node, opened on first use, with any
// number of requests in flight on it. A reply's route updates the map; a
// must-retry, a connection failure or a timeout refreshes it, and so does a
// reply from a node that applied newer cluster metadata (a member joined or
// left, replicas moved) than the status the map was read from
// (ClientMetrics::map_metadata_version).
//
// Retries: must-retry and outcome-unknown replies and transport failures
// are retried with exponential backoff and jitter until the call's deadline
// (ClientOptions::call_deadline unless the call's options give one);
// outcomes are never retried. Every write carries a request id — this
// client's random number and a per-call sequence number — that each retry
// repeats unchanged, whichever node it goes to; the cluster applies an id
// at most once and answers a repeat with the first apply's reply. So a write
// whose reply was lost is never applied twice, and its retry reports what
// the first run did (a conditional set that ran says set, not notSet). When
// the deadline passes and some attempt may have been applied, the call
// returns Error{kOutcomeUnknown}; kDeadline and kUnreachable mean no attempt
// was. (The server remembers ids for a bounded time and number; a retry
// comes well within both.)
//
// Threading: every call must be made from a coroutine running on the
// client's executor, and that executor must not run handlers concurrently
// (an io_context run by one thread, or a strand). Each call takes its
// arguments by value. The client must outlive the calls it started; lock
// handles may outlive it (their calls then fail with kClosed).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include <kahuna/client/async_transaction.h>
#include <kahuna/client/call_options.h>
#include <kahuna/client/client_options.h>
#include <kahuna/client/lock_handle.h>
#include <kahuna/client/replies.h>
#include <kahuna/client/result.h>
#include <kahuna/types.h>

namespace kahuna::client {

namespace detail {
class ClientCore;
}

class AsyncClient {
 public:
  // Nothing is dialled before the first call.
  AsyncClient(asio::any_io_executor executor, ClientOptions options);
  // Shuts down: closes every connection, stops lock handles' background extends.
  ~AsyncClient();
  AsyncClient(const AsyncClient&) = delete;
  AsyncClient& operator=(const AsyncClient&) = delete;

  // Fails every call in flight and every later one with kClosed. Called from
  // the client's executor (the destructor does it too).
  void shutdown();

  // Counters since construction; may be read from any thread.
  ClientMetrics metrics() const;

  asio::any_io_executor executor() const;

  // ---- Locks (HTTP-API.md §5) ------------------------------------------------
  // `owner` is opaque bytes naming the holder; `lease` > 0.

  // locked (with the fencing token) or busy.
  asio::awaitable<Result<LockResult>> try_lock(std::string resource, std::string owner,
                                               std::chrono::milliseconds lease, LockOptions options = {});
  // Acquire with wait: queues on the leader up to `wait`, granted in arrival
  // order; busy once `wait` has passed. The call's deadline is extended by `wait`.
  asio::awaitable<Result<LockResult>> acquire_lock(std::string resource, std::string owner,
                                                   std::chrono::milliseconds lease,
                                                   std::chrono::milliseconds wait, LockOptions options = {});
  // extended, invalidOwner or lockDoesNotExist.
  asio::awaitable<Result<LockResult>> extend_lock(std::string resource, std::string owner,
                                                  std::chrono::milliseconds lease, LockOptions options = {});
  // unlocked, invalidOwner or lockDoesNotExist.
  asio::awaitable<Result<LockResult>> unlock(std::string resource, std::string owner,
                                             LockOptions options = {});
  // got (owner, expires, fencing token) or lockDoesNotExist.
  asio::awaitable<Result<LockResult>> get_lock(std::string resource, LockOptions options = {});

  // A lock held for as long as the handle lives: acquired with `wait` (0:
  // one try), extended in the background every lease/3, released when the
  // handle is released or destroyed. The Result is an Error only when the
  // call failed; a lock held by someone else gives a handle that does not
  // own it (handle.code() == busy).
  asio::awaitable<Result<LockHandle>> lock(std::string resource, std::chrono::milliseconds lease,
                                           std::chrono::milliseconds wait = std::chrono::milliseconds(0),
                                           LockHandleOptions options = {});

  // ---- Key/value (HTTP-API.md §6) --------------------------------------------
  // A value of nullopt is "no value" (distinct from the empty value).

  // set (new revision) or notSet (current revision) when options' condition fails.
  asio::awaitable<Result<KvResult>> set(std::string key, std::optional<std::string> value,
                                        SetOptions options = {});
  // get (value, revision, expiry) or doesNotExist.
  asio::awaitable<Result<KvResult>> get(std::string key, ReadOptions options = {});
  // exists (revision, expiry) or doesNotExist.
  asio::awaitable<Result<KvResult>> exists(std::string key, ReadOptions options = {});
  // deleted (tombstone revision) or doesNotExist.
  asio::awaitable<Result<KvResult>> remove(std::string key, WriteOptions options = {});
  // extended (expiry now + ttl) or doesNotExist.
  asio::awaitable<Result<KvResult>> extend(std::string key, std::chrono::milliseconds ttl,
                                           WriteOptions options = {});

  // Batches: one row per item in the items' order. Items are grouped by
  // partition and each group goes to its leader; groups run concurrently and
  // the batch is not atomic. Rows answered must-retry or outcome-unknown are
  // sent again until the deadline; a row still so answered then keeps code
  // mustRetry (certainly not applied) or unknown (98: may have been).
  asio::awaitable<Result<BatchResult>> set_many(std::vector<KvSetRequest> items, BasicOptions options = {});
  asio::awaitable<Result<BatchResult>> get_many(std::vector<KvGetRequest> items, BasicOptions options = {});
  asio::awaitable<Result<BatchResult>> exists_many(std::vector<KvGetRequest> items,
                                                   BasicOptions options = {});
  asio::awaitable<Result<BatchResult>> remove_many(std::vector<KvKeyRequest> items,
                                                   BasicOptions options = {});

  // Every live key whose key space is `bucket` (one partition, consistent).
  asio::awaitable<Result<ScanResult>> get_by_bucket(std::string bucket, ScanOptions options = {});
  // Every live key starting with `prefix`, over all partitions (not one snapshot).
  asio::awaitable<Result<ScanResult>> scan_prefix(std::string prefix, ScanOptions options = {});
  // One page of key space `key_space` in key order; pass page.next_cursor as
  // options.cursor for the next one.
  asio::awaitable<Result<RangePage>> get_range(std::string key_space, RangeOptions options = {});
  // Every page, concatenated (options.limit is the page size).
  asio::awaitable<Result<std::vector<KvItem>>> get_range_all(std::string key_space,
                                                             RangeOptions options = {});

  // ---- Sequences (HTTP-API.md §7) --------------------------------------------

  // success or alreadyExists.
  asio::awaitable<Result<SequenceResult>> create_sequence(SequenceCreateRequest request,
                                                          BasicOptions options = {});
  // success (sequence) or notFound.
  asio::awaitable<Result<SequenceResult>> get_sequence(std::string name, BasicOptions options = {});
  // success or notFound.
  asio::awaitable<Result<SequenceResult>> update_sequence(SequenceUpdateRequest request,
                                                          BasicOptions options = {});
  // success (allocation of one value), notFound or maxValueExceeded. Without
  // an idempotency key one is generated, so a retry never hands out twice,
  // unless options.idempotent is false (see SequenceOptions).
  asio::awaitable<Result<SequenceResult>> next(std::string name,
                                               std::optional<std::string> idempotency_key = {},
                                               SequenceOptions options = {});
  // success (allocation of `count` values), notFound or maxValueExceeded.
  asio::awaitable<Result<SequenceResult>> reserve(std::string name, std::int64_t count,
                                                  std::optional<std::string> idempotency_key = {},
                                                  SequenceOptions options = {});
  // success or notFound.
  asio::awaitable<Result<SequenceResult>> delete_sequence(std::string name, BasicOptions options = {});

  // ---- Transactions and scripts (TRANSACTIONS.md) ---------------------------

  // Runs a Kahuna Script (docs/scripts.md) on a node, as one transaction
  // when it has more than one statement. `parameters` fill its `@name`
  // placeholders (a nullopt value is null). The reply's code is the last
  // statement's (set, get, exists...), aborted (with a reason) or errored
  // ("... at line N"); values holds what it read or returned.
  //
  // A script is not resent once it may have reached a node: no request id
  // keeps a second run from applying it again. A lost connection or a late
  // reply after sending, or an unknown answer from the node, comes back as
  // code outcome unknown (98) with the reason; the script may or may not
  // have run. Only a script that certainly did not run (no connection could
  // be made, must-retry) is sent again, until the deadline.
  asio::awaitable<Result<ScriptResult>> execute_script(std::string script,
                                                       std::vector<ScriptParameter> parameters = {},
                                                       ScriptOptions options = {});

  // Starts an interactive transaction (async_transaction.h). Its session
  // lives on the node that leads `coordinator_key`'s partition (any string:
  // the transaction's keys need not be near it), which each of its calls is
  // sent to. The Result is an Error only when the start call failed; a
  // refused start gives a handle that is not active (start_reply() says why).
  asio::awaitable<Result<AsyncTransaction>> begin_transaction(std::string coordinator_key,
                                                              TransactionOptions options = {});

  // Runs `body` in a new transaction and commits it. When the attempt loses
  // a conflict — the commit answers aborted (102), or a call in `body`
  // answered aborted or alreadyLocked (104), in which case the attempt is
  // rolled back instead of committed — it runs again in a new transaction,
  // after an exponential back-off with jitter, up to options.max_attempts
  // in all. Returns the final answer: committed, outcome unknown (never run
  // again: it may have committed), the last attempt's aborted or
  // alreadyLocked, a refused start, or — when `body` commits or rolls back
  // itself — that answer. A call in `body` that failed without an answer
  // (AsyncTransaction::failure(): unreachable, deadline...) is never
  // committed over: the attempt is rolled back and its Error returned
  // (kDeadline for one whose call's outcome was unknown: nothing was
  // committed). An exception from `body` rolls the attempt back and
  // propagates. `body` may run several times, so it must not keep
  // effects outside the transaction it is given.
  asio::awaitable<Result<TxResult>> with_transaction(
      std::string coordinator_key, std::function<asio::awaitable<void>(AsyncTransaction&)> body,
      TransactionOptions options = {});

  // ---- Cluster -------------------------------------------------------------

  // Nodes, partitions, leaders, terms and indexes as one node sees them
  // (the first reachable seed or known node); also refreshes the map.
  asio::awaitable<Result<ClusterStatus>> cluster_status(BasicOptions options = {});

  // Changes of the cluster's members and replication factor. Each answers
  // once the change is recorded in the cluster's metadata (applied, with the
  // metadata version after it; unchanged when it was already so); the
  // replicas it implies then move in the background, as cluster_status()
  // shows. Refusals are outcomes: invalidInput, notFound, refused (the
  // change would leave a partition without a quorum), with a message.
  // Must-retry and unknown answers are resent, with the call's request id,
  // until the deadline, like every write.

  // Asks the node at options.endpoint (default: the first of
  // ClientOptions::endpoints) to join the cluster of the members whose peer
  // addresses ("host:port" of their Raft transport) are `seeds`. Sent to
  // that node only: it is the one that joins.
  asio::awaitable<Result<ClusterChangeResult>> cluster_join(std::vector<std::string> seeds,
                                                            NodeOptions options = {});
  // Drains the node at options.endpoint (default: the first of
  // ClientOptions::endpoints) and removes it from the cluster. Sent to that
  // node only: it is the one that leaves.
  asio::awaitable<Result<ClusterChangeResult>> cluster_leave(NodeOptions options = {});
  // Removes member `node_id`, also one that is down; any member serves it.
  asio::awaitable<Result<ClusterChangeResult>> cluster_remove(std::uint64_t node_id,
                                                              BasicOptions options = {});
  // The voters each partition should have (`partition` 0), or one data
  // partition's override of it (`factor` 0 clears the override); any member
  // serves it.
  asio::awaitable<Result<ClusterChangeResult>> set_replication_factor(std::uint32_t factor,
                                                                      std::uint32_t partition = 0,
                                                                      BasicOptions options = {});

 private:
  std::shared_ptr<detail::ClientCore> core_;
};

}  // namespace kahuna::client
