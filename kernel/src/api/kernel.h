// Kernel: the node's KernelApi, the one door through which every protocol
// plugin reaches locks, keys and sequences.
//
// For each request it finds the owning partition (placement.h), and:
//   - serves it here when this node leads the partition: persistent writes
//     are proposed through Raft and answered once applied; reads pass a
//     ReadIndex barrier first (or none when the caller asked for a local
//     read); ephemeral operations run on the leader's memory;
//   - otherwise forwards it once to the leader through the Forwarder and
//     relays the answer (provenance "forwarded");
//   - keeps trying until the request's timeout when leadership moves while
//     the request is in flight (a write resends its request id, which its
//     partition applies at most once);
//   - answers the family's must-retry code when nothing was applied (no
//     leader appeared; a forwarded request landed on a non-leader), and
//     outcome-unknown when a write may have been (kahuna/kernel_api.h).
//
// Every write gets a request id on entry (the caller's, or one minted here),
// so every proposal and forward of it is the same request.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <asio/thread_pool.hpp>

#include <kahuna/kernel_api.h>

#include "api/forwarding.h"
#include "api/partition_service.h"
#include "api/replica_mover.h"
#include "config/config.h"
#include "replication/replication_host.h"
#include "script/script_cache.h"
#include "services/cluster/cluster_metadata.h"
#include "storage/log_writer.h"
#include "tx/tx_coordinator.h"
#include "tx/tx_session_table.h"

namespace kahuna {

class SessionCalls;

class Kernel final : public KernelApi {
 public:
  using Clock = std::chrono::steady_clock;

  Kernel(const Config& config, ReplicationHost& host, StorageEngine& engine, LogWriter& log_writer,
         services::HybridClock& clock);
  ~Kernel() override;

  // Forwarding to leaders; without one (single node) nothing is forwarded.
  void set_forwarder(Forwarder* forwarder) noexcept { forwarder_ = forwarder; }
  // This node's own client endpoints, known once its protocols have started.
  void set_local_endpoint(const std::string& protocol, const std::string& endpoint);

  // Wakes every request waiting for a lock and makes it answer must-retry,
  // so shutdown does not wait out their waits.
  void shutdown();
  bool stopping() const noexcept { return stopping_.load(); }

  // Removes expired keys on every partition this node leads.
  asio::awaitable<void> sweep_expired_keys();
  // Settles, on every partition this node leads, the intents of
  // transactions past their deadline: decides each one's record (abort,
  // unless already decided) and resolves its intents accordingly.
  asio::awaitable<void> sweep_stale_intents();

  // Once this node leads partition 0 and finds no cluster metadata there,
  // records the configuration's members as the first ones (a bootstrap
  // applies once, whichever node's proposal commits first). Cheap after it
  // has seen the metadata once.
  asio::awaitable<void> bootstrap_metadata();

  // The cluster's metadata as this node has applied it; version 0 until the
  // bootstrap reaches it. A copy refreshed by manage_membership().
  std::shared_ptr<const services::ClusterMetadata> cluster_metadata() const;

  // Membership upkeep, each housekeeping round (kernel_membership.cpp):
  // reloads the metadata, makes the peer transport follow its members, asks
  // for admission while this node joins and has not been admitted, and lets
  // the ReplicaMover move replicas of the groups this node leads.
  asio::awaitable<void> manage_membership();

  // A joining node's admission request (PeerTransport request handler).
  asio::awaitable<std::string> admit(std::uint64_t from, std::string request);

  // A replica report another group leader sent (ReplicaMover::kReportChannel).
  asio::awaitable<void> on_replica_report(std::string payload);

  // Periodic upkeep, called about once a second: counts leader changes.
  // (Leadership is spread by the ReplicaMover: each group's leader hands it
  // to the group's preferred node whenever that node is reachable.)
  void balance_leaders();

  // KernelApi
  std::uint64_t node_id() const override { return config_.node.id; }
  std::uint32_t partition_of_lock(std::string_view resource) const override;
  std::uint32_t partition_of_key(std::string_view key) const override;
  std::uint32_t partition_of_sequence(std::string_view name) const override;
  std::uint64_t leader_of(std::uint32_t partition) const override;

#define KAHUNA_OPERATION KAHUNA_DECLARE_OPERATION_OVERRIDE
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION

  ClusterStatus cluster_status() const override;
  std::string metrics_text() const override;

  // Counters for the metrics page.
  struct Counters {
    std::atomic<std::uint64_t> served_locally{0};
    std::atomic<std::uint64_t> forwarded{0};
    std::atomic<std::uint64_t> must_retry{0};
    std::atomic<std::uint64_t> outcome_unknown{0};
  };
  const Counters& counters() const noexcept { return counters_; }

 private:
  // `options` with a request id: the caller's, or a new one of this node's.
  CallOptions with_request_id(CallOptions options);

  // Where a request goes.
  struct Target {
    PartitionService* service = nullptr;  // set when this node leads
    std::uint64_t leader = 0;             // the leader, when known
  };

