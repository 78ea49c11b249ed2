#include "transaction_drop.h"

#include <chrono>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/use_future.hpp>

#include "client_core.h"
#include "transaction_calls.h"

namespace kahuna::client::detail {

namespace {

// Beyond the rollback's own deadline, for the executor to hand its result over.
constexpr auto kHandOverMargin = std::chrono::milliseconds(500);

bool needs_rollback(const TransactionState& state) {
  if (state.core->closed()) return false;  // its executor may be gone; the server's timeout ends it
  const TransactionStatus status = state.status.load();
  return status == TransactionStatus::kActive || status == TransactionStatus::kCommitUnknown;
}

}  // namespace

void roll_back_on_drop(const std::shared_ptr<TransactionState>& state,
                       std::optional<std::thread::id> blocking_io_thread) noexcept {
  if (!state || !needs_rollback(*state)) return;
  try {
    const auto executor = state->core->executor();
    if (blocking_io_thread && *blocking_io_thread != std::this_thread::get_id()) {
      auto done = asio::co_spawn(executor, session_rollback(state, BasicOptions{}), asio::use_future);
      const auto bound = state->core->deadline_of(state->options.deadline) + kHandOverMargin;
      // The call ends by its deadline; the bound only guards against an
      // executor that stopped running.
      (void)done.wait_for(bound);
      return;
    }
    asio::co_spawn(executor, session_rollback(state, BasicOptions{}), asio::detached);
  } catch (...) {
    // A destructor must not throw; the server's timeout then ends the session.
  }
}

}  // namespace kahuna::client::detail
