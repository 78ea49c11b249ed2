#include "tx/session_calls.h"

#include <algorithm>
#include <map>
#include <utility>

#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "api/kernel.h"
#include "services/commands/command_codec.h"

namespace kahuna {
namespace {

// The shortest time a call of a session is given, however close its
// deadline; and how long releasing locks may take.
constexpr auto kMinCall = std::chrono::milliseconds(1);
constexpr auto kReleaseTime = std::chrono::seconds(2);
constexpr auto kRetryPause = std::chrono::milliseconds(20);

TxSessionReply session_reply(KvCode code, std::string reason = {}) {
  TxSessionReply reply;
  reply.code = code;
  reply.reason = std::move(reason);
  return reply;
}

KvReply kv_reply(KvCode code) {
  KvReply reply;
  reply.code = code;
  return reply;
}

bool read_answered(KvCode code) { return code == KvCode::kGet || code == KvCode::kDoesNotExist; }

bool definite(TxCode code) { return code != TxCode::kMustRetry && code != TxCode::kOutcomeUnknown; }

}  // namespace

CallOptions SessionCalls::options_until(Clock::time_point deadline) const {
  CallOptions options;
  options.timeout = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()),
                             std::chrono::milliseconds(kMinCall));
  return options;
}

asio::awaitable<TxReply> SessionCalls::step(std::uint32_t partition, services::CommandBody body,
                                            Clock::time_point deadline) {
  const services::Command command{{}, std::move(body)};
  const std::string encoded = services::encode_command(command);
  CallOptions options = options_until(deadline);
  options.request_id = kernel_.mint_request_id();
  bool maybe_applied = false;
  for (;;) {
    options.timeout = options_until(deadline).timeout;
    TxStepRequest request{partition, encoded};
    const Routed<TxReply> routed = co_await kernel_.tx_step(std::move(request), options);
    if (definite(routed.reply.code)) co_return routed.reply;
    if (routed.reply.code == TxCode::kOutcomeUnknown) maybe_applied = true;
    if (Clock::now() >= deadline || kernel_.stopping()) break;
    asio::steady_timer pause(co_await asio::this_coro::executor, kRetryPause);
    co_await pause.async_wait(asio::use_awaitable);
  }
  TxReply out;
  out.code = maybe_applied ? TxCode::kOutcomeUnknown : TxCode::kMustRetry;
  co_return out;
}

asio::awaitable<TxSessionReply> SessionCalls::acquire(TxSession& session, const std::string& key,
                                                      Clock::time_point deadline) {
  if (session.locked.contains(key)) co_return session_reply(KvCode::kLocked);
  const std::uint32_t partition = kernel_.partition_of_key(key);
  // Every lock names the partition of the session's first one: where its
  // decision will be recorded, and so where a stranger learns it.
  const std::uint32_t anchor =
      session.anchor_key.empty() ? partition : kernel_.partition_of_key(session.anchor_key);
  services::CommandBody prepare =
      services::TxPrepare{session.id(), session.deadline(),
                          anchor,       {services::TxWrite{key, services::TxWriteKind::kLock}},
                          {},           {}};
  const TxReply reply = co_await step(partition, std::move(prepare), deadline);
  switch (reply.code) {
    case TxCode::kPrepared:
      session.locked.insert(key);
      session.maybe_locked.erase(key);
      if (session.anchor_key.empty()) session.anchor_key = key;
      co_return session_reply(KvCode::kLocked);
    case TxCode::kAborted: {
      if (reply.holder.is_zero()) co_return session_reply(KvCode::kAborted, "the session's time ran out");
      TxSessionReply busy = session_reply(KvCode::kAlreadyLocked, "another transaction holds the key");
      busy.holder = reply.holder;
      co_return busy;
    }
    case TxCode::kInvalidInput: co_return session_reply(KvCode::kInvalidInput, "the key cannot be locked");
    case TxCode::kOutcomeUnknown:
      // The lock may be held: released with the others when the session
      // ends. Asking again is safe — a prepare of its own intent repeats.
      session.maybe_locked.insert(key);
      co_return session_reply(KvCode::kMustRetry, "the lock could not be confirmed; ask again");
    default: co_return session_reply(KvCode::kMustRetry, "no leader took the lock; ask again");
  }
}

