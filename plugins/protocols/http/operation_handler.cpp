#include "operation_handler.h"

#include <type_traits>

#include <kahuna/wire/dispatch.h>

#include "cluster_admin_json.h"
#include "handlers.h"
#include "scan_json.h"
#include "script_json.h"
#include "session_forms.h"
#include "session_json.h"

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
// Served by the answering node itself: no partition, no route.
std::string encode_reply(wire::Opcode, const ClusterChangeReply& reply, const Hint&) {
  return encode_cluster_change_reply(reply);
}

// Run on the answering node, over any partitions: no route.
std::string encode_reply(wire::Opcode, const ScriptReply& reply, const Hint&) {
  return encode_script_reply(reply);
}
// Routed to the session's owner: the leader of its coordinator key's partition.
std::string encode_reply(wire::Opcode op, const TxSessionReply& reply, const Hint& hint) {
  return encode_session_reply(op, reply, hint);
}

template <class Reply>
std::string encode_result(wire::Opcode op, const Routed<Reply>& routed, RouteHints& hints) {
  return encode_reply(op, routed.reply, hints.hint(routed.route));
}
template <class Reply>
std::string encode_result(wire::Opcode op, const Reply& reply, RouteHints&) {
  return encode_reply(op, reply, std::nullopt);
}

// The family's invalidInput outcome, for a body that breaks a rule, with
// the reason: in the reply's own message field, or else added as `reason`.
template <class Result>
std::string encode_invalid_input(wire::Opcode op, const std::string& reason) {
  if constexpr (requires(Result result) { result.reply; }) {
    return encode_invalid_input<decltype(Result::reply)>(op, reason);
  } else {
    Result reply{};
    reply.code = decltype(reply.code)::kInvalidInput;
    if constexpr (requires { reply.message; }) {
      reply.message = reason;
    } else if constexpr (requires { reply.reason; }) {
      reply.reason = reason;
    } else {
      return with_reason(encode_reply(op, reply, std::nullopt), reason);
    }
    return encode_reply(op, reply, std::nullopt);
  }
}

// Leaving names no one but the answering node, so `curl -X POST` with no
// body at all is a complete request.
template <class Call>
constexpr bool kEmptyBodyIsAnEmptyObject = std::is_same_v<Call, wire::ClusterLeave>;

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// Decodes `body` as a `Call`, runs it and encodes its reply in the shape of
// `shape`: the call's own opcode, or for a session form its plain verb's.
// `body` must outlive the awaitable.
template <class Call>
asio::awaitable<HttpResponse> answer_call(ServiceContext& context, const rapidjson::Value& body,
                                          wire::Opcode shape) {
  Call call;
  const DecodeResult decoded = decode_call(body, call);
  using Result = typename decltype(wire::call(context.kernel, std::move(call), CallOptions{}))::value_type;
  if (decoded.kind == DecodeResult::Kind::kBadRequest) co_return error_response(400, decoded.reason);
  if (decoded.kind == DecodeResult::Kind::kInvalidInput) {
    co_return json_response(encode_invalid_input<Result>(shape, decoded.reason));
  }
  const Result result = co_await wire::call(context.kernel, std::move(call), CallOptions{});
  co_return json_response(encode_result(shape, result, context.hints));
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
    if (kEmptyBodyIsAnEmptyObject<Call> && is_blank(request.body)) request.body = "{}";
    if (!parse_request_body(request, body, error)) co_return error;
    if constexpr (HasSessionForm<Call>) {
      if (names_a_session(body)) {
        co_return co_await answer_call<typename SessionForm<Call>::Call>(context, body, Call::kOpcode);
      }
    }
    co_return co_await answer_call<Call>(context, body, Call::kOpcode);
  }
}

namespace {

asio::awaitable<HttpResponse> not_served(ServiceContext&, HttpRequest request) {
  co_return error_response(404, "no such path: " + request.path);
}

}  // namespace

template <class Call, bool kServed>
asio::awaitable<HttpResponse> handle_if_served(ServiceContext& context, HttpRequest request) {
  if constexpr (kServed) {
    return handle_operation<Call>(context, std::move(request));
  } else {
    return not_served(context, std::move(request));
  }
}

#define KAHUNA_OPERATION(name, Result, parameters, arguments, WireBody, wire_arguments, kind, routing,  \
                         opcode, http_path)                                                             \
  template asio::awaitable<HttpResponse> handle_if_served<wire::WireBody, served_over_http(http_path)>( \
      ServiceContext&, HttpRequest);
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION
template asio::awaitable<HttpResponse> handle_operation<wire::SequenceNext>(ServiceContext&, HttpRequest);

}  // namespace kahuna::http
