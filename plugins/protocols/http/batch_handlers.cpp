// /v1/kv/try-*-many: the valid items go to the kernel as one batch (a
// delete-many that names a session, inside it); invalid ones answer
// invalidInput on their own rows, in the order they were sent.
#include <chrono>
#include <optional>

#include "handlers.h"

namespace kahuna::http {
namespace {

// `session`: delete-many's, when it runs in one (the other batches never do).
template <class Request>
asio::awaitable<std::vector<Routed<KvReply>>> run_batch(ServiceContext& context, wire::Opcode verb,
                                                        std::vector<Request> requests,
                                                        std::optional<TxContext> session) {
  if constexpr (std::is_same_v<Request, KvSetRequest>) {
    co_return co_await context.kernel.kv_set_many(std::move(requests), CallOptions{});
  } else if constexpr (std::is_same_v<Request, KvKeyRequest>) {
    if (session) {
      TxKvDeleteManyRequest in_session{std::move(*session), std::move(requests)};
      co_return co_await context.kernel.tx_kv_delete_many(std::move(in_session), CallOptions{});
    }
    co_return co_await context.kernel.kv_delete_many(std::move(requests), CallOptions{});
  } else {
    if (verb == wire::Opcode::kKvGetMany)
      co_return co_await context.kernel.kv_get_many(std::move(requests), CallOptions{});
    co_return co_await context.kernel.kv_exists_many(std::move(requests), CallOptions{});
  }
}

// Whether a batch that names a session may run in it: only delete-many
// (TRANSACTIONS.md §2), and only with a complete context.
template <class Request>
bool runs_in_its_session(wire::Opcode verb, const BatchRequest<Request>& batch) {
  return batch.transactional && verb == wire::Opcode::kKvDeleteMany && batch.session_problem.empty();
}

// Why a whole batch is invalidInput.
template <class Request>
std::string refusal_of(wire::Opcode verb, const BatchRequest<Request>& batch) {
  if (batch.items_missing) return "items is required";
  if (verb != wire::Opcode::kKvDeleteMany)
    return "only try-delete-many takes part in sessions: transactionId must be zero here";
  return batch.session_problem;
}

template <class Request>
asio::awaitable<HttpResponse> answer_batch(ServiceContext& context, wire::Opcode verb,
                                           BatchRequest<Request> batch,
                                           std::chrono::steady_clock::time_point started) {
  auto elapsed_ms = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
        .count();
  };
  std::vector<BatchRow> rows(batch.items.size());
  for (std::size_t i = 0; i < batch.items.size(); ++i) {
    rows[i].key = batch.items[i].key;
    rows[i].durability = batch.items[i].durability;
    rows[i].reply.code = KvCode::kInvalidInput;
  }
  const bool in_session = runs_in_its_session(verb, batch);
  if (batch.items_missing || (batch.transactional && !in_session)) {
    co_return json_response(with_reason(encode_batch_reply(verb, KvCode::kInvalidInput, rows, elapsed_ms()),
                                        refusal_of(verb, batch)));
  }
  std::optional<TxContext> session;
  if (in_session) session = batch.session;

  std::vector<Request> valid;
  std::vector<std::size_t> row_of_valid;
  for (std::size_t i = 0; i < batch.items.size(); ++i) {
    if (!batch.items[i].invalid.empty()) continue;
    valid.push_back(std::move(batch.items[i].request));
    row_of_valid.push_back(i);
  }
  if (!valid.empty()) {
    std::vector<Routed<KvReply>> replies =
        co_await run_batch(context, verb, std::move(valid), std::move(session));
    for (std::size_t j = 0; j < row_of_valid.size(); ++j) {
      BatchRow& row = rows[row_of_valid[j]];
      if (j >= replies.size()) {
        row.reply = KvReply{.code = KvCode::kErrored};  // the kernel broke its one-row-per-item promise
        continue;
      }
      row.reply = std::move(replies[j].reply);
      row.route = context.hints.hint(replies[j].route);
    }
  }
  co_return json_response(encode_batch_reply(verb, batch_success_code(verb), rows, elapsed_ms()));
}

}  // namespace

asio::awaitable<HttpResponse> handle_kv_batch(ServiceContext& context, HttpRequest request,
                                              wire::Opcode verb) {
  const auto started = std::chrono::steady_clock::now();
  rapidjson::Document body;
  HttpResponse error;
  if (!parse_request_body(request, body, error)) co_return error;
  switch (verb) {
    case wire::Opcode::kKvSetMany: {
      BatchRequest<KvSetRequest> batch;
      if (DecodeResult d = decode_set_many(body, batch); !d.is_ok()) co_return error_response(400, d.reason);
      co_return co_await answer_batch(context, verb, std::move(batch), started);
    }
    case wire::Opcode::kKvDeleteMany: {
      BatchRequest<KvKeyRequest> batch;
      if (DecodeResult d = decode_delete_many(body, batch); !d.is_ok())
        co_return error_response(400, d.reason);
      co_return co_await answer_batch(context, verb, std::move(batch), started);
    }
    case wire::Opcode::kKvGetMany:
    case wire::Opcode::kKvExistsMany: {
      BatchRequest<KvGetRequest> batch;
      if (DecodeResult d = decode_get_many(body, batch); !d.is_ok()) co_return error_response(400, d.reason);
      co_return co_await answer_batch(context, verb, std::move(batch), started);
    }
    default: co_return error_response(404, "unknown batch verb");
  }
}

}  // namespace kahuna::http
