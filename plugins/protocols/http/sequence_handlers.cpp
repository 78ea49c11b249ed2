// /v1/sequences/*: decode, ask the kernel, encode.
#include "handlers.h"

namespace kahuna::http {
namespace {

asio::awaitable<Routed<SequenceReply>> call_kernel(ServiceContext& context, const rapidjson::Value& body,
                                                   SequenceVerb verb, DecodeResult& decoded) {
  switch (verb) {
    case SequenceVerb::kCreate: {
      SequenceCreateRequest request;
      decoded = decode_sequence_create(body, request);
      if (!decoded.is_ok()) co_return Routed<SequenceReply>{};
      co_return co_await context.kernel.sequence_create(std::move(request), CallOptions{});
    }
    case SequenceVerb::kGet:
    case SequenceVerb::kDelete: {
      std::string name;
      decoded = decode_sequence_name(body, name);
      if (!decoded.is_ok()) co_return Routed<SequenceReply>{};
      if (verb == SequenceVerb::kGet)
        co_return co_await context.kernel.sequence_get(std::move(name), CallOptions{});
      co_return co_await context.kernel.sequence_delete(std::move(name), CallOptions{});
    }
    case SequenceVerb::kUpdate: {
      SequenceUpdateRequest request;
      decoded = decode_sequence_update(body, request);
      if (!decoded.is_ok()) co_return Routed<SequenceReply>{};
      co_return co_await context.kernel.sequence_update(std::move(request), CallOptions{});
    }
    case SequenceVerb::kReserve:
    case SequenceVerb::kNext: {
      SequenceReserveRequest request;
      decoded = decode_sequence_reserve(body, verb, request);
      if (!decoded.is_ok()) co_return Routed<SequenceReply>{};
      co_return co_await context.kernel.sequence_reserve(std::move(request), CallOptions{});
    }
  }
  decoded = DecodeResult::bad_request("unknown verb");
  co_return Routed<SequenceReply>{};
}

}  // namespace

asio::awaitable<HttpResponse> handle_sequence(ServiceContext& context, HttpRequest request,
                                              SequenceVerb verb) {
  rapidjson::Document body;
  HttpResponse error;
  if (!parse_request_body(request, body, error)) co_return error;
  DecodeResult decoded;
  const Routed<SequenceReply> routed = co_await call_kernel(context, body, verb, decoded);
  if (decoded.kind == DecodeResult::Kind::kBadRequest) co_return error_response(400, decoded.reason);
  if (decoded.kind == DecodeResult::Kind::kInvalidInput) {
    co_return json_response(
        encode_sequence_reply(verb, SequenceReply{.code = SequenceCode::kInvalidInput}, std::nullopt));
  }
  co_return json_response(encode_sequence_reply(verb, routed.reply, context.hints.hint(routed.route)));
}

}  // namespace kahuna::http
