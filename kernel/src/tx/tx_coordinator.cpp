#include "tx/tx_coordinator.h"

#include <map>
#include <utility>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "api/gather.h"

namespace kahuna {
namespace {

constexpr auto kRetryPause = std::chrono::milliseconds(20);
// Younger transactions one participant's prepare may abort in its way.
constexpr int kWoundRounds = 4;

bool definite(TxCode code) { return code != TxCode::kMustRetry && code != TxCode::kOutcomeUnknown; }

// One participant's share of a plan.
struct Share {
  std::uint32_t partition = 0;
  std::vector<services::TxWrite> writes;
  std::vector<services::TxRead> reads;
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    out.reserve(writes.size());
    for (const services::TxWrite& write : writes) out.push_back(write.key);
    return out;
  }
};

}  // namespace

asio::awaitable<TxReply> TxCoordinator::run(std::uint32_t partition, services::CommandBody body,
                                            Clock::time_point deadline) const {
  const RequestId id = next_id_();
  bool maybe_applied = false;
  for (;;) {
    TxReply reply = co_await step_(partition, body, id, deadline);
    if (definite(reply.code)) co_return reply;
    if (reply.code == TxCode::kOutcomeUnknown) maybe_applied = true;
    if (Clock::now() >= deadline) break;
    asio::steady_timer pause(co_await asio::this_coro::executor, kRetryPause);
    co_await pause.async_wait(asio::use_awaitable);
  }
  TxReply out;
  out.code = maybe_applied ? TxCode::kOutcomeUnknown : TxCode::kMustRetry;
  co_return out;
}

asio::awaitable<TxOutcome> TxCoordinator::commit_on_one(std::uint32_t partition, TxPlan plan,
                                                        Clock::time_point give_up) const {
  services::CommandBody body =
      services::TxCommitLocal{plan.tx, std::move(plan.writes), std::move(plan.reads)};
  const TxReply reply = co_await run(partition, std::move(body), give_up);
  TxOutcome out;
  out.code = reply.code;
  out.commit_stamp = reply.commit_stamp;
  out.key = reply.key;
  out.holder = reply.holder;
  out.anchor = partition;
  out.revisions = reply.revisions;
  co_return out;
}

asio::awaitable<TxOutcome> TxCoordinator::commit(TxPlan plan, Clock::time_point give_up) const {
  // The participants in the order the plan first touches them: the anchor
  // is the first write's partition (the first read's, for a read-only plan).
  std::vector<Share> shares;
  std::map<std::uint32_t, std::size_t> share_of;
  auto share = [&](std::string_view key) -> Share& {
    const std::uint32_t partition = partition_of_(key);
    auto [it, added] = share_of.emplace(partition, shares.size());
    if (added) shares.push_back(Share{partition, {}, {}});
    return shares[it->second];
  };
  for (const services::TxWrite& write : plan.writes) share(write.key).writes.push_back(write);
  for (const services::TxRead& read : plan.reads) share(read.key).reads.push_back(read);
  if (shares.empty()) {
    TxOutcome out;
    out.code = TxCode::kInvalidInput;
    co_return out;
  }
  if (shares.size() == 1)
    co_return co_await commit_on_one(shares.front().partition, std::move(plan), give_up);

  const std::uint32_t anchor = shares.front().partition;
  std::vector<std::uint32_t> participants;
  for (const Share& s : shares) participants.push_back(s.partition);
  TxOutcome out;
  out.anchor = anchor;

  // Phase one, on every participant at once.
  std::vector<std::size_t> indices(shares.size());
  for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = i;
  std::vector<TxReply> prepared = co_await gather<TxReply>(indices, [&](std::size_t i) {
    const Share& s = shares[i];
    services::CommandBody body = services::TxPrepare{
        plan.tx,  plan.deadline, anchor,
        s.writes, s.reads,       s.partition == anchor ? participants : std::vector<std::uint32_t>{}};
    return run(s.partition, std::move(body), give_up);
  });
  // Wound-wait: a younger transaction's intent in the way is aborted (its
  // record decided so, its intent on that key resolved) and the prepare is
  // tried again; an older one's wins, and this transaction aborts. So of
  // two transactions that block each other exactly one can commit.
  for (std::size_t i = 0; i < shares.size(); ++i) {
    for (int round = 0; round < kWoundRounds && prepared[i].code == TxCode::kAborted; ++round) {
      const TxReply blocked = prepared[i];
      if (blocked.holder.is_zero() || blocked.holder_anchor == 0 || !(plan.tx < blocked.holder)) break;
      if (Clock::now() >= give_up) break;
      services::CommandBody wound = services::TxDecide{blocked.holder, false};
      const TxReply wounded = co_await run(blocked.holder_anchor, std::move(wound), give_up);
      if (wounded.code != TxCode::kAborted) break;  // it committed first: this one yields
      services::CommandBody clear = services::TxResolve{blocked.holder, false, {}, {blocked.key}};
      const TxReply cleared = co_await run(shares[i].partition, std::move(clear), give_up);
      if (cleared.code != TxCode::kResolved) break;
      const Share& s = shares[i];
      services::CommandBody again = services::TxPrepare{
          plan.tx,  plan.deadline, anchor,
          s.writes, s.reads,       s.partition == anchor ? participants : std::vector<std::uint32_t>{}};
      prepared[i] = co_await run(s.partition, std::move(again), give_up);
    }
  }
  bool all_prepared = true;
  for (const TxReply& reply : prepared) {
    if (reply.code == TxCode::kPrepared) continue;
    if (all_prepared) {  // the first failure explains the abort
      out.key = reply.key;
      out.holder = reply.holder;
      if (reply.code == TxCode::kInvalidInput) out.code = TxCode::kInvalidInput;
    }
    all_prepared = false;
  }

  // The commit point, with the anchor's own intents resolved in the same
  // entry.
  const auto decide_until = std::max(give_up, Clock::now()) + decision_grace_;
  services::CommandBody decide = services::TxDecideResolve{plan.tx, all_prepared, shares.front().keys()};
  const TxReply decision = co_await run(anchor, std::move(decide), decide_until);
  if (!definite(decision.code)) {
    out.code = TxCode::kOutcomeUnknown;  // the sweep settles the intents once the record is decided
    co_return out;
  }
  const bool commit = decision.code == TxCode::kCommitted;

  // Phase two on the others. A participant that failed to resolve keeps its
  // intents until its leader's sweep resolves them from the record (which
  // the anchor keeps for TxStateMachine::kRecordRetentionMs).
  std::vector<std::size_t> others(indices.begin() + 1, indices.end());
  co_await gather<TxReply>(others, [&](std::size_t i) {
    services::CommandBody body =
        services::TxResolve{plan.tx, commit, decision.commit_stamp, shares[i].keys()};
    return run(shares[i].partition, std::move(body), decide_until);
  });

  if (commit || out.code != TxCode::kInvalidInput) out.code = decision.code;
  out.commit_stamp = decision.commit_stamp;
  if (commit) {
    out.key.clear();
    out.holder = {};
  }
  co_return out;
}

}  // namespace kahuna