  // Finds the partition's leader, waiting briefly (bounded by `deadline`)
  // while an election is in progress. Where this node holds no replica,
  // `hint` (the leader a previous attempt's answer named, 0 for none) is
  // asked before the metadata's view.
  asio::awaitable<Target> resolve(std::uint32_t partition, Clock::time_point deadline,
                                  std::uint64_t hint = 0);

  // The skeleton every single-partition request follows: resolve, then
  // serve locally or forward; until the deadline, try again after any
  // attempt that did not complete (a write resends its request id, so it
  // applies at most once). Answers must-retry when no attempt can have
  // taken effect, the family's outcome-unknown when a write's may have.
  // `local(service, deadline)` returns {failure, reply};
  // `forward(leader, timeout, abandon)` returns what came of it.
  template <class Reply, class Local, class Forward>
  asio::awaitable<Routed<Reply>> serve(std::uint32_t partition, const CallOptions& options, Reply must_retry,
                                       Reply failed, Local local, Forward forward);

  template <class Reply>
  using ForwardFn = std::function<asio::awaitable<Forwarded<Routed<Reply>>>(
      std::uint64_t leader, std::chrono::milliseconds timeout, AbandonWhen abandon)>;

  // The state of partition `partition` as this node has applied it, with no
  // barrier (a local read); provenance kLocal.
  template <class Reply, class Read>
  Routed<Reply> read_here(std::uint32_t partition, Read read);

  asio::awaitable<Routed<LockReply>> lock_command(services::CommandBody body, const LockRequest& request,
                                                  const CallOptions& options, ForwardFn<LockReply> forward);
  asio::awaitable<Routed<KvReply>> kv_command(std::uint32_t partition, services::CommandBody body,
                                              Durability durability, const CallOptions& options,
                                              ForwardFn<KvReply> forward);
  asio::awaitable<Routed<KvReply>> kv_point_read(KvGetRequest request, CallOptions options, bool with_value);
  // A linearizable read that meets another transaction's pending write of
  // its key asks that transaction's record (kernel_tx.cpp): committed but
  // not yet resolved here — its coordinator lost this participant after
  // answering — the write is resolved first, so the read shows what the
  // committed answer promised (kResolved); undecided or aborted, the
  // committed version is the truth (kClear); the record unreachable, the
  // read cannot know (kUnsure: answer must-retry).
  enum class IntentCheck { kClear, kResolved, kUnsure };
  asio::awaitable<IntentCheck> settle_pending_write(PartitionService& service, std::string key,
                                                    Clock::time_point deadline);

 public:
  // Commits `plan` across its partitions (tx/tx_coordinator.h), trying for
  // at most `timeout`.
  asio::awaitable<TxOutcome> commit_transaction(TxPlan plan, std::chrono::milliseconds timeout);
  // Whether this node leads the partition that holds `key` (its applied
  // state then has every write acknowledged in its term).
  bool leads_key(std::string_view key) const;
  // A request id of this node's, for a call it makes itself.
  RequestId mint_request_id();
  // Ends the sessions past their time and releases their locks; run by the
  // server's housekeeping loop.
  asio::awaitable<void> reap_sessions();
  std::size_t open_sessions() const { return sessions_.open_count(); }