asio::awaitable<bool> SessionCalls::enter(TxSession& session, const std::string& key,
                                          Clock::time_point deadline, KvReply& failed) {
  if (session.pessimistic()) {
    const TxSessionReply locked = co_await acquire(session, key, deadline);
    if (locked.code != KvCode::kLocked) {
      failed = kv_reply(locked.code);
      co_return false;
    }
  }
  if (!session.buffer.needs_read(key)) co_return true;
  KvGetRequest request{KvGetQuery{key, -1, {}}, Durability::kPersistent};
  // Commit validates every read, so the read need not be linearizable:
  // where this node leads the key's partition its applied state serves it
  // (a stale answer fails validation, never commits).
  CallOptions options = options_until(deadline);
  if (kernel_.leads_key(key)) options.consistency = ReadConsistency::kLocal;
  const Routed<KvReply> read = co_await kernel_.kv_get(std::move(request), options);
  if (!read_answered(read.reply.code)) {
    failed = read.reply;
    co_return false;
  }
  session.buffer.record_read(key, read.reply, clock_.now());
  co_return true;
}

asio::awaitable<KvReply> SessionCalls::set(TxSession& session, KvSetRequest request,
                                           Clock::time_point deadline) {
  if (!in_transaction(session, request.durability)) {
    const Routed<KvReply> plain = co_await kernel_.kv_set(std::move(request), options_until(deadline));
    co_return plain.reply;
  }
  KvReply failed;
  if (!co_await enter(session, request.key, deadline, failed)) co_return failed;
  co_return session.buffer.set(request, clock_.now());
}

asio::awaitable<KvReply> SessionCalls::get(TxSession& session, KvGetRequest request, bool with_value,
                                           Clock::time_point deadline) {
  const bool latest = request.query.revision < 0 && request.query.read_timestamp.is_zero();
  const std::string key = request.query.key;
  const bool own_view = request.durability == Durability::kPersistent && !session.buffer.needs_read(key);
  if (!latest || (!in_transaction(session, request.durability) && !own_view)) {
    // A read of the past, of an ephemeral key, or as of the session's time.
    if (latest && request.durability == Durability::kPersistent) {
      request.query.read_timestamp = session.read_timestamp();
    }
    const CallOptions options = options_until(deadline);
    const Routed<KvReply> plain = with_value ? co_await kernel_.kv_get(std::move(request), options)
                                             : co_await kernel_.kv_exists(std::move(request), options);
    co_return plain.reply;
  }
  KvReply failed;
  if (!own_view && !co_await enter(session, key, deadline, failed)) co_return failed;
  co_return with_value ? session.buffer.get(key) : session.buffer.exists(key);
}

asio::awaitable<KvReply> SessionCalls::remove(TxSession& session, KvKeyRequest request,
                                              Clock::time_point deadline) {
  if (!in_transaction(session, request.durability)) {
    const Routed<KvReply> plain = co_await kernel_.kv_delete(std::move(request), options_until(deadline));
    co_return plain.reply;
  }
  KvReply failed;
  if (!co_await enter(session, request.key, deadline, failed)) co_return failed;
  co_return session.buffer.remove(request.key);
}

asio::awaitable<KvReply> SessionCalls::extend(TxSession& session, KvExtendRequest request,
                                              Clock::time_point deadline) {
  if (!in_transaction(session, request.durability)) {
    const Routed<KvReply> plain = co_await kernel_.kv_extend(std::move(request), options_until(deadline));
    co_return plain.reply;
  }
  KvReply failed;
  if (!co_await enter(session, request.key, deadline, failed)) co_return failed;
  co_return session.buffer.extend(request.key, request.expires_ms, clock_.now());
}

asio::awaitable<KvScanReply> SessionCalls::get_by_bucket(TxSession& session, KvPrefixRequest request,
                                                         Clock::time_point deadline) {
  const bool overlaid = request.durability == Durability::kPersistent && request.read_timestamp.is_zero();
  if (overlaid) request.read_timestamp = session.read_timestamp();
  const std::string prefix = request.prefix;
  Routed<KvScanReply> scan = co_await kernel_.kv_get_by_bucket(std::move(request), options_until(deadline));
  if (overlaid && scan.reply.code == KvCode::kGet) {
    scan.reply.items = session.buffer.overlay(prefix, std::move(scan.reply.items));
  }
  co_return scan.reply;
}

