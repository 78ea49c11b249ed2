#include "tx/tx_coordinator.h"

#include <map>
#include <set>
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
  std::vector<services::TxRead> reads;      // of keys it also writes: checked as it prepares them
  std::vector<services::TxRead> read_only;  // of keys it only reads: checked once every write is prepared
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

asio::awaitable<bool> TxCoordinator::wound(HlcTimestamp tx, TxReply blocked, std::uint32_t partition,
                                           Clock::time_point give_up) const {
  if (blocked.holder.is_zero() || blocked.holder_anchor == 0 || !(tx < blocked.holder)) co_return false;
  if (Clock::now() >= give_up) co_return false;
  services::CommandBody decide = services::TxDecide{blocked.holder, false};
  const TxReply wounded = co_await run(blocked.holder_anchor, std::move(decide), give_up);
  if (wounded.code != TxCode::kAborted) co_return false;  // it committed first: this one yields
  services::CommandBody clear = services::TxResolve{blocked.holder, false, {}, {blocked.key}};
  const TxReply cleared = co_await run(partition, std::move(clear), give_up);
  co_return cleared.code == TxCode::kResolved;
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
    if (added) shares.push_back(Share{partition, {}, {}, {}});
    return shares[it->second];
  };
  std::set<std::string_view> written;
  for (const services::TxWrite& write : plan.writes) {
    share(write.key).writes.push_back(write);
    written.insert(write.key);
  }
  for (const services::TxRead& read : plan.reads) {
    Share& s = share(read.key);
    (written.contains(read.key) ? s.reads : s.read_only).push_back(read);
  }
  if (shares.empty()) {
    TxOutcome out;
    out.code = TxCode::kInvalidInput;
    co_return out;
  }
  if (shares.size() == 1)
    co_return co_await commit_on_one(shares.front().partition, std::move(plan), give_up);

  const std::uint32_t anchor = shares.front().partition;
  std::vector<std::uint32_t> participants;
  std::vector<std::size_t> writers;  // the shares with writes: the anchor first
  std::vector<std::size_t> readers;  // the shares with keys only read
  for (std::size_t i = 0; i < shares.size(); ++i) {
    participants.push_back(shares[i].partition);
    if (!shares[i].writes.empty()) writers.push_back(i);
    if (!shares[i].read_only.empty()) readers.push_back(i);
  }
  TxOutcome out;
  out.anchor = anchor;
  // Checks every key only read, on every partition at once; the first
  // failure, if any, in `out`.
  auto check_reads = [&]() -> asio::awaitable<bool> {
    auto check = [&](std::size_t i) {
      services::CommandBody body =
          services::TxPrepare{plan.tx, plan.deadline, anchor, {}, shares[i].read_only, {}};
      return run(shares[i].partition, std::move(body), give_up);
    };
    std::vector<TxReply> checked = co_await gather<TxReply>(readers, check);
    for (std::size_t r = 0; r < readers.size(); ++r) {
      // Wound-wait here too: a younger transaction's intent on a key this
      // one read is aborted and the check made again; an older one's wins.
      for (int round = 0; round < kWoundRounds && checked[r].code == TxCode::kAborted; ++round) {
        if (!co_await wound(plan.tx, checked[r], shares[readers[r]].partition, give_up)) break;
        checked[r] = co_await check(readers[r]);
      }
      const TxReply& reply = checked[r];
      if (reply.code == TxCode::kPrepared) continue;
      out.key = reply.key;
      out.holder = reply.holder;
      out.code = reply.code == TxCode::kInvalidInput ? TxCode::kInvalidInput : TxCode::kAborted;
      co_return false;
    }
    co_return true;
  };
  if (writers.empty()) {
    // Read only: every read still holds once all were made — the values
    // were all current together when the first check ran. Nothing to decide.
    const bool valid = co_await check_reads();
    if (valid) out.code = TxCode::kCommitted;
    co_return out;
  }

  // Phase one, on every participant with writes at once.
  std::vector<std::size_t> indices = writers;
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
  for (std::size_t w = 0; w < writers.size(); ++w) {
    const std::size_t i = writers[w];
    for (int round = 0; round < kWoundRounds && prepared[w].code == TxCode::kAborted; ++round) {
      if (!co_await wound(plan.tx, prepared[w], shares[i].partition, give_up)) break;
      const Share& s = shares[i];
      services::CommandBody again = services::TxPrepare{
          plan.tx,  plan.deadline, anchor,
          s.writes, s.reads,       s.partition == anchor ? participants : std::vector<std::uint32_t>{}};
      prepared[w] = co_await run(s.partition, std::move(again), give_up);
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
  // Keys only read are checked once every write holds its key. Checked in
  // the same step as the writes, a key read here could pass its check on
  // one partition before another transaction's intent arrived, while that
  // transaction passed its own check of a key this one writes elsewhere
  // before this one's intent arrived: both would commit (write skew). Now
  // the second check of the two always meets the other's intent.
  if (all_prepared && !readers.empty()) all_prepared = co_await check_reads();

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
