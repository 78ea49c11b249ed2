// AsyncClient: interactive transactions.
#include <exception>

#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <kahuna/client/async_client.h>

#include "client_core.h"
#include "transaction_calls.h"
#include "transaction_retry.h"
#include "transaction_state.h"

namespace kahuna::client {

namespace {

using Body = std::function<asio::awaitable<void>(AsyncTransaction&)>;

asio::awaitable<Result<AsyncTransaction>> begin(std::shared_ptr<detail::ClientCore> core,
                                                std::string coordinator_key, TransactionOptions options) {
  auto state = std::make_shared<detail::TransactionState>(std::move(core), std::move(coordinator_key),
                                                          std::move(options));
  asio::awaitable<Result<TxResult>> starting = detail::start_session(state);
  Result<TxResult> started = co_await std::move(starting);
  if (!started) co_return started.error();
  co_return AsyncTransaction(std::move(state));
}

asio::awaitable<void> sleep_for(const asio::any_io_executor& executor, std::chrono::milliseconds delay) {
  asio::steady_timer timer(executor, delay);
  std::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

// One attempt of with_transaction: runs `body` in `tx`, then commits it, or
// rolls it back when a call lost a conflict or failed. Rethrows what `body`
// throws, after rolling back.
asio::awaitable<Result<TxResult>> attempt(AsyncTransaction& tx, const Body& body) {
  std::exception_ptr thrown;
  try {
    asio::awaitable<void> running = body(tx);
    co_await std::move(running);
  } catch (...) {
    thrown = std::current_exception();
  }
  if (thrown) {
    asio::awaitable<Result<TxResult>> rolling_back = tx.rollback();
    Result<TxResult> ignored = co_await std::move(rolling_back);
    (void)ignored;
    std::rethrow_exception(thrown);
  }
  if (!tx.active()) co_return tx.end_reply();  // `body` ended it itself
  if (const std::optional<KvCode> conflict = tx.conflict()) {
    asio::awaitable<Result<TxResult>> rolling_back = tx.rollback();
    Result<TxResult> ignored = co_await std::move(rolling_back);
    (void)ignored;
    co_return detail::TransactionRetry::conflict_reply(*conflict);
  }
  if (const std::optional<Error> failure = tx.failure()) {
    asio::awaitable<Result<TxResult>> rolling_back = tx.rollback();
    Result<TxResult> ignored = co_await std::move(rolling_back);
    (void)ignored;
    co_return detail::TransactionRetry::failure_error(*failure);
  }
  asio::awaitable<Result<TxResult>> committing = tx.commit();
  co_return co_await std::move(committing);
}

asio::awaitable<Result<TxResult>> run_with_retries(std::shared_ptr<detail::ClientCore> core,
                                                   std::string coordinator_key, Body body,
                                                   TransactionOptions options) {
  detail::TransactionRetry retry(options);
  for (;;) {
    asio::awaitable<Result<AsyncTransaction>> beginning = begin(core, coordinator_key, options);
    Result<AsyncTransaction> begun = co_await std::move(beginning);
    if (!begun) co_return begun.error();
    AsyncTransaction tx = std::move(begun.value());
    if (tx.status() == TransactionStatus::kNotStarted) co_return tx.start_reply();

    asio::awaitable<Result<TxResult>> running = attempt(tx, body);
    Result<TxResult> outcome = co_await std::move(running);
    if (!outcome || !retry.again(*outcome)) co_return outcome;
    asio::awaitable<void> waiting = sleep_for(core->executor(), retry.delay());
    co_await std::move(waiting);
    if (core->closed()) co_return Error{ErrorKind::kClosed, "the client was shut down"};
  }
}

}  // namespace

asio::awaitable<Result<AsyncTransaction>> AsyncClient::begin_transaction(std::string coordinator_key,
                                                                         TransactionOptions options) {
  return begin(core_, std::move(coordinator_key), std::move(options));
}

asio::awaitable<Result<TxResult>> AsyncClient::with_transaction(std::string coordinator_key, Body body,
                                                                TransactionOptions options) {
  return run_with_retries(core_, std::move(coordinator_key), std::move(body), std::move(options));
}

}  // namespace kahuna::client
