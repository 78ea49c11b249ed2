// The requests of the lock, key/value and sequence operations (their
// replies are in kahuna/service_types.h). Shared by the server (KernelApi),
// the wire codec and the SDK.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <kahuna/service_types.h>
#include <kahuna/types/call.h>

namespace kahuna {

struct LockRequest {
  std::string resource{};
  std::string owner{};          // opaque bytes; ignored by get_lock
  std::int64_t expires_ms = 0;  // lease length (try_lock, try_extend, lock)
  Durability durability = Durability::kEphemeral;
};

struct KvSetRequest {
  std::string key{};
  std::optional<std::string> value{};          // nullopt: the key holds "no value"
  std::optional<std::string> compare_value{};  // for KvSetFlag kSetIfEqualToValue
  std::int64_t compare_revision = 0;           // for kSetIfEqualToRevision
  std::int64_t expires_ms = 0;                 // 0 = never
  std::uint32_t flags = 0;                     // HTTP-API.md §6.1 set flags; 0 = plain set
  Durability durability = Durability::kEphemeral;
};

struct KvGetRequest {
  KvGetQuery query{};
  Durability durability = Durability::kEphemeral;
};

struct KvKeyRequest {  // delete
  std::string key{};
  Durability durability = Durability::kEphemeral;
};

struct KvExtendRequest {
  std::string key{};
  std::int64_t expires_ms = 0;
  Durability durability = Durability::kEphemeral;
};

struct KvPrefixRequest {  // get-by-bucket, scan-all-by-prefix
  std::string prefix{};
  HlcTimestamp read_timestamp{};  // zero: latest
  Durability durability = Durability::kEphemeral;
  // scan-all-by-prefix only: 0 scans every partition; a partition id scans
  // that partition alone (what a node fanning out a scan asks the others).
  std::uint32_t partition = 0;
};

struct KvRangeRequest {
  KvRangeQuery query{};
  Durability durability = Durability::kEphemeral;
};

struct SequenceCreateRequest {
  std::string name{};
  std::int64_t initial_value = 0;
  std::int64_t increment = 1;
  std::optional<std::int64_t> max_value{};
  std::optional<std::int64_t> block_size{};  // nullopt: the server default
  friend bool operator==(const SequenceCreateRequest&, const SequenceCreateRequest&) = default;
};

// Each present field replaces the stored one; remove_* clears an optional.
struct SequenceUpdateRequest {
  std::string name{};
  std::optional<std::int64_t> current_value{};
  std::optional<std::int64_t> increment{};
  std::optional<std::int64_t> initial_value{};
  std::optional<std::int64_t> max_value{};
  std::optional<std::int64_t> block_size{};
  bool remove_max_value = false;
  bool remove_block_size = false;
  friend bool operator==(const SequenceUpdateRequest&, const SequenceUpdateRequest&) = default;
};

struct SequenceReserveRequest {  // next is reserve with count 1
  std::string name{};
  std::int64_t count = 1;
  std::optional<std::string> idempotency_key{};
};

// ---- Cluster administration ----

// Asks for this node to be admitted to a cluster through the peer address
// ("host:port") of any of its members; the first that answers admits it.
struct ClusterJoinRequest {
  std::vector<std::string> seeds{};
};

// Names a member: remove takes its id; leave takes 0 (or the answering
// node's own id).
struct ClusterMemberRequest {
  std::uint64_t node_id = 0;
};

// The cluster's replication factor (partition 0), or one data partition's
// override of it (a factor of 0 clears the override).
struct ReplicationFactorRequest {
  std::uint32_t replication_factor = 0;
  std::uint32_t partition = 0;
};

// A Kahuna Script to run (TRANSACTIONS.md §4) with its `@name` parameters.
struct ScriptParameter {
  std::string name{};                  // "@name" (or "name")
  std::optional<std::string> value{};  // nullopt: JSON null
};

struct ScriptRequest {
  std::string script{};               // UTF-8 text, at most 64 KiB
  std::optional<std::string> hash{};  // the client's name for the text; never trusted (the text is)
  std::vector<ScriptParameter> parameters{};
};

// One step of a transaction on one partition, sent by the transaction's
// coordinator to the partition's leader: `command` is a participant command
// (prepare, decide, resolve, one-partition commit or forget) in the Raft
// log's encoding (services/commands/command_codec.h), whose stamp the
// leader replaces with its own.
struct TxStepRequest {
  std::uint32_t partition = 0;
  std::string command{};
};

// ---- Interactive transactions (TRANSACTIONS.md §2) ----

// How a session guards what it reads and writes.
enum class TxLocking : std::uint8_t {
  kPessimistic = 0,  // every key it touches is locked first; others wait for it (alreadyLocked)
  kOptimistic = 1,   // nothing is locked; commit validates every read and aborts on a conflict
};

// Opens a session, owned by the leader of `coordinator_key`'s partition.
struct TxStartRequest {
  std::string coordinator_key{};
  std::int64_t timeout_ms = 0;  // <= 0: 5000; at most 300000
  TxLocking locking = TxLocking::kPessimistic;
  // Reads as of this time (no locks, not validated); zero: the latest.
  HlcTimestamp read_timestamp{};
};

// What names a session's call: the session, the node that owns it (through
// the coordinator key) and, optionally, the call itself — a resend with the
// same operation id answers what the first answered.
struct TxContext {
  HlcTimestamp transaction_id{};
  std::string coordinator_key{};
  std::uint64_t operation_id_high = 0;
  std::uint64_t operation_id_low = 0;
};

// Commit or rollback. `record_anchor_key`: what an earlier commit's reply
// named, so the outcome can be learned after the session is gone.
struct TxEndRequest {
  TxContext context{};
  std::optional<std::string> record_anchor_key{};
};

// An explicit exclusive lock on a key inside a session.
struct TxLockRequest {
  TxContext context{};
  std::string key{};
  std::int64_t expires_ms = 0;  // accepted; a lock lasts as long as its session
  Durability durability = Durability::kPersistent;
};

// The point verbs, scans and deletes inside a session.
struct TxKvSetRequest {
  TxContext context{};
  KvSetRequest request{};
};
struct TxKvGetRequest {  // get, exists
  TxContext context{};
  KvGetRequest request{};
};
struct TxKvKeyRequest {  // delete
  TxContext context{};
  KvKeyRequest request{};
};
struct TxKvExtendRequest {
  TxContext context{};
  KvExtendRequest request{};
};
struct TxKvPrefixRequest {  // get-by-bucket
  TxContext context{};
  KvPrefixRequest request{};
};
struct TxKvDeleteManyRequest {
  TxContext context{};
  std::vector<KvKeyRequest> items{};
};

}  // namespace kahuna
