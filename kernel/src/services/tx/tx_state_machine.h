// TxStateMachine: the replicated half of multi-key transactions
// (TRANSACTIONS.md §3) — intents, decision records and their resolution —
// over the same keys as the key/value store.
//
// Two-phase commit through the partitions' Raft groups:
//  1. prepare (TxPrepare) on every participant: the reads are validated and
//     the writes stored as intents, all or nothing; the anchor's partition
//     creates the decision record, undecided, in the same entry;
//  2. decide (TxDecide) on the anchor: the record's one compare-and-set,
//     undecided -> committed | aborted, is the commit point; an undecided
//     record past its deadline can only be decided aborted (presumed abort);
//  3. resolve (TxResolve) on every participant: intents become versions
//     stamped with the commit stamp, or vanish.
// A transaction on one partition commits in one entry (TxCommitLocal).
//
// An intent keeps its key's committed version visible and blocks every
// other change to the key: a plain write answers mustRetry (it was not
// applied) and another transaction's prepare is aborted with the holder's id,
// so the caller can resolve it from its record and try again.
//
// Determinism: like every state machine here, the outcome depends only on
// the command, its stamp and the state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/status.h>

#include "services/commands/command.h"
#include "services/commands/replies.h"
#include "services/kv/kv_options.h"
#include "services/kv/kv_version_store.h"
#include "services/storage/apply_context.h"
#include "services/tx/tx_records.h"

namespace kahuna::services {

class TxStateMachine {
 public:
  TxStateMachine(std::uint32_t partition_id, const KvOptions& options) : store_(partition_id, options) {}

  // prepared; aborted (past the deadline, a read that no longer holds, an
  // intent of another transaction in the way, or a record already aborted);
  // committed when the anchor's record already says so; invalidInput for a
  // zero id or anchor, a bad key or value, a key written twice, or no keys
  // at all.
  Status prepare(ApplyContext& ctx, const HlcTimestamp& stamp, const TxPrepare& command,
                 TxReply& reply) const;

  // committed (with the commit stamp) or aborted: the record's decision,
  // made now if it was undecided.
  Status decide(ApplyContext& ctx, const HlcTimestamp& stamp, const TxDecide& command, TxReply& reply) const;

  // resolved, whatever intents were still there.
  Status resolve(ApplyContext& ctx, const HlcTimestamp& stamp, const TxResolve& command,
                 TxReply& reply) const;

  // committed (with each write's revision) or aborted, as prepare checks.
  Status commit_local(ApplyContext& ctx, const HlcTimestamp& stamp, const TxCommitLocal& command,
                      TxReply& reply) const;

  // forgotten, or undecided (the record stays).
  Status forget(ApplyContext& ctx, const HlcTimestamp& stamp, const TxForget& command, TxReply& reply) const;
  // The record's decision, or undecided (no record counts as undecided).
  Status query(const StateReader& reader, const TxQuery& command, TxReply& reply) const;
  // decide, then resolve this partition's intents on command.keys by the
  // decision (when there is one), in one entry.
  Status decide_and_resolve(ApplyContext& ctx, const HlcTimestamp& stamp, const TxDecideResolve& command,
                            TxReply& reply) const;

  // How long a decided record is kept after its transaction began: far
  // longer than any transaction may last (300 s) and than a session's
  // outcome is remembered (5 min), so a late commit retry still learns the
  // outcome. Older records are dropped a few at a time by the commands that
  // decide new ones; a decide that finds no record of a transaction this
  // old answers forgotten rather than presume it aborted.
  static constexpr std::int64_t kRecordRetentionMs = 15 * 60 * 1000;

  // Reads for the kernel and the key/value store.
  Status load_intent(const StateReader& reader, std::string_view key, std::optional<TxIntent>& out) const;
  Status load_record(const StateReader& reader, const HlcTimestamp& tx, std::optional<TxRecord>& out) const;
  // How many intents the partition holds: one hot key, so the write path
  // looks up a key's intent only when there may be one.
  Status intent_count(const StateReader& reader, std::uint64_t& out) const;
  // Intents whose transaction's deadline is at or before `now`, in key
  // order, at most `limit`: what a leader's sweep settles from their records.
  struct StaleIntent {
    std::string key;
    HlcTimestamp tx;
    std::uint32_t anchor = 0;
  };
  Status stale_intents(const StateReader& reader, const HlcTimestamp& now, std::size_t limit,
                       std::vector<StaleIntent>& out) const;
  // Whether another transaction (any, when `tx` is zero) holds an intent on
  // `key`; `holder` is that intent.
  Status intent_in_the_way(const StateReader& reader, std::string_view key, const HlcTimestamp& tx,
                           std::optional<TxIntent>& holder) const;

 private:
  // The checks prepare and commit_local share; sets `reply` to aborted or
  // invalidInput and `passed` to false when one fails.
  Status check(const StateReader& reader, const HlcTimestamp& stamp, const HlcTimestamp& tx,
               const std::vector<TxWrite>& writes, const std::vector<TxRead>& reads, TxReply& reply,
               bool& passed) const;
  bool valid_write(const TxWrite& write) const noexcept;
  // Makes `write` the key's new version stamped `at`; its revision in `revision`.
  Status apply_write(ApplyContext& ctx, const HlcTimestamp& at, std::string_view key, const TxIntent& write,
                     std::int64_t& revision) const;
  void put_record(ApplyContext& ctx, const HlcTimestamp& tx, const TxRecord& record) const;
  void put_intent_count(ApplyContext& ctx, std::int64_t count) const;
  // Drops a few decided records whose transactions began more than
  // kRecordRetentionMs before `stamp`, oldest first.
  Status forget_old_records(ApplyContext& ctx, const HlcTimestamp& stamp) const;

  KvVersionStore store_;
};

}  // namespace kahuna::services