asio::awaitable<TxSessionReply> SessionCalls::lock(TxSession& session, std::string key,
                                                   Clock::time_point deadline) {
  // An optimistic session may lock a key on purpose too: the lock holds it
  // exactly as a pessimistic session's would.
  co_return co_await acquire(session, key, deadline);
}

asio::awaitable<TxSessionReply> SessionCalls::lock_all(TxSession& session, std::vector<std::string> keys,
                                                       Clock::time_point deadline) {
  std::erase_if(keys, [&](const std::string& key) { return session.locked.contains(key); });
  if (keys.empty()) co_return session_reply(KvCode::kLocked);
  if (session.anchor_key.empty()) session.anchor_key = keys.front();
  const std::uint32_t anchor = kernel_.partition_of_key(session.anchor_key);
  std::map<std::uint32_t, std::vector<services::TxWrite>> by_partition;
  for (const std::string& key : keys) {
    by_partition[kernel_.partition_of_key(key)].push_back(
        services::TxWrite{key, services::TxWriteKind::kLock});
  }
  std::vector<std::pair<std::uint32_t, std::vector<services::TxWrite>>> shares(by_partition.begin(),
                                                                               by_partition.end());
  // Partition by partition, in the order of their ids, stopping at the first
  // refusal: of two transactions that want the same keys, the one that gets
  // the first contested partition gets them all (in parallel, each could
  // take one partition and both be refused the other).
  std::vector<TxReply> replies;
  for (const auto& [partition, writes] : shares) {
    services::CommandBody prepare =
        services::TxPrepare{session.id(), session.deadline(), anchor, writes, {}, {}};
    replies.push_back(co_await step(partition, std::move(prepare), deadline));
    if (replies.back().code != TxCode::kPrepared) break;
  }
  TxSessionReply outcome = session_reply(KvCode::kLocked);
  for (std::size_t i = 0; i < replies.size(); ++i) {
    for (const services::TxWrite& write : shares[i].second) {
      if (replies[i].code == TxCode::kPrepared) {
        session.locked.insert(write.key);
      } else if (replies[i].code == TxCode::kOutcomeUnknown) {
        session.maybe_locked.insert(write.key);
      }
    }
    if (replies[i].code == TxCode::kPrepared || outcome.code != KvCode::kLocked) continue;
    if (replies[i].code == TxCode::kAborted && !replies[i].holder.is_zero()) {
      outcome = session_reply(KvCode::kAlreadyLocked,
                              "another transaction holds '" + replies[i].key.substr(0, 200) + "'");
      outcome.holder = replies[i].holder;
    } else if (replies[i].code == TxCode::kAborted) {
      outcome = session_reply(KvCode::kAborted, "the transaction's time ran out");
    } else if (replies[i].code == TxCode::kInvalidInput) {
      outcome = session_reply(KvCode::kInvalidInput, "a key cannot be locked");
    } else {
      outcome = session_reply(KvCode::kMustRetry, "no leader took the locks; nothing was written");
    }
  }
  co_return outcome;
}

asio::awaitable<void> SessionCalls::release(const TxSession& session, std::vector<std::string> keys) {
  std::map<std::uint32_t, std::vector<std::string>> by_partition;
  for (std::string& key : keys) by_partition[kernel_.partition_of_key(key)].push_back(std::move(key));
  const Clock::time_point deadline = Clock::now() + kReleaseTime;
  for (auto& [partition, partition_keys] : by_partition) {
    // A lock left behind (its partition unreachable now) ends with the
    // session's deadline: the leaders' sweep drops it then.
    services::CommandBody resolve = services::TxResolve{session.id(), false, {}, std::move(partition_keys)};
    co_await step(partition, std::move(resolve), deadline);
  }
}

asio::awaitable<TxSessionReply> SessionCalls::end_aborted(TxSession& session, std::string reason) {
  std::vector<std::string> keys(session.locked.begin(), session.locked.end());
  keys.insert(keys.end(), session.maybe_locked.begin(), session.maybe_locked.end());
  session.state = TxSession::State::kAborted;
  session.reason = reason;
  if (!keys.empty()) co_await release(session, std::move(keys));
  session.locked.clear();
  session.maybe_locked.clear();
  co_return session_reply(KvCode::kAborted, std::move(reason));
}

