#include "operation_handler.h"

#include <type_traits>

#include <kahuna/wire/dispatch.h>

#include "handlers.h"
#include "scan_json.h"

namespace kahuna::http {
namespace {

template <class Verb>
constexpr Verb verb_of(wire::Opcode opcode) {
  return static_cast<Verb>(verb_number(opcode));
}

// ---- The JSON body into the Call's request, by the request's type ----

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode op, LockRequest& out) {
  return decode_lock_request(body, verb_of<LockVerb>(op), out);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, KvSetRequest& out) {
  return decode_kv_set(body, out);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, KvGetRequest& out) {
  return decode_kv_get(body, out);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, KvKeyRequest& out) {
  return decode_kv_delete(body, out);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, KvExtendRequest& out) {
  return decode_kv_extend(body, out);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode op, KvPrefixRequest& out) {
  // Only get-by-bucket may name a transaction context (HTTP-API.md §6.3).
  return decode_prefix_scan(body, op == wire::Opcode::kKvGetByBucket, out);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, KvRangeRequest& out) {
  return decode_range_scan(body, out);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, SequenceCreateRequest& out) {
  return decode_sequence_create(body, out);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode, SequenceUpdateRequest& out) {
  return decode_sequence_update(body, out);
}
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode op, SequenceReserveRequest& out) {
  return decode_sequence_reserve(body, verb_of<SequenceVerb>(op), out);
}

template <class Call>
DecodeResult decode_call(const rapidjson::Value& body, Call& call) {
  if constexpr (requires { call.request; }) {
    return decode_request(body, Call::kOpcode, call.request);
  } else if constexpr (std::is_same_v<Call, wire::SequenceNext>) {
    SequenceReserveRequest reserve;
    const DecodeResult decoded = decode_sequence_reserve(body, SequenceVerb::kNext, reserve);
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
  return encode_lock_reply(verb_of<LockVerb>(op), reply, hint);
}
std::string encode_reply(wire::Opcode op, const KvReply& reply, const Hint& hint) {
  return encode_kv_reply(verb_of<KvVerb>(op), reply, hint);
}
std::string encode_reply(wire::Opcode op, const SequenceReply& reply, const Hint& hint) {
  return encode_sequence_reply(verb_of<SequenceVerb>(op), reply, hint);
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
    co_return co_await handle_kv_batch(context, std::move(request), verb_of<BatchVerb>(Call::kOpcode));
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
