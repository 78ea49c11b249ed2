// FakeKernel: an in-memory KernelApi that follows HTTP-API.md's semantics
// closely enough to test the http plugin against (lock leases and fencing
// tokens, key revisions -1/0/1..., null vs empty values, sequence
// high-water marks), with knobs for routing: which node leads a partition.
// Cluster administration is recorded and answered as the test scripts it,
// and the cluster status can be edited to show any metadata. Session calls
// are recorded as they arrive; their point verbs run on the store as their
// plain forms do (no isolation), unless a test scripts their answers.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <kahuna/kernel_api.h>

namespace kahuna::testing {

class FakeKernel final : public KernelApi {
 public:
  static constexpr std::uint64_t kSelf = 1;
  static constexpr std::uint64_t kOther = 2;
  static constexpr std::uint32_t kDataPartitions = 4;
  static constexpr const char* kOtherEndpoint = "http://10.0.0.2:7200";

  FakeKernel();

  // Which node leads `partition` (0 = no leader: replies are must-retry).
  void set_leader(std::uint32_t partition, std::uint64_t node);

  // One cluster administration call as it reached the kernel.
  struct AdminCall {
    std::string method;  // "cluster_join", "cluster_leave", ...
    std::vector<std::string> seeds{};
    std::uint64_t node_id = 0;
    std::uint32_t replication_factor = 0;
    std::uint32_t partition = 0;
  };
  std::vector<AdminCall> admin_calls() const;
  // What every cluster administration call answers (applied, version 7, by default).
  void set_change_reply(ClusterChangeReply reply);
  // Applied to the cluster status after it is built (nodes, leaders), so a
  // test can show any members' states and replica sets.
  void edit_status(std::function<void(ClusterStatus&)> edit);
  // One call of a session as it reached the kernel, with what the JSON
  // decoded into: method "tx_start", "tx_commit", "tx_kv_set", ...
  struct SessionCall {
    std::string method;
    std::variant<TxStartRequest, TxEndRequest, TxLockRequest, TxKvSetRequest, TxKvGetRequest, TxKvKeyRequest,
                 TxKvExtendRequest, TxKvPrefixRequest, TxKvDeleteManyRequest>
        request;
  };
  std::vector<SessionCall> session_calls() const;
  // What start, commit, rollback and lock answer (nullopt: start answers
  // started with a new id, commit committed with the recordAnchorKey sent or
  // else the coordinator key, rollback rolledBack, lock locked).
  void set_session_reply(std::optional<TxSessionReply> reply);
  // What every point verb in a session answers, rows of delete-many too
  // (nullopt: they run on the store).
  void set_session_point_code(std::optional<KvCode> code);

  // The partition a key or lock resource lands on (by its key space).
  static std::uint32_t partition_of_name(std::string_view name);
  int cluster_status_calls() const;

  std::uint64_t node_id() const override { return kSelf; }
  std::uint32_t partition_of_lock(std::string_view resource) const override {
    return partition_of_name(resource);
  }
  std::uint32_t partition_of_key(std::string_view key) const override { return partition_of_name(key); }
  std::uint32_t partition_of_sequence(std::string_view name) const override {
    return partition_of_name("__kahuna:sequences:" + std::string(name));
  }
  std::uint64_t leader_of(std::uint32_t partition) const override;

#define KAHUNA_OPERATION KAHUNA_DECLARE_OPERATION_OVERRIDE
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION

  ClusterStatus cluster_status() const override;
  std::string metrics_text() const override { return "kahuna_fake_kernel_metric 42\n"; }

 private:
  struct Lock {
    std::string owner;
    std::int64_t expires_at_ms = 0;  // 0: released
    std::int64_t token = -1;         // -1: never granted
  };
  struct Version {
    std::int64_t revision = 0;
    std::optional<std::string> value;
    bool deleted = false;
    bool no_history = false;  // written with flag 2
    HlcTimestamp last_modified;
    std::int64_t expires_at_ms = 0;  // 0: never
  };
  struct Entry {
    std::vector<Version> versions;
  };
  struct Sequence {
    SequenceInfo info;
    std::map<std::string, SequenceAllocation> by_idempotency_key;
  };

  Route route_for(std::uint32_t partition) const;
  HlcTimestamp tick();
  static std::int64_t now_ms();
  static bool live(const Version& version);
  KvReply set_locked(const KvSetRequest& request);
  KvReply get_locked(const KvGetRequest& request, bool exists);
  KvReply delete_locked(const KvKeyRequest& request);
  template <class Item, class Apply>
  std::vector<Routed<KvReply>> rows_of(const std::vector<Item>& items, Apply apply);
  static const std::string& key_of(const KvSetRequest& item) { return item.key; }
  static const std::string& key_of(const KvKeyRequest& item) { return item.key; }
  static const std::string& key_of(const KvGetRequest& item) { return item.query.key; }
  // Records a session call; under the lock.
  template <class Request>
  void record(std::string method, const Request& request);
  // A session's point verb: the scripted code, else `run` (a plain
  // operation's locked half). Under the lock.
  template <class Run>
  KvReply in_session(Run run);

  mutable std::mutex mutex_;
  std::map<std::uint32_t, std::uint64_t> leaders_;
  std::map<std::pair<std::string, Durability>, Lock> locks_;
  std::map<std::pair<std::string, Durability>, Entry> entries_;
  std::map<std::string, Sequence> sequences_;
  std::uint32_t logical_ = 0;
  mutable int cluster_status_calls_ = 0;
  std::vector<AdminCall> admin_calls_;
  ClusterChangeReply change_reply_{ClusterCode::kApplied, 7, ""};
  std::function<void(ClusterStatus&)> edit_status_;
  std::vector<SessionCall> session_calls_;
  std::optional<TxSessionReply> session_reply_;
  std::optional<KvCode> session_point_code_;
};

}  // namespace kahuna::testing
