#include "transaction_calls.h"

#include "client_core.h"
#include "kv_requests.h"
#include "reply_cast.h"

namespace kahuna::client::detail {

namespace {

// Reads, writes and locks go out only while the session is active.
std::optional<Error> refuse_unless_active(const TransactionState& state) {
  const TransactionStatus status = state.status.load();
  switch (status) {
    case TransactionStatus::kActive: return std::nullopt;
    case TransactionStatus::kNotStarted:
      return Error{ErrorKind::kInvalidArgument, "the transaction was not started"};
    case TransactionStatus::kCommitUnknown:
      return Error{ErrorKind::kInvalidArgument,
                   "the transaction's commit has an unknown outcome: commit again or roll back"};
    default: break;
  }
  return Error{ErrorKind::kInvalidArgument,
               "the transaction is " + std::string(to_string(status)) + " already"};
}

CoreCall session_call(const TransactionState& state, wire::RequestBody body, const Deadline& deadline) {
  CoreCall call;
  call.body = std::move(body);
  // The leader of the coordinator key's partition owns the session; any
  // other node would forward the call there.
  call.target = CallTarget::key(state.coordinator_key);
  call.deadline = state.core->deadline_of(deadline ? deadline : state.options.deadline);
  return call;
}

template <class Reply>
asio::awaitable<Result<Reply>> run_session_call(std::shared_ptr<TransactionState> state, CoreCall call) {
  asio::awaitable<Result<wire::Response>> sending = state->core->call(std::move(call));
  Result<wire::Response> raw = co_await std::move(sending);
  Result<Reply> reply = routed_reply_as<Reply>(std::move(raw));
  if (reply) {
    state->note_answer(reply->code);
  } else {
    state->note_failure(reply.error());
  }
  co_return reply;
}

// A reply that stands for a commit whose outcome the client could not learn.
TxResult unknown_commit(const TransactionState& state, std::string reason) {
  TxResult reply;
  reply.code = KvCode::kOutcomeUnknown;
  reply.transaction_id = state.id;
  reply.record_anchor_key = state.record_anchor_key.value_or("");
  reply.reason = std::move(reason);
  return reply;
}

// commit and rollback: the decision record they may ask about, and what a
// decided session answers without a call.
asio::awaitable<Result<TxResult>> end_session(std::shared_ptr<TransactionState> state, bool commit,
                                              BasicOptions options) {
  const TransactionStatus status = state->status.load();
  if (status == TransactionStatus::kNotStarted) {
    co_return Error{ErrorKind::kInvalidArgument, "the transaction was not started"};
  }
  if (is_decided(status)) co_return state->end_reply;

  TxEndRequest request{state->next_context(), state->record_anchor_key};
  wire::RequestBody body;
  if (commit) {
    body = wire::TxCommit{std::move(request)};
  } else {
    body = wire::TxRollback{std::move(request)};
  }
  CoreCall call = session_call(*state, std::move(body), options.deadline);
  // A commit's unknown answer names the decision record; resending under
  // the same operation id would only repeat that answer, so the caller gets
  // it and a later commit asks the record, under an id of its own.
  if (commit) call.resend_when_unknown = false;
  asio::awaitable<Result<TxResult>> ending = run_session_call<TxSessionReply>(state, std::move(call));
  Result<TxResult> reply = co_await std::move(ending);
  if (!reply) {
    if (commit && reply.error().kind == ErrorKind::kOutcomeUnknown) {
      state->status = TransactionStatus::kCommitUnknown;
      state->end_reply = unknown_commit(*state, reply.error().message);
      co_return state->end_reply;
    }
    co_return reply;
  }
  if (!reply->record_anchor_key.empty()) state->record_anchor_key = reply->record_anchor_key;
  switch (reply->code) {
    case KvCode::kCommitted: state->status = TransactionStatus::kCommitted; break;
    case KvCode::kAborted: state->status = TransactionStatus::kAborted; break;
    case KvCode::kRolledBack: state->status = TransactionStatus::kRolledBack; break;
    case KvCode::kOutcomeUnknown: state->status = TransactionStatus::kCommitUnknown; break;
    default: break;  // invalidInput, errored...: nothing changed
  }
  state->end_reply = *reply;
  co_return reply;
}

}  // namespace

asio::awaitable<Result<TxResult>> start_session(std::shared_ptr<TransactionState> state) {
  TxStartRequest request;
  request.coordinator_key = state->coordinator_key;
  request.timeout_ms = state->options.timeout.count();
  request.locking = state->options.locking;
  request.read_timestamp = state->options.read_timestamp;
  CoreCall call = session_call(*state, wire::TxStart{std::move(request)}, state->options.deadline);
  asio::awaitable<Result<TxResult>> starting = run_session_call<TxSessionReply>(state, std::move(call));
  Result<TxResult> reply = co_await std::move(starting);
  if (!reply) co_return reply;
  state->start_reply = *reply;
  if (reply->code == KvCode::kSet) {
    state->id = reply->transaction_id;
    state->status = TransactionStatus::kActive;
  }
  co_return reply;
}

asio::awaitable<Result<KvResult>> session_set(std::shared_ptr<TransactionState> state, std::string key,
                                              std::optional<std::string> value, SetOptions options) {
  if (auto refused = refuse_unless_active(*state)) co_return *refused;
  KvSetRequest request = set_request(std::move(key), std::move(value), options);
  CoreCall call = session_call(
      *state, wire::TxKvSet{TxKvSetRequest{state->next_context(), std::move(request)}}, options.deadline);
  asio::awaitable<Result<KvResult>> running = run_session_call<KvReply>(state, std::move(call));
  co_return co_await std::move(running);
}

asio::awaitable<Result<KvResult>> session_get(std::shared_ptr<TransactionState> state, std::string key,
                                              ReadOptions options) {
  if (auto refused = refuse_unless_active(*state)) co_return *refused;
  TxKvGetRequest request{state->next_context(), get_request(std::move(key), options)};
  CoreCall call = session_call(*state, wire::TxKvGet{std::move(request)}, options.deadline);
  asio::awaitable<Result<KvResult>> running = run_session_call<KvReply>(state, std::move(call));
  co_return co_await std::move(running);
}

asio::awaitable<Result<KvResult>> session_exists(std::shared_ptr<TransactionState> state, std::string key,
                                                 ReadOptions options) {
  if (auto refused = refuse_unless_active(*state)) co_return *refused;
  TxKvGetRequest request{state->next_context(), get_request(std::move(key), options)};
  CoreCall call = session_call(*state, wire::TxKvExists{std::move(request)}, options.deadline);
  asio::awaitable<Result<KvResult>> running = run_session_call<KvReply>(state, std::move(call));
  co_return co_await std::move(running);
}

asio::awaitable<Result<KvResult>> session_remove(std::shared_ptr<TransactionState> state, std::string key,
                                                 WriteOptions options) {
  if (auto refused = refuse_unless_active(*state)) co_return *refused;
  TxKvKeyRequest request{state->next_context(), KvKeyRequest{std::move(key), options.durability}};
  CoreCall call = session_call(*state, wire::TxKvDelete{std::move(request)}, options.deadline);
  asio::awaitable<Result<KvResult>> running = run_session_call<KvReply>(state, std::move(call));
  co_return co_await std::move(running);
}

asio::awaitable<Result<KvResult>> session_extend(std::shared_ptr<TransactionState> state, std::string key,
                                                 std::chrono::milliseconds ttl, WriteOptions options) {
  if (auto refused = refuse_unless_active(*state)) co_return *refused;
  TxKvExtendRequest request{state->next_context(),
                            KvExtendRequest{std::move(key), ttl.count(), options.durability}};
  CoreCall call = session_call(*state, wire::TxKvExtend{std::move(request)}, options.deadline);
  asio::awaitable<Result<KvResult>> running = run_session_call<KvReply>(state, std::move(call));
  co_return co_await std::move(running);
}

asio::awaitable<Result<ScanResult>> session_get_by_bucket(std::shared_ptr<TransactionState> state,
                                                          std::string bucket, ScanOptions options) {
  if (auto refused = refuse_unless_active(*state)) co_return *refused;
  TxKvPrefixRequest request{state->next_context(),
                            KvPrefixRequest{std::move(bucket), options.read_timestamp, options.durability}};
  CoreCall call = session_call(*state, wire::TxKvGetByBucket{std::move(request)}, options.deadline);
  asio::awaitable<Result<ScanResult>> running = run_session_call<KvScanReply>(state, std::move(call));
  co_return co_await std::move(running);
}

asio::awaitable<Result<BatchResult>> session_delete_many(std::shared_ptr<TransactionState> state,
                                                         std::vector<KvKeyRequest> items,
                                                         BasicOptions options) {
  if (auto refused = refuse_unless_active(*state)) co_return *refused;
  TxKvDeleteManyRequest request{state->next_context(), std::move(items)};
  CoreCall call = session_call(*state, wire::TxKvDeleteMany{std::move(request)}, options.deadline);
  asio::awaitable<Result<wire::Response>> sending = state->core->call(std::move(call));
  Result<wire::Response> raw = co_await std::move(sending);
  Result<std::vector<Routed<KvReply>>> rows = reply_as<std::vector<Routed<KvReply>>>(std::move(raw));
  if (!rows) {
    state->note_failure(rows.error());
    co_return rows.error();
  }
  BatchResult result;
  result.reserve(rows->size());
  for (Routed<KvReply>& row : *rows) {
    state->note_answer(row.reply.code);
    result.push_back(std::move(row.reply));
  }
  co_return result;
}

asio::awaitable<Result<TxResult>> session_lock(std::shared_ptr<TransactionState> state, std::string key,
                                               LockOptions options) {
  if (auto refused = refuse_unless_active(*state)) co_return *refused;
  TxLockRequest request;
  request.context = state->next_context();
  request.key = std::move(key);
  request.durability = options.durability;
  CoreCall call = session_call(*state, wire::TxLock{std::move(request)}, options.deadline);
  asio::awaitable<Result<TxResult>> running = run_session_call<TxSessionReply>(state, std::move(call));
  co_return co_await std::move(running);
}

asio::awaitable<Result<TxResult>> session_commit(std::shared_ptr<TransactionState> state,
                                                 BasicOptions options) {
  asio::awaitable<Result<TxResult>> ending = end_session(std::move(state), true, options);
  co_return co_await std::move(ending);
}

asio::awaitable<Result<TxResult>> session_rollback(std::shared_ptr<TransactionState> state,
                                                   BasicOptions options) {
  asio::awaitable<Result<TxResult>> ending = end_session(std::move(state), false, options);
  co_return co_await std::move(ending);
}

}  // namespace kahuna::client::detail
