// The Kernel's interactive sessions (TRANSACTIONS.md §2): a session starts
// on the leader of its coordinator key's partition, and every later call of
// it runs on that node — the one its transaction id names — forwarded there
// from any other. What each call does is tx/session_calls.h; here is where
// it runs, once per operation id.
#include <spdlog/spdlog.h>

#include "api/kernel_serve.h"
#include "tx/session_calls.h"

namespace kahuna {
namespace {

constexpr auto kMaxSessionTimeout = std::chrono::milliseconds(300000);
constexpr auto kDefaultSessionTimeout = std::chrono::milliseconds(5000);

template <class Reply>
Reply with_code(KvCode code) {
  Reply reply{};
  reply.code = code;
  return reply;
}

TxSessionReply session_failure(KvCode code, std::string reason) {
  TxSessionReply reply;
  reply.code = code;
  reply.reason = std::move(reason);
  return reply;
}

template <class Call>
constexpr std::uint16_t opcode_of() {
  return static_cast<std::uint16_t>(Call::kOpcode);
}

bool reserved(std::string_view key) { return key.starts_with("__kahuna:"); }

// The key a session's answers are kept under: the client's operation id,
// else the request id every resend of this call repeats.
TxSession::OperationKey operation_key(const TxContext& context, const RequestId& id) {
  if (context.operation_id_high != 0 || context.operation_id_low != 0) {
    return {context.operation_id_high, context.operation_id_low, 0};
  }
  return {id.client, id.sequence, id.part + 1};
}

// Item `index` of a delete-many as a call of its own: the batch's request id
// with the item's part, and the batch's operation id (if any) mixed with the
// item's position in its high half — so every item, wherever it runs, is
// kept and replayed apart from the others and from the client's other ids.
std::pair<TxContext, CallOptions> item_of(const TxContext& context, CallOptions options, std::size_t index) {
  TxContext item = context;
  if (item.operation_id_high != 0 || item.operation_id_low != 0) {
    item.operation_id_high ^= 0x9E3779B97F4A7C15ull * (index + 1);
  }
  options.request_id.part = static_cast<std::uint32_t>(index + 1);
  return {std::move(item), options};
}

}  // namespace

RequestId Kernel::mint_request_id() {
  return RequestId{minted_client_, minted_sequence_.fetch_add(1) + 1, 0};
}

template <class Reply, class Run, class Unknown>
asio::awaitable<Routed<Reply>> Kernel::session_call(const TxContext& context, std::uint16_t opcode,
                                                    std::string key, ForwardedCall call, CallOptions options,
                                                    Run run, Unknown unknown) {
  // Commit and rollback answer for a session in any state; every other
  // call needs it open and within its time.
  const bool ends_session = opcode == opcode_of<wire::TxCommit>() || opcode == opcode_of<wire::TxRollback>();
  const Reply must_retry = with_code<Reply>(KvCode::kMustRetry);
  if (context.transaction_id.is_zero() || context.coordinator_key.empty()) {
    Routed<Reply> out;
    out.reply = with_code<Reply>(KvCode::kInvalidInput);
    co_return out;
  }
  options = with_request_id(options);
  const Clock::time_point deadline = Clock::now() + options.timeout;
  Routed<Reply> out;
  out.route.partition = partition_of_key(context.coordinator_key);
  out.route.metadata_version = cluster_metadata()->version;
  // The session lives on the node that started it, which its id names (the
  // HLC's node), whoever leads the coordinator key's partition now: a
  // leader change does not end it, and its locks are replicated anyway.
  const auto owner = static_cast<std::uint64_t>(context.transaction_id.node);
  if (owner != node_id()) {
    if (options.forwarded) {  // sent here as the owner, and it is not: no such session here
      out.reply = co_await unknown(deadline);
      co_return out;
    }
    out.route.leader = owner;
    out.route.provenance = RouteProvenance::kForwarded;
    auto forward = forward_as<Routed<Reply>>(forwarder_, std::move(call), options);
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) break;
      Forwarded<Routed<Reply>> remote = co_await forward(owner, left, {});
      if (remote.reply) {
        out.reply = std::move(remote.reply->reply);
        co_return out;
      }
      if (remote.sent) {  // it may have run there: a resend with the same id is safe, a guess is not
        out.reply = with_code<Reply>(KvCode::kOutcomeUnknown);
        co_return out;
      }
      if (stopping()) break;
      asio::steady_timer pause(co_await asio::this_coro::executor, serve_timing::kUnreachablePause);
      co_await pause.async_wait(asio::use_awaitable);
    }
    // Its node cannot be reached. Only its record can tell how a commit
    // ended; nothing else was done.
    if (ends_session) {
      out.reply = co_await unknown(deadline);
    } else {
      out.reply = must_retry;
    }
    co_return out;
  }
  out.route.leader = owner;
  out.route.provenance = RouteProvenance::kLocal;
  std::shared_ptr<TxSession> session;
  switch (sessions_.claim(context.transaction_id, session)) {
    case TxSessionTable::Claim::kUnknown: out.reply = co_await unknown(deadline); co_return out;
    case TxSessionTable::Claim::kBusy: out.reply = must_retry; co_return out;
    case TxSessionTable::Claim::kClaimed: break;
  }
  // Released however the call ends.
  struct Claimed {
    TxSessionTable& table;
    TxSession& session;
    ~Claimed() { table.release(session); }
  } claimed{sessions_, *session};
  const TxSession::OperationKey id = operation_key(context, options.request_id);
  if (const TxSession::Stored* stored = session->answer_of(id)) {
    const bool same_call = stored->opcode == opcode && stored->key == key;
    out.reply = same_call ? std::get<Reply>(stored->reply) : with_code<Reply>(KvCode::kInvalidInput);
    co_return out;
  }
  if (!ends_session && (session->state != TxSession::State::kOpen || session->expired(Clock::now()))) {
    out.reply = with_code<Reply>(KvCode::kAborted);
    co_return out;
  }
  out.reply = co_await run(*session, deadline);
  // An answer that changed nothing need not be replayed: the call may
  // simply run again.
  if (out.reply.code != KvCode::kMustRetry)
    session->keep_answer(id, TxSession::Stored{opcode, key, out.reply});
  co_return out;
}

