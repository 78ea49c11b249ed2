// The calls of an interactive session (TRANSACTIONS.md §2), shared by
// AsyncTransaction and the blocking Transaction. Each runs on the client's
// executor and takes its state by value, so that it outlives the handle that
// started it.
//
// Every call goes to the node that leads the coordinator key's partition when
// the client knows it (any node would do: the others forward it to the
// session's owner), with a fresh operation id that each resend repeats.
// Only an active session sends its reads, writes and locks; a session whose
// commit's outcome is unknown may commit again or roll back; a decided one
// answers commit and rollback with its decision, without a call.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>

#include <kahuna/client/call_options.h>
#include <kahuna/client/replies.h>
#include <kahuna/client/result.h>

#include "transaction_state.h"

namespace kahuna::client::detail {

// Starts the session `state` describes: the state is active after a
// `started` answer, not started after any other.
asio::awaitable<Result<TxResult>> start_session(std::shared_ptr<TransactionState> state);

asio::awaitable<Result<KvResult>> session_set(std::shared_ptr<TransactionState> state, std::string key,
                                              std::optional<std::string> value, SetOptions options);
asio::awaitable<Result<KvResult>> session_get(std::shared_ptr<TransactionState> state, std::string key,
                                              ReadOptions options);
asio::awaitable<Result<KvResult>> session_exists(std::shared_ptr<TransactionState> state, std::string key,
                                                 ReadOptions options);
asio::awaitable<Result<KvResult>> session_remove(std::shared_ptr<TransactionState> state, std::string key,
                                                 WriteOptions options);
asio::awaitable<Result<KvResult>> session_extend(std::shared_ptr<TransactionState> state, std::string key,
                                                 std::chrono::milliseconds ttl, WriteOptions options);
asio::awaitable<Result<ScanResult>> session_get_by_bucket(std::shared_ptr<TransactionState> state,
                                                          std::string bucket, ScanOptions options);
asio::awaitable<Result<BatchResult>> session_delete_many(std::shared_ptr<TransactionState> state,
                                                         std::vector<KvKeyRequest> items,
                                                         BasicOptions options);
asio::awaitable<Result<TxResult>> session_lock(std::shared_ptr<TransactionState> state, std::string key,
                                               LockOptions options);

// committed, aborted or outcome unknown (also when the call's deadline
// passed after the commit may have reached the server); the latter leaves
// the session to be committed again, with the decision record's key.
asio::awaitable<Result<TxResult>> session_commit(std::shared_ptr<TransactionState> state,
                                                 BasicOptions options);
// rolledBack (or committed, when a commit had already decided it).
asio::awaitable<Result<TxResult>> session_rollback(std::shared_ptr<TransactionState> state,
                                                   BasicOptions options);

}  // namespace kahuna::client::detail
