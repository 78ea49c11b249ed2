// ClientCore: the engine under AsyncClient — sends one request to the node
// that should serve it, and retries until it has an answer worth returning or
// the call's deadline passes.
//
// A write takes its request id (request_ids.h) before the first attempt;
// every attempt sends it unchanged, so the cluster applies the call at most
// once however often it is resent.
//
// One attempt: pick the endpoint (a redirect's target, else the leader of the
// target's partition, else any reachable node; a call for one node goes to
// that node only), send, wait up to the attempt timeout. Then:
//   reply              learn its route (leader of its partition), count a
//                      forward, read the map again when the reply shows
//                      newer cluster metadata than the map's, return it
//   must-retry or      with a leader named elsewhere: go there next;
//   outcome-unknown    otherwise refresh the map; back off; retry
//   connection failure forget the partition's leader, avoid an endpoint that
//   or timeout         refused, refresh the map, back off, retry
//   error reply        return a protocol error (too-many-in-flight is retried)
//
// A call may opt out of resending what may have run (CoreCall's
// resend_when_unknown, resend_after_sent).
//
// At the deadline a write ends as kOutcomeUnknown when any attempt may have
// been applied (an outcome-unknown reply, or a request sent and never
// answered), kDeadline when every attempt was answered must-retry (or
// refused before it ran), kUnreachable when none was ever sent.
//
// Not thread-safe: everything runs on the client's executor. Shared by the
// AsyncClient and the lock handles it made, so either may go first.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>

#include <kahuna/client/call_options.h>
#include <kahuna/client/client_options.h>
#include <kahuna/client/result.h>
#include <kahuna/wire/request.h>
#include <kahuna/wire/response.h>

#include "call_target.h"
#include "cluster_map.h"
#include "connection_pool.h"
#include "metrics_counters.h"
#include "request_ids.h"

namespace kahuna::client::detail {

struct LockState;

// One call as the core runs it.
struct CoreCall {
  wire::RequestBody body{};
  CallTarget target{};
  std::chrono::milliseconds deadline{0};  // overall, retries included
  // Time the server may legitimately hold the request (a lock wait): added to
  // the deadline and to each attempt's timeout.
  std::chrono::milliseconds server_wait{0};
  ReadConsistency consistency = ReadConsistency::kLinearizable;
  // Writes: the id every attempt sends. Left empty, call() takes the next one
  // for a write; a batch sets its own, to resend a round under the same id.
  RequestId request_id{};
  // false: an outcome-unknown reply is returned as it is instead of being
  // resent (a session's commit: its reply names the decision record that
  // the next commit asks about).
  bool resend_when_unknown = true;
  // false: once an attempt may have reached a node, a lost or late reply
  // ends the call as kOutcomeUnknown instead of being resent; only an
  // attempt that surely never left (no connection) or that the node refused
  // unrun (must-retry, too many in flight) is sent again. For calls no
  // request id protects from running twice (scripts).
  bool resend_after_sent = true;
};

class ClientCore : public std::enable_shared_from_this<ClientCore> {
 public:
  ClientCore(asio::any_io_executor executor, ClientOptions options);

  // Runs `call` as described above. The response is never a must-retry, an
  // outcome-unknown (except in a batch's rows, or for a call that asked not
  // to resend one) or an error reply.
  asio::awaitable<Result<wire::Response>> call(CoreCall call);

  // Reads the cluster map unless it is already known (batches group their
  // items by partition before sending).
  asio::awaitable<void> ensure_map();
  // The partition of `target` by the current map; nullopt while unknown.
  std::optional<std::uint32_t> partition_of(const CallTarget& target) const {
    return map_.partition_of(target);
  }
  // Applies a cluster status read by the caller.
  void learn_map(const ClusterStatus& status);

  // The call's own deadline, or the client's default.
  std::chrono::milliseconds deadline_of(const Deadline& deadline) const;

  // A new request id of this client (any thread).
  RequestId next_request_id() noexcept { return request_ids_.next(); }

  // Fails calls in flight and later ones with kClosed, stops lock handles.
  void shutdown();
  bool closed() const noexcept { return closed_.load(); }

  // Lock handles register so that shutdown can stop their background extends.
  void register_lock(const std::shared_ptr<LockState>& state);

  ClientMetrics metrics() const { return metrics_.snapshot(); }
  MetricsCounters& counters() noexcept { return metrics_; }
  const ClientOptions& options() const noexcept { return options_; }
  const asio::any_io_executor& executor() const noexcept { return executor_; }

 private:
  using Clock = std::chrono::steady_clock;

  // Reads the cluster status from the first node that answers and applies
  // it. Concurrent callers share one read; unless `even_if_recent`, reads
  // closer together than kMinRefreshInterval are skipped.
  asio::awaitable<void> refresh_map(bool even_if_recent = false);
  asio::awaitable<void> read_map_from_cluster();
  // Reads the map again because a reply showed cluster metadata of
  // `metadata_version`, newer than the map's: at most once per version, so
  // that a node which answers the status from older metadata than the
  // replies' cannot make every call pay for a read.
  asio::awaitable<void> catch_up_with(std::uint64_t metadata_version);

  // Where the next attempt goes.
  std::string choose_endpoint(const CallTarget& target, std::optional<std::uint64_t> redirect);
  // Any node: the seeds and the nodes the map knows, those not cooling down
  // first, starting from the rotating preference.
  std::vector<std::string> candidate_endpoints() const;

  asio::awaitable<void> sleep(std::chrono::milliseconds delay);

  asio::any_io_executor executor_;
  ClientOptions options_;
  MetricsCounters metrics_;
  RequestIds request_ids_;
  ConnectionPool pool_;
  ClusterMap map_;
  std::size_t any_node_preference_ = 0;  // rotates when the preferred node fails
  bool refreshing_ = false;
  std::vector<std::shared_ptr<asio::steady_timer>> refresh_waiters_;
  Clock::time_point last_refresh_{};
  std::uint64_t caught_up_to_ = 0;  // the newest version catch_up_with() read the map for
  std::atomic<bool> closed_{false};
  std::vector<std::weak_ptr<LockState>> locks_;
};

}  // namespace kahuna::client::detail
