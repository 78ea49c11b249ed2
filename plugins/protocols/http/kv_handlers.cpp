// /v1/kv/try-{set,get,exists,delete,extend}: decode, ask the kernel, encode.
#include "handlers.h"

namespace kahuna::http {
namespace {

asio::awaitable<Routed<KvReply>> call_kernel(ServiceContext& context, const rapidjson::Value& body,
                                             KvVerb verb, DecodeResult& decoded) {
  switch (verb) {
    case KvVerb::kSet: {
      KvSetRequest request;
      decoded = decode_kv_set(body, request);
      if (!decoded.is_ok()) co_return Routed<KvReply>{};
      co_return co_await context.kernel.kv_set(std::move(request), CallOptions{});
    }
    case KvVerb::kGet:
    case KvVerb::kExists: {
      KvGetRequest request;
      decoded = decode_kv_get(body, request);
      if (!decoded.is_ok()) co_return Routed<KvReply>{};
      if (verb == KvVerb::kGet) co_return co_await context.kernel.kv_get(std::move(request), CallOptions{});
      co_return co_await context.kernel.kv_exists(std::move(request), CallOptions{});
    }
    case KvVerb::kDelete: {
      KvKeyRequest request;
      decoded = decode_kv_delete(body, request);
      if (!decoded.is_ok()) co_return Routed<KvReply>{};
      co_return co_await context.kernel.kv_delete(std::move(request), CallOptions{});
    }
    case KvVerb::kExtend: {
      KvExtendRequest request;
      decoded = decode_kv_extend(body, request);
      if (!decoded.is_ok()) co_return Routed<KvReply>{};
      co_return co_await context.kernel.kv_extend(std::move(request), CallOptions{});
    }
  }
  decoded = DecodeResult::bad_request("unknown verb");
  co_return Routed<KvReply>{};
}

}  // namespace

asio::awaitable<HttpResponse> handle_kv(ServiceContext& context, HttpRequest request, KvVerb verb) {
  rapidjson::Document body;
  HttpResponse error;
  if (!parse_request_body(request, body, error)) co_return error;
  DecodeResult decoded;
  const Routed<KvReply> routed = co_await call_kernel(context, body, verb, decoded);
  if (decoded.kind == DecodeResult::Kind::kBadRequest) co_return error_response(400, decoded.reason);
  if (decoded.kind == DecodeResult::Kind::kInvalidInput) {
    co_return json_response(encode_kv_reply(verb, KvReply{.code = KvCode::kInvalidInput}, std::nullopt));
  }
  co_return json_response(encode_kv_reply(verb, routed.reply, context.hints.hint(routed.route)));
}

}  // namespace kahuna::http
