// /v1/kv/get-by-bucket, scan-all-by-prefix, get-by-range.
#include "handlers.h"
#include "scan_json.h"

namespace kahuna::http {

asio::awaitable<HttpResponse> handle_scan(ServiceContext& context, HttpRequest request, ScanVerb verb) {
  rapidjson::Document body;
  HttpResponse error;
  if (!parse_request_body(request, body, error)) co_return error;
  if (verb == ScanVerb::kGetByRange) {
    KvRangeRequest range;
    const DecodeResult decoded = decode_range_scan(body, range);
    if (decoded.kind == DecodeResult::Kind::kBadRequest) co_return error_response(400, decoded.reason);
    if (decoded.kind == DecodeResult::Kind::kInvalidInput) {
      co_return json_response(encode_range_page(KvRangePage{.code = KvCode::kInvalidInput}));
    }
    const Routed<KvRangePage> page = co_await context.kernel.kv_get_range(std::move(range), CallOptions{});
    co_return json_response(encode_range_page(page.reply));
  }
  KvPrefixRequest prefix;
  const DecodeResult decoded = decode_prefix_scan(body, verb == ScanVerb::kGetByBucket, prefix);
  if (decoded.kind == DecodeResult::Kind::kBadRequest) co_return error_response(400, decoded.reason);
  if (decoded.kind == DecodeResult::Kind::kInvalidInput) {
    co_return json_response(encode_scan_reply(KvScanReply{.code = KvCode::kInvalidInput}));
  }
  if (verb == ScanVerb::kGetByBucket) {
    const Routed<KvScanReply> reply =
        co_await context.kernel.kv_get_by_bucket(std::move(prefix), CallOptions{});
    co_return json_response(encode_scan_reply(reply.reply));
  }
  const KvScanReply reply = co_await context.kernel.kv_scan_prefix(std::move(prefix), CallOptions{});
  co_return json_response(encode_scan_reply(reply));
}

}  // namespace kahuna::http