// ---- Start, commit, rollback, lock ----

asio::awaitable<Routed<TxSessionReply>> Kernel::tx_start(TxStartRequest request, CallOptions options) {
  Routed<TxSessionReply> out;
  if (request.coordinator_key.empty() || reserved(request.coordinator_key)) {
    out.reply =
        session_failure(KvCode::kInvalidInput, "coordinatorKey is required (and not under __kahuna:)");
    co_return out;
  }
  if (request.locking != TxLocking::kPessimistic && request.locking != TxLocking::kOptimistic) {
    out.reply =
        session_failure(KvCode::kInvalidInput, "lockingType must be 0 (pessimistic) or 1 (optimistic)");
    co_return out;
  }
  options = with_request_id(options);
  const std::uint32_t partition = partition_of_key(request.coordinator_key);
  ForwardedCall call = wire::TxStart{request};
  auto forward = forward_as<Routed<TxSessionReply>>(forwarder_, std::move(call), options);
  co_return co_await serve(
      partition, options, session_failure(KvCode::kMustRetry, "no leader owns the coordinator key yet"),
      session_failure(KvCode::kErrored, "the session could not start"),
      [&](PartitionService&, Clock::time_point) -> asio::awaitable<std::pair<ServeFailure, TxSessionReply>> {
        const auto timeout = request.timeout_ms <= 0 ? kDefaultSessionTimeout
                                                     : std::min(std::chrono::milliseconds(request.timeout_ms),
                                                                kMaxSessionTimeout);
        const HlcTimestamp id = clock_.now();
        auto session =
            std::make_shared<TxSession>(id, request.coordinator_key, request.locking, request.read_timestamp,
                                        services::hlc_after(id, timeout.count()), Clock::now() + timeout);
        if (!sessions_.open(std::move(session))) {
          co_return std::pair{ServeFailure::kNone,
                              session_failure(KvCode::kMustRetry, "this node holds too many open sessions")};
        }
        TxSessionReply started;
        started.code = KvCode::kSet;
        started.transaction_id = id;
        co_return std::pair{ServeFailure::kNone, std::move(started)};
      },
      std::move(forward));
}