asio::awaitable<TxSessionReply> SessionCalls::commit(TxSession& session, Clock::time_point deadline) {
  switch (session.state) {
    case TxSession::State::kCommitted: {
      TxSessionReply committed = session_reply(KvCode::kCommitted);
      committed.record_anchor_key = session.anchor_key;
      co_return committed;
    }
    case TxSession::State::kAborted:
    case TxSession::State::kRolledBack: co_return session_reply(KvCode::kAborted, session.reason);
    case TxSession::State::kUnknown: co_return co_await settle_unknown(session, false, deadline);
    case TxSession::State::kOpen: break;
  }
  if (session.expired(Clock::now())) co_return co_await end_aborted(session, "the session timed out");

  TxPlan plan = session.buffer.plan(session.id(), session.deadline());
  // Every lock not written is part of the plan too: the commit ends it.
  for (const std::string& key : session.locked) {
    const bool written = std::any_of(plan.writes.begin(), plan.writes.end(),
                                     [&](const services::TxWrite& write) { return write.key == key; });
    if (!written) plan.writes.push_back(services::TxWrite{key, services::TxWriteKind::kLock});
  }
  if (plan.writes.empty() && plan.reads.empty()) {
    session.state = TxSession::State::kCommitted;  // it touched nothing: nothing to validate
    co_return session_reply(KvCode::kCommitted);
  }
  // The coordinator records the decision on the first write's partition
  // (the first read's, for a read-only plan): that must be the anchor the
  // locks name.
  if (session.anchor_key.empty()) {
    session.anchor_key = plan.writes.empty() ? plan.reads.front().key : plan.writes.front().key;
  }
  const std::uint32_t anchor = kernel_.partition_of_key(session.anchor_key);
  auto on_anchor = [&](const std::string& key) { return kernel_.partition_of_key(key) == anchor; };
  std::stable_partition(plan.writes.begin(), plan.writes.end(),
                        [&](const services::TxWrite& write) { return on_anchor(write.key); });
  std::stable_partition(plan.reads.begin(), plan.reads.end(),
                        [&](const services::TxRead& read) { return on_anchor(read.key); });
  session.committed_keys.clear();
  for (const services::TxWrite& write : plan.writes) session.committed_keys.push_back(write.key);

  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::min(deadline, session.until()) - Clock::now());
  if (left.count() <= 0) co_return co_await end_aborted(session, "the session timed out");
  const TxOutcome outcome = co_await kernel_.commit_transaction(std::move(plan), left);
  TxSessionReply reply;
  reply.record_anchor_key = session.anchor_key;
  switch (outcome.code) {
    case TxCode::kCommitted: {
      session.state = TxSession::State::kCommitted;
      session.locked.clear();
      // Locks asked for but never confirmed were not part of the plan.
      std::vector<std::string> unconfirmed(session.maybe_locked.begin(), session.maybe_locked.end());
      session.maybe_locked.clear();
      if (!unconfirmed.empty()) co_await release(session, std::move(unconfirmed));
      reply.code = KvCode::kCommitted;
      co_return reply;
    }
    case TxCode::kAborted: {
      std::string why = outcome.key.empty() ? "the transaction timed out before it committed"
                        : !outcome.holder.is_zero()
                            ? "conflict: another transaction holds '" + outcome.key.substr(0, 200) + "'"
                            : "conflict: '" + outcome.key.substr(0, 200) + "' changed since it was read";
      reply = co_await end_aborted(session, std::move(why));
      reply.record_anchor_key = session.anchor_key;
      co_return reply;
    }
    case TxCode::kInvalidInput:
      reply =
          co_await end_aborted(session, "the transaction's writes were refused (a key or value too large?)");
      reply.code = KvCode::kInvalidInput;
      co_return reply;
    case TxCode::kMustRetry:
      // Nothing was written: the session stays open, its locks held.
      reply.code = KvCode::kMustRetry;
      reply.reason = "no leader took the commit; nothing was written";
      co_return reply;
    default:
      session.state = TxSession::State::kUnknown;
      reply.code = KvCode::kOutcomeUnknown;
      reply.reason = "the commit's outcome is not known yet; commit again to learn it";
      co_return reply;
  }
}

