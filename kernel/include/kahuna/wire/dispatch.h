// dispatch: runs a decoded request against a KernelApi — the one place that
// maps each request alternative onto its KernelApi method.
#pragma once

#include <asio/awaitable.hpp>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/request.h>
#include <kahuna/wire/response.h>

namespace kahuna::wire {

// Calls the KernelApi method matching `request.body` with `options` (the
// caller turns request.settings into options, see to_call_options, so that it
// can apply its own defaults and limits) and returns its reply as a Response
// of the kind reply_opcode_for() promises. SequenceNext runs as a reserve of
// count 1. Never throws: an exception out of the kernel becomes an
// ErrorReply with ErrorCode::kInternal. `kernel` must outlive the awaitable.
asio::awaitable<Response> dispatch(KernelApi& kernel, Request request, CallOptions options);

}  // namespace kahuna::wire
