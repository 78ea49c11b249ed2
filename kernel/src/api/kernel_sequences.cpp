// The Kernel's sequencer operations (HTTP-API.md §7). Always persistent.
#include "api/kernel_serve.h"
#include "services/storage/engine_state_reader.h"

namespace kahuna {
namespace {

const SequenceReply kSequenceMustRetry{SequenceCode::kMustRetry};
const SequenceReply kSequenceError{SequenceCode::kError};

}  // namespace

asio::awaitable<Routed<SequenceReply>> Kernel::sequence_command(const std::string& name,
                                                                services::CommandBody body,
                                                                const CallOptions& options,
                                                                ForwardFn<SequenceReply> forward) {
  co_return co_await serve(
      partition_of_sequence(name), options, kSequenceMustRetry, kSequenceError,
      [&](PartitionService& service,
          Clock::time_point deadline) -> asio::awaitable<std::pair<ServeFailure, SequenceReply>> {
        services::Reply reply;
        ServeFailure failure = co_await service.propose(body, options.request_id, deadline, reply);
        co_return std::pair{failure, reply_as(reply, kSequenceError)};
      },
      std::move(forward));
}

asio::awaitable<Routed<SequenceReply>> Kernel::sequence_create(SequenceCreateRequest r, CallOptions options) {
  options = with_request_id(options);
  auto forward = forward_as<Routed<SequenceReply>>(forwarder_, wire::SequenceCreate{r}, options);
  const std::string name = r.name;
  services::CommandBody body = std::move(r);
  co_return co_await sequence_command(name, std::move(body), options, std::move(forward));
}

asio::awaitable<Routed<SequenceReply>> Kernel::sequence_update(SequenceUpdateRequest r, CallOptions options) {
  options = with_request_id(options);
  auto forward = forward_as<Routed<SequenceReply>>(forwarder_, wire::SequenceUpdate{r}, options);
  const std::string name = r.name;
  services::CommandBody body = std::move(r);
  co_return co_await sequence_command(name, std::move(body), options, std::move(forward));
}

asio::awaitable<Routed<SequenceReply>> Kernel::sequence_delete(std::string name, CallOptions options) {
  options = with_request_id(options);
  auto forward = forward_as<Routed<SequenceReply>>(forwarder_, wire::SequenceDelete{name}, options);
  services::CommandBody body = services::SequenceDelete{name};
  co_return co_await sequence_command(name, std::move(body), options, std::move(forward));
}

asio::awaitable<Routed<SequenceReply>> Kernel::sequence_get(std::string name, CallOptions options) {
  options.request_id = {};  // a read: nothing to apply once, always safe to resend
  const std::uint32_t partition = partition_of_sequence(name);
  auto read = [&](PartitionService& service) {
    SequenceReply reply = kSequenceError;
    services::EngineStateReader reader(service.engine());
    return service.machine().sequences().get(reader, name, reply) ? reply : kSequenceError;
  };
  if (options.consistency == ReadConsistency::kLocal) co_return read_here<SequenceReply>(partition, read);
  ForwardFn<SequenceReply> forward =
      forward_as<Routed<SequenceReply>>(forwarder_, wire::SequenceGet{name}, options);
  co_return co_await serve(
      partition, options, kSequenceMustRetry, kSequenceError,
      [&](PartitionService& service,
          Clock::time_point deadline) -> asio::awaitable<std::pair<ServeFailure, SequenceReply>> {
        if (ServeFailure failure = co_await service.read_barrier(deadline); failure != ServeFailure::kNone) {
          co_return std::pair{failure, kSequenceError};
        }
        co_return std::pair{ServeFailure::kNone, read(service)};
      },
      std::move(forward));
}

asio::awaitable<Routed<SequenceReply>> Kernel::sequence_reserve(SequenceReserveRequest r,
                                                                CallOptions options) {
  options = with_request_id(options);
  auto forward = forward_as<Routed<SequenceReply>>(forwarder_, wire::SequenceReserve{r}, options);
  co_return co_await serve(
      partition_of_sequence(r.name), options, kSequenceMustRetry, kSequenceError,
      [&](PartitionService& service,
          Clock::time_point deadline) -> asio::awaitable<std::pair<ServeFailure, SequenceReply>> {
        services::Reply reply;
        if (r.idempotency_key) {
          // A retry must get the same allocation: only the replicated state
          // remembers what a key was given.
          services::CommandBody body =
              r.count == 1
                  ? services::CommandBody(services::SequenceNext{r.name, r.idempotency_key})
                  : services::CommandBody(services::SequenceReserveRange{r.name, r.count, r.idempotency_key});
          ServeFailure failure =
              co_await service.propose(std::move(body), options.request_id, deadline, reply);
          co_return std::pair{failure, reply_as(reply, kSequenceError)};
        }
        // Served from the leader's block when it holds enough values. A
        // resent call gets what its first send got, while this leadership
        // lasts (take_from_block).
        if (r.count >= 1) {
          if (auto allocation = service.take_from_block(r.name, r.count, options.request_id)) {
            SequenceReply served{SequenceCode::kSuccess};
            served.revision = allocation->revision;
            served.allocation = *allocation;
            co_return std::pair{ServeFailure::kNone, served};
          }
        }
        services::CommandBody block =
            services::SequenceReserveBlock{r.name, r.count, service.default_block_size()};
        ServeFailure failure =
            co_await service.propose(std::move(block), options.request_id, deadline, reply);
        SequenceReply out = reply_as(reply, kSequenceError);
        out.leftover = {};  // the leader's business, not the client's
        out.increment = 0;
        co_return std::pair{failure, out};
      },
      std::move(forward));
}

}  // namespace kahuna