asio::awaitable<TxSessionReply> SessionCalls::settle_unknown(TxSession& session, bool rollback,
                                                             Clock::time_point deadline) {
  const std::uint32_t anchor = kernel_.partition_of_key(session.anchor_key);
  services::CommandBody decide = services::TxDecide{session.id(), false};
  const TxReply decision = co_await step(anchor, std::move(decide), deadline);
  TxSessionReply reply;
  reply.record_anchor_key = session.anchor_key;
  if (!definite(decision.code)) {
    reply.code = KvCode::kOutcomeUnknown;
    reply.reason = "the commit's outcome is still not known; try again";
    co_return reply;
  }
  if (decision.code != TxCode::kCommitted && decision.code != TxCode::kAborted) {
    reply.code = KvCode::kErrored;
    reply.reason = "the transaction's decision record is gone (older than its retention)";
    co_return reply;
  }
  const bool committed = decision.code == TxCode::kCommitted;
  std::map<std::uint32_t, std::vector<std::string>> by_partition;
  for (const std::string& key : session.committed_keys) {
    by_partition[kernel_.partition_of_key(key)].push_back(key);
  }
  for (auto& [partition, keys] : by_partition) {
    services::CommandBody resolve = services::TxResolve{session.id(), committed, decision.commit_stamp, keys};
    co_await step(partition, std::move(resolve), Clock::now() + kReleaseTime);
  }
  session.locked.clear();
  if (committed) {
    session.state = TxSession::State::kCommitted;
    reply.code = KvCode::kCommitted;
    co_return reply;
  }
  TxSessionReply ended = co_await end_aborted(session, "the transaction was aborted");
  if (rollback) {
    session.state = TxSession::State::kRolledBack;
    ended.code = KvCode::kRolledBack;
    ended.reason.clear();
  }
  ended.record_anchor_key = session.anchor_key;
  co_return ended;
}

asio::awaitable<TxSessionReply> SessionCalls::rollback(TxSession& session, Clock::time_point deadline) {
  switch (session.state) {
    case TxSession::State::kCommitted: {
      TxSessionReply committed = session_reply(KvCode::kCommitted, "the transaction had committed");
      committed.record_anchor_key = session.anchor_key;
      co_return committed;
    }
    case TxSession::State::kAborted:
    case TxSession::State::kRolledBack: co_return session_reply(KvCode::kRolledBack);
    case TxSession::State::kUnknown: co_return co_await settle_unknown(session, true, deadline);
    case TxSession::State::kOpen: break;
  }
  TxSessionReply reply = co_await end_aborted(session, "rolled back");
  session.state = TxSession::State::kRolledBack;
  reply.code = KvCode::kRolledBack;
  reply.reason.clear();
  co_return reply;
}

asio::awaitable<void> SessionCalls::expire(TxSession& session) {
  if (session.state == TxSession::State::kOpen) co_await end_aborted(session, "the session timed out");
}

asio::awaitable<TxSessionReply> SessionCalls::learn(HlcTimestamp id, std::string anchor_key, bool rollback,
                                                    Clock::time_point deadline) {
  services::CommandBody decide = services::TxDecide{id, false};
  const TxReply decision = co_await step(kernel_.partition_of_key(anchor_key), std::move(decide), deadline);
  TxSessionReply reply;
  reply.record_anchor_key = anchor_key;
  if (decision.code == TxCode::kCommitted) {
    reply.code = KvCode::kCommitted;
  } else if (decision.code == TxCode::kAborted) {
    reply.code = rollback ? KvCode::kRolledBack : KvCode::kAborted;
  } else if (decision.code == TxCode::kInvalidInput) {
    reply.code = KvCode::kInvalidInput;
    reply.reason = "not a transaction id";
  } else if (decision.code == TxCode::kForgotten) {
    reply.code = KvCode::kErrored;
    reply.reason = "the transaction's decision record is gone (older than its retention)";
  } else {
    reply.code = KvCode::kOutcomeUnknown;
    reply.reason = "the decision could not be read yet; try again";
  }
  co_return reply;
}

}  // namespace kahuna
