#include <kahuna/wire/dispatch.h>

#include <kahuna/status.h>

namespace kahuna::wire {
namespace {

// One overload per request alternative, most of them made from the
// operation table. Parameters are taken by value: each is a coroutine, and
// its frame must own what it uses.

#define KAHUNA_OPERATION(name, Result, parameters, arguments, WireBody, wire_arguments, ...) \
  asio::awaitable<Response> call(KernelApi& k, WireBody c, CallOptions o) {                  \
    co_return co_await k.name(KAHUNA_UNPARENTHESIZED wire_arguments, o);                     \
  }
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION

// Bodies of the wire that are not operations of their own.
asio::awaitable<Response> call(KernelApi& k, SequenceNext c, CallOptions o) {
  SequenceReserveRequest reserve;
  reserve.name = std::move(c.name);
  reserve.count = 1;
  reserve.idempotency_key = std::move(c.idempotency_key);
  co_return co_await k.sequence_reserve(std::move(reserve), o);
}
asio::awaitable<Response> call(KernelApi& k, GetClusterStatus, CallOptions) { co_return k.cluster_status(); }

}  // namespace

asio::awaitable<Response> dispatch(KernelApi& kernel, Request request, CallOptions options) {
  try {
    co_return co_await std::visit(
        [&](auto& alternative) { return call(kernel, std::move(alternative), options); }, request.body);
  } catch (...) {
    // status_from_current_exception never throws, and moving its message does
    // not allocate: the error reply itself cannot fail.
    co_return ErrorReply{ErrorCode::kInternal,
                         status_from_current_exception("running the request").message()};
  }
}

}  // namespace kahuna::wire
