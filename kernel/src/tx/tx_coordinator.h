// TxCoordinator: drives one transaction's commit through its partitions
// (TRANSACTIONS.md §3), given a way to run one step on one partition's
// leader.
//
//   one partition:  TxCommitLocal — checks, writes and record in one entry;
//   several:        TxPrepare on every participant at once (the anchor, the
//                   partition of the first write, also creates the record),
//                   then TxDecideResolve on the anchor (the commit point,
//                   and the anchor's own intents resolved in the same
//                   entry), then TxResolve on every other participant. The
//                   record stays for a while (TxStateMachine::
//                   kRecordRetentionMs) so late questions about the
//                   transaction get a true answer; later decides drop it.
//
// Every step is retried with its own request id while the answer is
// mustRetry or unknown, so it applies at most once. Presumed abort keeps
// every failure safe: a prepare that failed or whose outcome is unknown
// leads to decide(abort), which also fences a prepare still on its way to
// the anchor; intents a failed resolve leaves behind are settled from the
// record by the leaders' sweep (Kernel::sweep_stale_intents). The answer
// tells the truth: committed or aborted once the anchor decided, unknown
// when the decision could not be learned before the time ran out.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <kahuna/kernel_api.h>
#include <asio/awaitable.hpp>

#include "services/commands/command.h"

namespace kahuna {

struct TxPlan {
  HlcTimestamp tx;                        // the transaction's id
  HlcTimestamp deadline;                  // past it, the transaction cannot commit
  std::vector<services::TxWrite> writes;  // at most one per key
  std::vector<services::TxRead> reads;    // what optimistic validation checks
};

struct TxOutcome {
  TxCode code = TxCode::kAborted;  // committed, aborted, outcome unknown or invalid input
  HlcTimestamp commit_stamp;
  std::string key;      // aborted by a check: the key
  HlcTimestamp holder;  // aborted by another transaction's intent: its id
  std::uint32_t anchor = 0;
  // The one-partition commit: each write's revision, in the plan's order.
  std::vector<std::int64_t> revisions;
};

class TxCoordinator {
 public:
  using Clock = std::chrono::steady_clock;
  // Runs `body` on `partition`'s leader under `id` (the same on every
  // resend), answering by `deadline`.
  using Step = std::function<asio::awaitable<TxReply>(std::uint32_t partition, services::CommandBody body,
                                                      RequestId id, Clock::time_point deadline)>;
  using PartitionOf = std::function<std::uint32_t(std::string_view key)>;
  using NextId = std::function<RequestId()>;

  // `decision_grace`: how much longer than the transaction's own time the
  // decision, and then the resolves, are sought; without the decision the
  // only true answer is "unknown".
  TxCoordinator(Step step, PartitionOf partition_of, NextId next_id,
                std::chrono::milliseconds decision_grace = std::chrono::seconds(5))
      : step_(std::move(step)),
        partition_of_(std::move(partition_of)),
        next_id_(std::move(next_id)),
        decision_grace_(decision_grace) {}

  // Commits `plan`, trying until `give_up` (the decision itself is sought a
  // little longer: see the file's header).
  asio::awaitable<TxOutcome> commit(TxPlan plan, Clock::time_point give_up) const;

 private:
  // One step, resent with the same id while it must be retried, until
  // `deadline`; mustRetry when it never reached a partition, unknown when
  // it may have.
  asio::awaitable<TxReply> run(std::uint32_t partition, services::CommandBody body,
                               Clock::time_point deadline) const;
  // Aborts the younger transaction whose intent `blocked` names (its record
  // decided aborted, its intent on `partition` resolved) when `tx` is older;
  // false when `tx` must yield instead (older holder, or it committed first).
  asio::awaitable<bool> wound(HlcTimestamp tx, TxReply blocked, std::uint32_t partition,
                              Clock::time_point give_up) const;
  asio::awaitable<TxOutcome> commit_on_one(std::uint32_t partition, TxPlan plan,
                                           Clock::time_point give_up) const;

  Step step_;
  PartitionOf partition_of_;
  NextId next_id_;
  std::chrono::milliseconds decision_grace_;
};

}  // namespace kahuna
