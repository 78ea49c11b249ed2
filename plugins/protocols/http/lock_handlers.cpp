// /v1/locks/*: decode, ask the kernel, encode.
#include "handlers.h"

namespace kahuna::http {

bool parse_request_body(const HttpRequest& request, rapidjson::Document& document, HttpResponse& error) {
  std::string reason;
  if (parse_json_object(request.body, document, reason)) return true;
  error = error_response(400, reason);
  return false;
}

asio::awaitable<HttpResponse> handle_lock(ServiceContext& context, HttpRequest request, LockVerb verb) {
  rapidjson::Document body;
  HttpResponse error;
  if (!parse_request_body(request, body, error)) co_return error;
  LockRequest lock_request;
  const DecodeResult decoded = decode_lock_request(body, verb, lock_request);
  if (decoded.kind == DecodeResult::Kind::kBadRequest) co_return error_response(400, decoded.reason);
  if (decoded.kind == DecodeResult::Kind::kInvalidInput) {
    co_return json_response(
        encode_lock_reply(verb, LockReply{.code = LockCode::kInvalidInput}, std::nullopt));
  }
  Routed<LockReply> routed;
  switch (verb) {
    case LockVerb::kTryLock:
      routed = co_await context.kernel.try_lock(std::move(lock_request), CallOptions{});
      break;
    case LockVerb::kTryExtend:
      routed = co_await context.kernel.try_extend(std::move(lock_request), CallOptions{});
      break;
    case LockVerb::kTryUnlock:
      routed = co_await context.kernel.unlock(std::move(lock_request), CallOptions{});
      break;
    case LockVerb::kGetInfo:
      routed = co_await context.kernel.get_lock(std::move(lock_request), CallOptions{});
      break;
  }
  co_return json_response(encode_lock_reply(verb, routed.reply, context.hints.hint(routed.route)));
}

}  // namespace kahuna::http