asio::awaitable<Routed<TxSessionReply>> Kernel::tx_commit(TxEndRequest request, CallOptions options) {
  co_return co_await end_session(std::move(request), options, /*rollback=*/false);
}

asio::awaitable<Routed<TxSessionReply>> Kernel::tx_rollback(TxEndRequest request, CallOptions options) {
  co_return co_await end_session(std::move(request), options, /*rollback=*/true);
}

asio::awaitable<Routed<TxSessionReply>> Kernel::end_session(TxEndRequest request, CallOptions options,
                                                            bool rollback) {
  SessionCalls calls(*this, clock_);
  const TxContext context = request.context;
  const std::optional<std::string> anchor = request.record_anchor_key;
  const std::uint16_t opcode = rollback ? opcode_of<wire::TxRollback>() : opcode_of<wire::TxCommit>();
  ForwardedCall call = rollback ? ForwardedCall(wire::TxRollback{std::move(request)})
                                : ForwardedCall(wire::TxCommit{std::move(request)});
  std::string no_key;
  co_return co_await session_call<TxSessionReply>(
      context, opcode, std::move(no_key), std::move(call), options,
      [&](TxSession& session, Clock::time_point deadline) {
        return rollback ? calls.rollback(session, deadline) : calls.commit(session, deadline);
      },
      [&](Clock::time_point deadline) -> asio::awaitable<TxSessionReply> {
        // The session is not here: only its record can tell what became of it.
        if (!anchor || anchor->empty()) {
          co_return session_failure(
              KvCode::kErrored,
              "unknown transaction: it ended long ago, or its node lost the coordinator key's "
              "leadership; give recordAnchorKey to learn its outcome");
        }
        std::string anchor_key = *anchor;
        co_return co_await calls.learn(context.transaction_id, std::move(anchor_key), rollback, deadline);
      });
}

asio::awaitable<Routed<TxSessionReply>> Kernel::tx_lock(TxLockRequest request, CallOptions options) {
  if (request.key.empty() || reserved(request.key)) {
    Routed<TxSessionReply> out;
    out.reply = session_failure(KvCode::kInvalidInput, "key is required (and not under __kahuna:)");
    co_return out;
  }
  SessionCalls calls(*this, clock_);
  const std::string key = request.key;
  const TxContext context = request.context;
  std::string call_key = key;
  ForwardedCall call = wire::TxLock{std::move(request)};
  co_return co_await session_call<TxSessionReply>(
      context, opcode_of<wire::TxLock>(), std::move(call_key), std::move(call), options,
      [&](TxSession& session, Clock::time_point deadline) { return calls.lock(session, key, deadline); },
      [](Clock::time_point) -> asio::awaitable<TxSessionReply> {
        co_return session_failure(KvCode::kAborted, "unknown transaction: it ended or timed out");
      });
}

// ---- The point verbs, the bucket read and delete-many ----

namespace {

template <class Reply>
asio::awaitable<Reply> ended_session(std::chrono::steady_clock::time_point) {
  co_return with_code<Reply>(KvCode::kAborted);
}

}  // namespace

template <class Call, class Reply, class Request, class Run>
asio::awaitable<Routed<Reply>> Kernel::session_verb(Request request, std::string key, CallOptions options,
                                                    Run run) {
  SessionCalls calls(*this, clock_);
  const TxContext context = request.context;
  const decltype(request.request) inner = request.request;
  ForwardedCall call = Call{std::move(request)};
  co_return co_await session_call<Reply>(
      context, opcode_of<Call>(), std::move(key), std::move(call), options,
      [&](TxSession& session, Clock::time_point deadline) { return run(calls, session, inner, deadline); },
      &ended_session<Reply>);
}

