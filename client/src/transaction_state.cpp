#include "transaction_state.h"

#include "client_core.h"
#include "request_ids.h"

namespace kahuna::client::detail {

TransactionState::TransactionState(std::shared_ptr<ClientCore> core_in, std::string coordinator_key_in,
                                   TransactionOptions options_in)
    : core(std::move(core_in)),
      coordinator_key(std::move(coordinator_key_in)),
      options(std::move(options_in)),
      operation_high_(random_client_number()) {}

TxContext TransactionState::next_context() {
  // The random half keeps sessions apart, the counter keeps the calls of
  // one session apart: no two calls ever share an id.
  return TxContext{id, coordinator_key, operation_high_, ++last_operation_};
}

void TransactionState::note_answer(KvCode code) noexcept {
  if (code != KvCode::kAborted && code != KvCode::kAlreadyLocked) return;
  KvCode none = KvCode::kSet;
  conflict.compare_exchange_strong(none, code);
}

void TransactionState::note_failure(const Error& error) {
  if (!failure) failure = error;
}

}  // namespace kahuna::client::detail
