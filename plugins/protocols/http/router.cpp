#include "router.h"

#include <array>
#include <string>

#include "authorization.h"
#include "handlers.h"

namespace kahuna::http {
namespace {

using Handler = asio::awaitable<HttpResponse> (*)(ServiceContext&, HttpRequest);

struct Endpoint {
  std::string_view method;
  std::string_view path;
  Handler handler;
  // Probes and the banner answer without a token: load balancers and
  // orchestrators rarely carry one, and they reveal nothing.
  bool public_endpoint = false;
};

// Non-capturing lambdas, so the table is constant and each call's state
// lives in the coroutine frame of the family handler.
const std::array kEndpoints = {
    Endpoint{
        "POST", "/v1/locks/try-lock",
        [](ServiceContext& c, HttpRequest r) { return handle_lock(c, std::move(r), LockVerb::kTryLock); }},
    Endpoint{
        "POST", "/v1/locks/try-extend",
        [](ServiceContext& c, HttpRequest r) { return handle_lock(c, std::move(r), LockVerb::kTryExtend); }},
    Endpoint{
        "POST", "/v1/locks/try-unlock",
        [](ServiceContext& c, HttpRequest r) { return handle_lock(c, std::move(r), LockVerb::kTryUnlock); }},
    Endpoint{
        "POST", "/v1/locks/get-info",
        [](ServiceContext& c, HttpRequest r) { return handle_lock(c, std::move(r), LockVerb::kGetInfo); }},
    Endpoint{"POST", "/v1/kv/try-set",
             [](ServiceContext& c, HttpRequest r) { return handle_kv(c, std::move(r), KvVerb::kSet); }},
    Endpoint{"POST", "/v1/kv/try-get",
             [](ServiceContext& c, HttpRequest r) { return handle_kv(c, std::move(r), KvVerb::kGet); }},
    Endpoint{"POST", "/v1/kv/try-exists",
             [](ServiceContext& c, HttpRequest r) { return handle_kv(c, std::move(r), KvVerb::kExists); }},
    Endpoint{"POST", "/v1/kv/try-delete",
             [](ServiceContext& c, HttpRequest r) { return handle_kv(c, std::move(r), KvVerb::kDelete); }},
    Endpoint{"POST", "/v1/kv/try-extend",
             [](ServiceContext& c, HttpRequest r) { return handle_kv(c, std::move(r), KvVerb::kExtend); }},
    Endpoint{"POST", "/v1/kv/try-set-many",
             [](ServiceContext& c, HttpRequest r) {
               return handle_kv_batch(c, std::move(r), BatchVerb::kSetMany);
             }},
    Endpoint{"POST", "/v1/kv/try-delete-many",
             [](ServiceContext& c, HttpRequest r) {
               return handle_kv_batch(c, std::move(r), BatchVerb::kDeleteMany);
             }},
    Endpoint{"POST", "/v1/kv/try-get-many",
             [](ServiceContext& c, HttpRequest r) {
               return handle_kv_batch(c, std::move(r), BatchVerb::kGetMany);
             }},
    Endpoint{"POST", "/v1/kv/try-exists-many",
             [](ServiceContext& c, HttpRequest r) {
               return handle_kv_batch(c, std::move(r), BatchVerb::kExistsMany);
             }},
    Endpoint{"POST", "/v1/kv/get-by-bucket",
             [](ServiceContext& c, HttpRequest r) {
               return handle_scan(c, std::move(r), ScanVerb::kGetByBucket);
             }},
    Endpoint{"POST", "/v1/kv/scan-all-by-prefix",
             [](ServiceContext& c, HttpRequest r) {
               return handle_scan(c, std::move(r), ScanVerb::kScanAllByPrefix);
             }},
    Endpoint{
        "POST", "/v1/kv/get-by-range",
        [](ServiceContext& c, HttpRequest r) { return handle_scan(c, std::move(r), ScanVerb::kGetByRange); }},
    Endpoint{"POST", "/v1/sequences/create",
             [](ServiceContext& c, HttpRequest r) {
               return handle_sequence(c, std::move(r), SequenceVerb::kCreate);
             }},
    Endpoint{"POST", "/v1/sequences/get",
             [](ServiceContext& c, HttpRequest r) {
               return handle_sequence(c, std::move(r), SequenceVerb::kGet);
             }},
    Endpoint{"POST", "/v1/sequences/update",
             [](ServiceContext& c, HttpRequest r) {
               return handle_sequence(c, std::move(r), SequenceVerb::kUpdate);
             }},
    Endpoint{"POST", "/v1/sequences/reserve",
             [](ServiceContext& c, HttpRequest r) {
               return handle_sequence(c, std::move(r), SequenceVerb::kReserve);
             }},
    Endpoint{"POST", "/v1/sequences/next",
             [](ServiceContext& c, HttpRequest r) {
               return handle_sequence(c, std::move(r), SequenceVerb::kNext);
             }},
    Endpoint{"POST", "/v1/sequences/delete",
             [](ServiceContext& c, HttpRequest r) {
               return handle_sequence(c, std::move(r), SequenceVerb::kDelete);
             }},
    Endpoint{"GET", "/v1/cluster/health",
             [](ServiceContext& c, HttpRequest r) {
               return handle_cluster(c, std::move(r), ClusterView::kHealth);
             },
             true},
    Endpoint{"GET", "/v1/cluster/membership",
             [](ServiceContext& c, HttpRequest r) {
               return handle_cluster(c, std::move(r), ClusterView::kMembership);
             }},
    Endpoint{"GET", "/v1/cluster/routing",
             [](ServiceContext& c, HttpRequest r) {
               return handle_cluster(c, std::move(r), ClusterView::kRouting);
             }},
    Endpoint{"GET", "/v1/cluster/status",
             [](ServiceContext& c, HttpRequest r) {
               return handle_cluster(c, std::move(r), ClusterView::kStatus);
             }},
    Endpoint{"GET", "/health", &handle_liveness, true},
    Endpoint{"GET", "/metrics", &handle_metrics},
    Endpoint{"GET", "/", &handle_root, true},
};

// A path without its one optional trailing slash ("/v1/kv/try-set/").
std::string_view without_trailing_slash(std::string_view path) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

}  // namespace

asio::awaitable<Dispatched> dispatch(ServiceContext& context, HttpRequest request) {
  const std::string_view path = without_trailing_slash(request.path);
  const Endpoint* match = nullptr;
  std::string allowed;
  for (const Endpoint& endpoint : kEndpoints) {
    if (endpoint.path != path) continue;
    if (!allowed.empty()) allowed += ", ";
    allowed += endpoint.method;
    if (endpoint.method == request.method) match = &endpoint;
  }
  if (allowed.empty())
    co_return Dispatched{error_response(404, "no such path: " + request.path), "unmatched"};
  const std::string_view operation = match != nullptr ? match->path : std::string_view("unmatched");
  if (!(match != nullptr && match->public_endpoint) && !is_authorized(context.options.auth_tokens, request)) {
    HttpResponse response = error_response(401, "a valid 'Authorization: Bearer <token>' header is required");
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
    co_return Dispatched{std::move(response), operation};
  }
  if (match == nullptr) {
    HttpResponse response = error_response(405, request.method + " is not allowed on " + request.path);
    response.headers.emplace_back("Allow", allowed);
    co_return Dispatched{std::move(response), operation};
  }
  HttpResponse response = co_await match->handler(context, std::move(request));
  co_return Dispatched{std::move(response), match->path};
}

}  // namespace kahuna::http