 private:
  // Parses (or finds) and runs a script on the calling thread, which must
  // not be an io thread: its statements wait for the kernel's calls on `io`.
  ScriptReply run_script_here(const ScriptRequest& request, asio::any_io_executor io,
                              Clock::time_point deadline);
  // Runs one call of a session on the node that owns it (kernel_sessions.cpp):
  // `run(session, deadline)` when this node holds the session, once per
  // operation id; `unknown(deadline)` when it does not.
  template <class Reply, class Run, class Unknown>
  asio::awaitable<Routed<Reply>> session_call(const TxContext& context, std::uint16_t opcode, std::string key,
                                              ForwardedCall call, CallOptions options, Run run,
                                              Unknown unknown);
  // A point verb or bucket read of a session: `run(calls, session, inner
  // request, deadline)` where the session lives.
  template <class Call, class Reply, class Request, class Run>
  asio::awaitable<Routed<Reply>> session_verb(Request request, std::string key, CallOptions options, Run run);
  // Commit or rollback of a session.
  asio::awaitable<Routed<TxSessionReply>> end_session(TxEndRequest request, CallOptions options,
                                                      bool rollback);
  asio::awaitable<Routed<SequenceReply>> sequence_command(const std::string& name, services::CommandBody body,
                                                          const CallOptions& options,
                                                          ForwardFn<SequenceReply> forward);
  asio::awaitable<std::pair<ServeFailure, LockReply>> try_lock_here(PartitionService& service,
                                                                    const LockRequest& request,
                                                                    RequestId attempt,
                                                                    Clock::time_point deadline);
  asio::awaitable<std::pair<ServeFailure, LockReply>> lock_info_here(PartitionService& service,
                                                                     const LockRequest& request,
                                                                     Clock::time_point deadline,
                                                                     bool barrier);
  // Reads the metadata from partition 0's state into the cached copy.
  void reload_metadata();
  // Adds every member of `metadata` as a transport peer and removes peers
  // that are neither members nor in the membership of a group hosted here.
  void sync_peers(const services::ClusterMetadata& metadata);
  // Asks the members at `seeds` (then wherever they redirect) to admit this
  // node, until one does or `deadline` passes.
  asio::awaitable<ClusterChangeReply> ask_admission(std::vector<HostPort> seeds, Clock::time_point deadline);
  // Stops the groups whose leader reported a membership without this node
  // from campaigning here (raft::Core::retire): the removal never reached
  // them, and their elections would go on forever.
  void retire_removed_replicas(const services::ClusterMetadata& metadata);
  // Answers a member's refresh request (admission.h) with this node's copy.
  std::string answer_metadata_refresh(std::uint64_t from, const services::ClusterMember& member) const;
  // A member whose metadata partition has had no reachable leader for a
  // while asks the members it reaches for their copy, and dials the peers
  // a newer one names (kernel_metadata_refresh.cpp).
  asio::awaitable<void> refresh_stale_metadata(const services::ClusterMetadata& metadata);
  // Runs `body` on partition 0's leader: here, or by forwarding `call` there.
  asio::awaitable<ClusterChangeReply> change_on_metadata_leader(services::CommandBody body,
                                                                ForwardedCall call, CallOptions options);
  // Proposes a metadata change on partition 0 here (this node leads it).
  asio::awaitable<ClusterChangeReply> change_metadata(services::CommandBody body, Clock::time_point deadline);
  // The node to send `partition`'s requests to when this node holds no
  // replica of it: the leader the metadata last recorded, else the
  // preferred replica; 0 when the metadata does not know.
  std::uint64_t replica_to_ask(std::uint32_t partition) const;
  // Whether this node holds a replica of `partition`: its log says so and
  // the group leader's last report does not say otherwise.
  bool hosts(std::uint32_t partition) const;
  bool hosts(std::uint32_t partition, const services::ClusterMetadata& metadata) const;

  // Where `partition`'s owner of key space `key_space` is.
  std::uint32_t partition_of_key_space(std::string_view key_space) const;
  // One partition's share of a prefix scan, served here or forwarded.
  asio::awaitable<Routed<KvScanReply>> scan_partition(std::uint32_t partition, KvPrefixRequest request,
                                                      CallOptions options);

  const Config& config_;
  ReplicationHost& host_;
  StorageEngine& engine_;
  LogWriter& log_writer_;
  services::HybridClock& clock_;
  std::vector<std::unique_ptr<PartitionService>> partitions_;  // by partition id, 0 included
  Forwarder* forwarder_ = nullptr;
  mutable std::mutex endpoints_mutex_;
  std::map<std::string, std::string> local_endpoints_;
  Counters counters_;
  std::atomic<std::uint64_t> leader_changes_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> metadata_seen_{false};  // bootstrap_metadata() found it in place
  mutable std::mutex metadata_mutex_;
  std::shared_ptr<const services::ClusterMetadata> metadata_;  // under metadata_mutex_
  // Partition 0's applied index when metadata_ was last loaded (~0: never).
  std::atomic<std::uint64_t> metadata_applied_index_{~std::uint64_t{0}};
  std::unique_ptr<ReplicaMover> mover_;
  std::atomic<bool> admitted_{false};  // a joining node: the metadata lists it
  // refresh_stale_metadata(), from the housekeeping loop only: since when
  // partition 0 has had no reachable leader, the last refresh, and a copy
  // newer than the local one (its peers are kept until the local catches up).
  std::optional<Clock::time_point> metadata_leader_lost_since_;
  Clock::time_point last_metadata_refresh_{};
  std::shared_ptr<const services::ClusterMetadata> fetched_metadata_;
  // Ids this node mints: a random client id drawn at start (so two nodes,
  // or two runs of one, never mint the same id), and a counter.
  const std::uint64_t minted_client_;
  std::atomic<std::uint64_t> minted_sequence_{0};
  std::vector<std::uint64_t> last_leader_;  // balance_leaders() only
  // Parsed scripts, by their exact text.
  script::ScriptCache scripts_;
  // The interactive sessions this node owns.
  TxSessionTable sessions_;
  // Where scripts run: the interpreter waits on each statement's kernel
  // call, which no io thread may. A script's thread spends nearly all its
  // time waiting for a Raft round, so the pool is sized for concurrency,
  // not for the cores: it bounds the scripts one node runs at once (the
  // rest queue). Declared last, so it is joined before anything a running
  // script uses goes away.
  asio::thread_pool script_threads_{kScriptThreads};
  static constexpr std::size_t kScriptThreads = 64;
};

}  // namespace kahuna
