// Commands: what the partition leader proposes through Raft and every replica
// applies, in log order, to its partition's state machines.
//
// A command carries the leader's HLC stamp; it is the only notion of "now" a
// state machine has (lease and TTL expiry, created/modified times). Commands
// are plain values; command_codec.h turns them into log entry bytes and back.
// Field meanings follow HTTP-API.md §5–7; validation (empty names, limits)
// happens in the state machines, deterministically, so the leader may propose
// a command unchecked and every replica rejects it the same way.
//
// Every member has a default initializer, so callers may name only the fields
// they need (SequenceUpdate{"name"}) under -Wmissing-field-initializers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <kahuna/kernel_api.h>
#include <kahuna/service_types.h>

#include "services/clock/hlc.h"

namespace kahuna::services {

// ---- Locks -------------------------------------------------------------------

// Acquire `resource` for `owner` for expires_ms from the stamp.
struct LockTryLock {
  std::string resource{};
  std::string owner{};
  std::int64_t expires_ms = 0;
  friend bool operator==(const LockTryLock&, const LockTryLock&) = default;
};

// Renew `owner`'s live lease to expires_ms from the stamp.
struct LockTryExtend {
  std::string resource{};
  std::string owner{};
  std::int64_t expires_ms = 0;
  friend bool operator==(const LockTryExtend&, const LockTryExtend&) = default;
};

struct LockUnlock {
  std::string resource{};
  std::string owner{};
  friend bool operator==(const LockUnlock&, const LockUnlock&) = default;
};

// ---- Key/value ---------------------------------------------------------------

// Set flags: kahuna/service_types.h (HTTP-API.md §6.1).
using ::kahuna::KvSetFlag;
using enum ::kahuna::KvSetFlag;

struct KvSet {
  std::string key{};
  std::optional<std::string> value{};          // nullopt: the key holds "no value" (JSON null)
  std::optional<std::string> compare_value{};  // for kSetIfEqualToValue; nullopt matches a live null
  std::int64_t compare_revision = 0;           // for kSetIfEqualToRevision
  std::int64_t expires_ms = 0;                 // 0 = never expires
  std::uint32_t flags = 0;
  friend bool operator==(const KvSet&, const KvSet&) = default;
};

struct KvDelete {
  std::string key{};
  friend bool operator==(const KvDelete&, const KvDelete&) = default;
};

struct KvExtend {
  std::string key{};
  std::int64_t expires_ms = 0;
  friend bool operator==(const KvExtend&, const KvExtend&) = default;
};

// Several sets applied by one log entry: other commands see all or none of
// them. Each item keeps its own condition and outcome.
struct KvSetMany {
  std::vector<KvSet> items{};
  friend bool operator==(const KvSetMany&, const KvSetMany&) = default;
};

struct KvDeleteMany {
  std::vector<std::string> keys{};
  friend bool operator==(const KvDeleteMany&, const KvDeleteMany&) = default;
};

// TTL removal proposed by the leader for a key it saw expired at `revision`.
// Applies only if the key still holds that revision and has expired as of the
// command's stamp, so a key set again in the meantime is left alone.
struct KvExpire {
  std::string key{};
  std::int64_t revision = 0;
  friend bool operator==(const KvExpire&, const KvExpire&) = default;
};

// ---- Transactions (TRANSACTIONS.md §3; tx/tx_state_machine.h) -------------

// What a transaction does to one key if it commits.
enum class TxWriteKind : std::uint8_t {
  kSet = 0,
  kDelete = 1,
  kExtend = 2,  // a live key's expiry moves to expires_ms after the commit stamp; its revision stays
  // Writes nothing: the intent only holds the key for the transaction (a
  // session's lock), so no other can prepare it and plain writes must
  // retry until the transaction ends.
  kLock = 3,
};

struct TxWrite {
  std::string key{};
  TxWriteKind kind = TxWriteKind::kSet;
  std::optional<std::string> value{};  // kSet: nullopt stores "no value"
  std::int64_t expires_ms = 0;         // kSet: 0 = never expires; kExtend: > 0; from the commit stamp
  bool keep_history = true;            // kSet: false for setNoRevision
  friend bool operator==(const TxWrite&, const TxWrite&) = default;
};

// A key a transaction read, as it saw it: whether it held a value and, if
// so, its revision. Validation fails when a key read live changed revision
// or stopped being live, or a key read absent is live now (the value it saw,
// absence, must still hold).
struct TxRead {
  std::string key{};
  std::int64_t revision = -1;
  bool live = false;
  friend bool operator==(const TxRead&, const TxRead&) = default;
};

// Phase one on one participant: checks the reads and that no other
// transaction holds an intent on any key, then stores the writes as intents
// (nothing changes when a check fails). On the anchor's partition
// (`participants` non-empty) it also creates the decision record, undecided,
// with those participants.
struct TxPrepare {
  HlcTimestamp tx{};         // the transaction's id (its start stamp)
  HlcTimestamp deadline{};   // undecided past it means aborted (presumed abort)
  std::uint32_t anchor = 0;  // the partition that holds the decision record
  std::vector<TxWrite> writes{};
  std::vector<TxRead> reads{};
  std::vector<std::uint32_t> participants{};  // the anchor's partition only: every partition with intents
  friend bool operator==(const TxPrepare&, const TxPrepare&) = default;
};

// The commit point, on the anchor's partition: the record goes from
// undecided to committed (its stamp is the commit stamp) or aborted. A
// record already decided keeps its decision; commit of a missing record, or
// of one past its deadline, decides aborted.
struct TxDecide {
  HlcTimestamp tx{};
  bool commit = false;
  friend bool operator==(const TxDecide&, const TxDecide&) = default;
};

// Phase two on one participant: the transaction's intents on `keys` become
// versions stamped `commit_stamp` (commit) or vanish (abort). Intents of
// other transactions and keys without one are left alone, so a resend
// changes nothing. The proposer must have observed `commit_stamp` first, so
// that this command's stamp (and every later one) is above it.
struct TxResolve {
  HlcTimestamp tx{};
  bool commit = false;
  HlcTimestamp commit_stamp{};
  std::vector<std::string> keys{};
  friend bool operator==(const TxResolve&, const TxResolve&) = default;
};

// The one-partition fast path: prepare, decide and resolve in one entry.
// Commits at the command's stamp and records the decision, so a resent
// commit of the transaction is answered from the record.
struct TxCommitLocal {
  HlcTimestamp tx{};
  std::vector<TxWrite> writes{};
  std::vector<TxRead> reads{};
  friend bool operator==(const TxCommitLocal&, const TxCommitLocal&) = default;
};

// The commit point and the anchor's own phase two in one entry: decides
// the record like TxDecide, then resolves this partition's intents of the
// transaction on `keys` by that decision, stamped with it.
struct TxDecideResolve {
  HlcTimestamp tx{};
  bool commit = false;
  std::vector<std::string> keys{};
  friend bool operator==(const TxDecideResolve&, const TxDecideResolve&) = default;
};

// Asks a record's decision and changes nothing: committed (with the commit
// stamp), aborted, or undecided (also when there is no record). Through the
// log, so the answer is linearizable — what a reader that meets an intent
// asks before it answers.
struct TxQuery {
  HlcTimestamp tx{};
  friend bool operator==(const TxQuery&, const TxQuery&) = default;
};

// Drops a decided record once every participant resolved its intents.
struct TxForget {
  HlcTimestamp tx{};
  friend bool operator==(const TxForget&, const TxForget&) = default;
};

// ---- Sequences ---------------------------------------------------------------

// Create and update carry exactly the public requests (kahuna/kernel_api.h).
using SequenceCreate = ::kahuna::SequenceCreateRequest;
using SequenceUpdate = ::kahuna::SequenceUpdateRequest;

struct SequenceDelete {
  std::string name{};
  friend bool operator==(const SequenceDelete&, const SequenceDelete&) = default;
};

// The leader raises the durable high-water mark by a block so it can serve
// values from memory. `count` values go to the request that ran out (the
// reply's allocation); the rest of the block is the leader's to hand out.
// `default_block_size` is the leader's configured default, used when the
// sequence has no block size of its own; it travels in the command so that
// replicas with different configurations still agree.
struct SequenceReserveBlock {
  std::string name{};
  std::int64_t count = 1;
  std::int64_t default_block_size = 1000;
  friend bool operator==(const SequenceReserveBlock&, const SequenceReserveBlock&) = default;
};

// One value, allocated by the replicated state (the path a request with an
// idempotency key takes). Same as SequenceReserveRange with count 1.
struct SequenceNext {
  std::string name{};
  std::optional<std::string> idempotency_key{};
  friend bool operator==(const SequenceNext&, const SequenceNext&) = default;
};

// `count` contiguous values allocated by the replicated state.
struct SequenceReserveRange {
  std::string name{};
  std::int64_t count = 1;
  std::optional<std::string> idempotency_key{};
  friend bool operator==(const SequenceReserveRange&, const SequenceReserveRange&) = default;
};

// ---- The cluster's metadata (partition 0 only; cluster/cluster_metadata.h) ----

// A node as the cluster knows it: where its peer transport is reached and the
// endpoints its clients dial, by protocol.
struct ClusterMember {
  std::uint64_t id = 0;
  std::string peer_address{};
  std::map<std::string, std::string> endpoints{};
  friend bool operator==(const ClusterMember&, const ClusterMember&) = default;
};

// The first members, voters of every group from the start; applies once.
struct MetadataBootstrap {
  std::vector<ClusterMember> members{};
  std::uint32_t replication_factor = 0;
  std::uint32_t data_partitions = 0;
  friend bool operator==(const MetadataBootstrap&, const MetadataBootstrap&) = default;
};

// A node asking to be admitted (or a member's new addresses).
struct MetadataJoin {
  ClusterMember member{};
  friend bool operator==(const MetadataJoin&, const MetadataJoin&) = default;
};

// A member's state (MemberState): joining, voter or leaving.
struct MetadataSetMemberState {
  std::uint64_t id = 0;
  std::uint8_t state = 0;
  friend bool operator==(const MetadataSetMemberState&, const MetadataSetMemberState&) = default;
};

struct MetadataRemoveMember {
  std::uint64_t id = 0;
  friend bool operator==(const MetadataRemoveMember&, const MetadataRemoveMember&) = default;
};

// The cluster's factor (partition 0), or a data partition's override of it
// (factor 0 clears the override).
struct MetadataSetReplicationFactor {
  std::uint32_t replication_factor = 0;
  std::uint32_t partition = 0;
  friend bool operator==(const MetadataSetReplicationFactor&, const MetadataSetReplicationFactor&) = default;
};

// A group's leader telling the cluster the group's replica set and its own
// leadership, after any change of either. Only a committed membership is
// reported, so a later term's report is never older than an earlier term's;
// within a term the membership index orders them. An older report than the
// one recorded is ignored.
struct MetadataReportReplicas {
  std::uint32_t partition = 0;
  std::uint64_t term = 0;
  std::uint64_t conf_index = 0;  // the log index the group's membership was set at (or a snapshot's)
  std::uint64_t leader = 0;
  std::vector<std::uint64_t> voters{};
  std::vector<std::uint64_t> learners{};
  friend bool operator==(const MetadataReportReplicas&, const MetadataReportReplicas&) = default;
};

using CommandBody =
    std::variant<LockTryLock, LockTryExtend, LockUnlock, KvSet, KvDelete, KvExtend, KvSetMany, KvDeleteMany,
                 KvExpire, SequenceCreate, SequenceUpdate, SequenceDelete, SequenceReserveBlock, SequenceNext,
                 SequenceReserveRange, MetadataBootstrap, MetadataJoin, MetadataSetMemberState,
                 MetadataRemoveMember, MetadataSetReplicationFactor, MetadataReportReplicas, TxPrepare,
                 TxDecide, TxResolve, TxCommitLocal, TxForget, TxDecideResolve, TxQuery>;

// A client request's id (kahuna/kernel_api.h): the state machines apply a
// command whose id is present at most once (request_table.h).
using ::kahuna::RequestId;

struct Command {
  HlcTimestamp stamp{};  // the leader's HLC when it proposed the command
  CommandBody body;
  RequestId request_id{};  // absent for commands the leader makes itself (expiry)
  friend bool operator==(const Command&, const Command&) = default;
};

}  // namespace kahuna::services
