// dispatch: runs a decoded request against a KernelApi — the one place that
// maps each request alternative onto its KernelApi method.
#pragma once

#include <asio/awaitable.hpp>

#include <kahuna/kernel_api.h>
#include <kahuna/operations.h>
#include <kahuna/wire/request.h>
#include <kahuna/wire/response.h>

namespace kahuna::wire {

// The KernelApi call a request body names, with its own result type: one
// overload per row of kahuna/operations.def, and the bodies that are not
// operations of their own. Every protocol serves an operation through these
// (the binary one through dispatch below, HTTP after decoding its JSON into
// the same bodies). The arguments are moved into the kernel's coroutine
// frame before this returns.
#define KAHUNA_OPERATION(name, Result, parameters, arguments, WireBody, wire_arguments, ...) \
  inline asio::awaitable<Result> call(KernelApi& k, WireBody c, CallOptions o) {             \
    return k.name(KAHUNA_UNPARENTHESIZED wire_arguments, o);                                 \
  }
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION

// Reserve with count 1 (HTTP-API.md §7's own verb).
inline asio::awaitable<Routed<SequenceReply>> call(KernelApi& k, SequenceNext c, CallOptions o) {
  SequenceReserveRequest reserve;
  reserve.name = std::move(c.name);
  reserve.count = 1;
  reserve.idempotency_key = std::move(c.idempotency_key);
  return k.sequence_reserve(std::move(reserve), o);
}

// Calls the KernelApi method matching `request.body` with `options` (the
// caller turns request.settings into options, see to_call_options, so that it
// can apply its own defaults and limits) and returns its reply as a Response
// of the kind reply_opcode_for() promises. SequenceNext runs as a reserve of
// count 1. Never throws: an exception out of the kernel becomes an
// ErrorReply with ErrorCode::kInternal. `kernel` must outlive the awaitable.
asio::awaitable<Response> dispatch(KernelApi& kernel, Request request, CallOptions options);

}  // namespace kahuna::wire
