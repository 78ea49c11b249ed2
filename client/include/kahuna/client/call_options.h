// Per-operation options. Every field has the default most callers want; a
// `deadline` left empty takes ClientOptions::call_deadline.
//
// Locks and keys default to persistent durability (replicated through Raft,
// surviving a leader change); ephemeral ones live only in the partition
// leader's memory and are lost on failover.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <kahuna/hlc_timestamp.h>
#include <kahuna/service_types.h>
#include <kahuna/types.h>

namespace kahuna::client {

using Deadline = std::optional<std::chrono::milliseconds>;

// try_lock, acquire_lock, extend_lock, unlock, get_lock.
struct LockOptions {
  Durability durability = Durability::kPersistent;
  Deadline deadline{};
};

// lock(): a LockHandle.
struct LockHandleOptions {
  Durability durability = Durability::kPersistent;
  // The owner bytes; empty: 32 random hex characters, unique to this handle.
  std::string owner{};
  // Called once, on the client's executor, if the lease could not be kept
  // (an extend was refused, or failed until the lease ran out).
  std::function<void()> on_lost{};
  Deadline deadline{};
};

// set().
struct SetOptions {
  std::uint32_t flags = KvSetFlag::kSet;       // one of KvSetFlag
  std::optional<std::string> compare_value{};  // with kSetIfEqualToValue
  std::int64_t compare_revision = 0;           // with kSetIfEqualToRevision
  std::chrono::milliseconds ttl{0};            // 0 = never expires
  Durability durability = Durability::kPersistent;
  Deadline deadline{};

  static SetOptions if_not_exists() { return with_flags(KvSetFlag::kSetIfNotExists); }
  static SetOptions if_exists() { return with_flags(KvSetFlag::kSetIfExists); }
  static SetOptions if_value(std::optional<std::string> expected) {
    SetOptions options = with_flags(KvSetFlag::kSetIfEqualToValue);
    options.compare_value = std::move(expected);
    return options;
  }
  static SetOptions if_revision(std::int64_t revision) {
    SetOptions options = with_flags(KvSetFlag::kSetIfEqualToRevision);
    options.compare_revision = revision;
    return options;
  }

 private:
  static SetOptions with_flags(std::uint32_t flags) {
    SetOptions options;
    options.flags = flags;
    return options;
  }
};

// get(), exists().
struct ReadOptions {
  std::int64_t revision = -1;     // >= 0: that exact historical revision
  HlcTimestamp read_timestamp{};  // non-zero: the version current at that instant
  Durability durability = Durability::kPersistent;
  ReadConsistency consistency = ReadConsistency::kLinearizable;
  Deadline deadline{};
};

// remove(), extend().
struct WriteOptions {
  Durability durability = Durability::kPersistent;
  Deadline deadline{};
};

// get_by_bucket(), scan_prefix().
struct ScanOptions {
  HlcTimestamp read_timestamp{};
  Durability durability = Durability::kPersistent;
  ReadConsistency consistency = ReadConsistency::kLinearizable;
  Deadline deadline{};
};

// get_range(), get_range_all().
struct RangeOptions {
  std::optional<std::string> start_key{};  // nullopt: from the first key
  bool start_inclusive = true;
  std::optional<std::string> end_key{};  // nullopt: to the last key
  bool end_inclusive = false;
  std::int64_t limit = 100;             // rows per page (>= 1)
  std::optional<std::string> cursor{};  // a previous page's next_cursor
  HlcTimestamp read_timestamp{};
  Durability durability = Durability::kPersistent;
  Deadline deadline{};
};

// Batches, sequences, cluster status, cluster_remove() and
// set_replication_factor().
struct BasicOptions {
  Deadline deadline{};
};

// cluster_join(), cluster_leave(): each runs on one particular node — the one
// that joins, the one that leaves — so it goes there and nowhere else.
struct NodeOptions {
  // That node's binary endpoint ("host:port"); empty: the first of
  // ClientOptions::endpoints, the node the client was pointed at.
  std::string endpoint{};
  Deadline deadline{};
};

// execute_script().
struct ScriptOptions {
  Deadline deadline{};
};

// begin_transaction(), with_transaction().
struct TransactionOptions {
  // How long the session may live on the server: one that has not ended by
  // then is rolled back and its locks released. The server takes <= 0 as
  // 5000 ms and caps it at 300000 ms.
  std::chrono::milliseconds timeout{5000};
  // Pessimistic: every key read or written is locked first (a key locked by
  // another transaction answers alreadyLocked at once). Optimistic: nothing
  // is locked; commit validates every read and answers aborted on a conflict.
  TxLocking locking = TxLocking::kPessimistic;
  // Non-zero: reads see the data as of this instant (no locks, not validated).
  HlcTimestamp read_timestamp{};
  // The deadline of each call of the session (start, reads, writes, commit,
  // rollback) unless the call's own options give one.
  Deadline deadline{};

  // with_transaction() only: how many attempts in all (at least 1), and the
  // back-off between them, which doubles from initial_backoff up to
  // max_backoff with jitter (each delay drawn from the upper half of its step).
  int max_attempts = 5;
  std::chrono::milliseconds initial_backoff{20};
  std::chrono::milliseconds max_backoff{1000};
};

// Sequence next(), reserve().
struct SequenceOptions {
  // Only for a call given no idempotency key (a caller's key is always sent).
  // true: the SDK generates one, so a retry after a lost reply gets the first
  // allocation back; the server then replicates every call through Raft, to
  // remember the key. false: no key is sent, and the partition leader serves
  // the call from the block of values it holds in memory (one Raft round per
  // block); the leader remembers the call's request id only in memory, so a
  // retry that reaches a new leader allocates anew and the values of the lost
  // reply are skipped (never handed out twice).
  bool idempotent = true;
  Deadline deadline{};
};

}  // namespace kahuna::client
