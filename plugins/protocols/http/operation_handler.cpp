#include "operation_handler.h"

#include <type_traits>

#include <kahuna/wire/dispatch.h>

#include "handlers.h"
#include "scan_json.h"

namespace kahuna::http {
namespace {

template <class Call>
DecodeResult decode_call(const rapidjson::Value& body, Call& call) {
  if constexpr (requires { call.request; }) {
    return decode_request(body, Call::kOpcode, call.request);
  } else if constexpr (std::is_same_v<Call, wire::SequenceNext>) {
    SequenceReserveRequest reserve;
    const DecodeResult decoded = decode_request(body, wire::Opcode::kSequenceNext, reserve);
    call.name = std::move(reserve.name);
    call.idempotency_key = std::move(reserve.idempotency_key);
    return decoded;
  } else {
    return decode_sequence_name(body, call.name);  // get, delete
  }
}

// ---- The reply into JSON, by the reply's type ----

using Hint = std::optional<RouteHint>;

std::string encode_reply(wire::Opcode op, const LockReply& reply, const Hint& hint) {
  return encode_lock_reply(op, reply, hint);
}
std::string encode_reply(wire::Opcode op, const KvReply& reply, const Hint& hint) {
  return encode_kv_reply(op, reply, hint);
}
std::string encode_reply(wire::Opcode op, const SequenceReply& reply, const Hint& hint) {
  return encode_sequence_reply(op, reply, hint);
}
// Scans answer from one or every partition and carry no route.
std::string encode_reply(wire::Opcode, const KvScanReply& reply, const Hint&) {
  return encode_scan_reply(reply);
}
std::string encode_reply(wire::Opcode, const KvRangePage& page, const Hint&) {
  return encode_range_page(page);
}

template <class Reply>
std::string encode_result(wire::Opcode op, const Routed<Reply>& routed, RouteHints& hints) {
  return encode_reply(op, routed.reply, hints.hint(routed.route));
}
template <class Reply>
std::string encode_result(wire::Opcode op, const Reply& reply, RouteHints&) {
  return encode_reply(op, reply, std::nullopt);
}

// The family's invalidInput outcome, for a body that breaks a rule.
template <class Result>
std::string encode_invalid_input(wire::Opcode op) {
  if constexpr (requires(Result result) { result.reply; }) {
    return encode_invalid_input<decltype(Result::reply)>(op);
  } else {
    Result reply{};
    reply.code = decltype(reply.code)::kInvalidInput;
    return encode_reply(op, reply, std::nullopt);
  }
}

}  // namespace

bool parse_request_body(const HttpRequest& request, rapidjson::Document& document, HttpResponse& error) {
  std::string reason;
  if (parse_json_object(request.body, document, reason)) return true;
  error = error_response(400, reason);
  return false;
}

template <class Call>
asio::awaitable<HttpResponse> handle_operation(ServiceContext& context, HttpRequest request) {
  if constexpr (requires(Call call) { call.items; }) {
    // Batches answer row by row, invalid items included (batch_handlers.cpp).
    co_return co_await handle_kv_batch(context, std::move(request), Call::kOpcode);
  } else {
    rapidjson::Document body;
    HttpResponse error;
    if (!parse_request_body(request, body, error)) co_return error;
    Call call;
    const DecodeResult decoded = decode_call(body, call);
    using Result = typename decltype(wire::call(context.kernel, std::move(call), CallOptions{}))::value_type;
    if (decoded.kind == DecodeResult::Kind::kBadRequest) co_return error_response(400, decoded.reason);
    if (decoded.kind == DecodeResult::Kind::kInvalidInput) {
      co_return json_response(encode_invalid_input<Result>(Call::kOpcode));
    }
    const Result result = co_await wire::call(context.kernel, std::move(call), CallOptions{});
    co_return json_response(encode_result(Call::kOpcode, result, context.hints));
  }
}

#define KAHUNA_OPERATION(name, Result, parameters, arguments, WireBody, ...) \
  template asio::awaitable<HttpResponse> handle_operation<wire::WireBody>(ServiceContext&, HttpRequest);
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION
template asio::awaitable<HttpResponse> handle_operation<wire::SequenceNext>(ServiceContext&, HttpRequest);

}  // namespace kahuna::http
