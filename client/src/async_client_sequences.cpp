// AsyncClient: sequences.
#include <kahuna/client/async_client.h>

#include "call_runner.h"
#include "client_core.h"
#include "random_text.h"

namespace kahuna::client {

namespace {

constexpr std::size_t kIdempotencyKeyHexLength = 32;

detail::CoreCall sequence_call(detail::ClientCore& core, wire::RequestBody body, const std::string& name,
                               const Deadline& deadline) {
  detail::CoreCall call;
  call.body = std::move(body);
  call.target = detail::CallTarget::sequence(name);
  call.deadline = core.deadline_of(deadline);
  return call;
}

// A retried reserve must not allocate twice: the server returns the first
// allocation again for a key it has seen. A caller that opted out sends no
// key, so the leader may serve the call from its in-memory block.
std::optional<std::string> key_or_generated(std::optional<std::string> key, bool idempotent) {
  if (key) return key;
  if (!idempotent) return std::nullopt;
  return "sdk-" + detail::random_hex(kIdempotencyKeyHexLength);
}

}  // namespace

asio::awaitable<Result<SequenceResult>> AsyncClient::create_sequence(SequenceCreateRequest request,
                                                                     BasicOptions options) {
  const std::string name = request.name;
  wire::SequenceCreate body{std::move(request)};
  return detail::run_routed<SequenceReply>(core_,
                                           sequence_call(*core_, std::move(body), name, options.deadline));
}

asio::awaitable<Result<SequenceResult>> AsyncClient::get_sequence(std::string name, BasicOptions options) {
  wire::SequenceGet body{name};
  return detail::run_routed<SequenceReply>(core_,
                                           sequence_call(*core_, std::move(body), name, options.deadline));
}

asio::awaitable<Result<SequenceResult>> AsyncClient::update_sequence(SequenceUpdateRequest request,
                                                                     BasicOptions options) {
  const std::string name = request.name;
  wire::SequenceUpdate body{std::move(request)};
  return detail::run_routed<SequenceReply>(core_,
                                           sequence_call(*core_, std::move(body), name, options.deadline));
}

asio::awaitable<Result<SequenceResult>> AsyncClient::next(std::string name,
                                                          std::optional<std::string> idempotency_key,
                                                          SequenceOptions options) {
  wire::SequenceNext body{name, key_or_generated(std::move(idempotency_key), options.idempotent)};
  return detail::run_routed<SequenceReply>(core_,
                                           sequence_call(*core_, std::move(body), name, options.deadline));
}

asio::awaitable<Result<SequenceResult>> AsyncClient::reserve(std::string name, std::int64_t count,
                                                             std::optional<std::string> idempotency_key,
                                                             SequenceOptions options) {
  wire::SequenceReserve body{
      SequenceReserveRequest{name, count, key_or_generated(std::move(idempotency_key), options.idempotent)}};
  return detail::run_routed<SequenceReply>(core_,
                                           sequence_call(*core_, std::move(body), name, options.deadline));
}

asio::awaitable<Result<SequenceResult>> AsyncClient::delete_sequence(std::string name, BasicOptions options) {
  wire::SequenceDelete body{name};
  return detail::run_routed<SequenceReply>(core_,
                                           sequence_call(*core_, std::move(body), name, options.deadline));
}

}  // namespace kahuna::client