asio::awaitable<Routed<KvReply>> Kernel::tx_kv_set(TxKvSetRequest request, CallOptions options) {
  std::string key = request.request.key;
  co_return co_await session_verb<wire::TxKvSet, KvReply>(
      std::move(request), std::move(key), options,
      [](SessionCalls& calls, TxSession& session, const KvSetRequest& set, Clock::time_point deadline) {
        return calls.set(session, set, deadline);
      });
}

asio::awaitable<Routed<KvReply>> Kernel::tx_kv_get(TxKvGetRequest request, CallOptions options) {
  std::string key = request.request.query.key;
  co_return co_await session_verb<wire::TxKvGet, KvReply>(
      std::move(request), std::move(key), options,
      [](SessionCalls& calls, TxSession& session, const KvGetRequest& get, Clock::time_point deadline) {
        return calls.get(session, get, /*with_value=*/true, deadline);
      });
}

asio::awaitable<Routed<KvReply>> Kernel::tx_kv_exists(TxKvGetRequest request, CallOptions options) {
  std::string key = request.request.query.key;
  co_return co_await session_verb<wire::TxKvExists, KvReply>(
      std::move(request), std::move(key), options,
      [](SessionCalls& calls, TxSession& session, const KvGetRequest& get, Clock::time_point deadline) {
        return calls.get(session, get, /*with_value=*/false, deadline);
      });
}

asio::awaitable<Routed<KvReply>> Kernel::tx_kv_delete(TxKvKeyRequest request, CallOptions options) {
  std::string key = request.request.key;
  co_return co_await session_verb<wire::TxKvDelete, KvReply>(
      std::move(request), std::move(key), options,
      [](SessionCalls& calls, TxSession& session, const KvKeyRequest& remove, Clock::time_point deadline) {
        return calls.remove(session, remove, deadline);
      });
}

asio::awaitable<Routed<KvReply>> Kernel::tx_kv_extend(TxKvExtendRequest request, CallOptions options) {
  std::string key = request.request.key;
  co_return co_await session_verb<wire::TxKvExtend, KvReply>(
      std::move(request), std::move(key), options,
      [](SessionCalls& calls, TxSession& session, const KvExtendRequest& extend, Clock::time_point deadline) {
        return calls.extend(session, extend, deadline);
      });
}

asio::awaitable<Routed<KvScanReply>> Kernel::tx_kv_get_by_bucket(TxKvPrefixRequest request,
                                                                 CallOptions options) {
  std::string key = request.request.prefix;
  co_return co_await session_verb<wire::TxKvGetByBucket, KvScanReply>(
      std::move(request), std::move(key), options,
      [](SessionCalls& calls, TxSession& session, const KvPrefixRequest& scan, Clock::time_point deadline) {
        return calls.get_by_bucket(session, scan, deadline);
      });
}

asio::awaitable<std::vector<Routed<KvReply>>> Kernel::tx_kv_delete_many(TxKvDeleteManyRequest request,
                                                                        CallOptions options) {
  // One after another, in the items' order, each a delete of the session
  // with an id of its own.
  options = with_request_id(options);
  std::vector<Routed<KvReply>> out;
  out.reserve(request.items.size());
  for (std::size_t i = 0; i < request.items.size(); ++i) {
    const std::uint32_t partition = partition_of_key(request.items[i].key);
    auto [context, item_options] = item_of(request.context, options, i);
    TxKvKeyRequest item{std::move(context), std::move(request.items[i])};
    Routed<KvReply> answer = co_await tx_kv_delete(std::move(item), item_options);
    answer.route.partition = partition;
    out.push_back(std::move(answer));
  }
  co_return out;
}

// ---- The reaper ----

asio::awaitable<void> Kernel::reap_sessions() {
  SessionCalls calls(*this, clock_);
  for (const std::shared_ptr<TxSession>& session : sessions_.claim_expired(Clock::now())) {
    co_await calls.expire(*session);
    sessions_.release(*session);
    spdlog::debug("transaction {}.{}.{}: session timed out; its locks were released", session->id().node,
                  session->id().physical, session->id().logical);
  }
}

}  // namespace kahuna
