// Turning the core's generic Response into the reply a call expects.
#pragma once

#include <string>
#include <variant>

#include <kahuna/client/result.h>
#include <kahuna/types.h>
#include <kahuna/wire/response.h>

namespace kahuna::client::detail {

// The `Reply` alternative of a successful call, or a protocol error naming
// what came instead; errors pass through.
template <class Reply>
Result<Reply> reply_as(Result<wire::Response> result) {
  if (!result) return result.error();
  if (auto* reply = std::get_if<Reply>(&result.value())) return std::move(*reply);
  return Error{ErrorKind::kProtocol,
               "unexpected reply kind: " + std::string(wire::to_string(wire::opcode_of(result.value())))};
}

// The same, unwrapping the route of a Routed<Reply>.
template <class Reply>
Result<Reply> routed_reply_as(Result<wire::Response> result) {
  Result<Routed<Reply>> routed = reply_as<Routed<Reply>>(std::move(result));
  if (!routed) return routed.error();
  return std::move(routed.value().reply);
}

}  // namespace kahuna::client::detail
