// What becomes of a session whose handle goes away undecided: it is rolled
// back, so that its locks do not wait for its timeout.
#pragma once

#include <memory>
#include <optional>
#include <thread>

#include "transaction_state.h"

namespace kahuna::client::detail {

// Rolls back `state`'s session if it started and is not decided, and the
// client still runs. `blocking_io_thread`: the thread of a blocking Client,
// set for its handles; off that thread the rollback is waited for, at most
// its deadline, so that a program that ends right after sees it done.
// Otherwise it is started and left to run. Never throws.
void roll_back_on_drop(const std::shared_ptr<TransactionState>& state,
                       std::optional<std::thread::id> blocking_io_thread) noexcept;

}  // namespace kahuna::client::detail
