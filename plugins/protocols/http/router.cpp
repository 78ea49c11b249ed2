#include "router.h"

#include <array>
#include <string>

#include <kahuna/wire/request.h>

#include "authorization.h"
#include "handlers.h"
#include "operation_handler.h"

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

// One row per operation of kahuna/operations.def (a row without an
// http_path has the empty path, which no request has), then the rest.
const std::array kEndpoints = {
#define KAHUNA_OPERATION(name, Result, parameters, arguments, WireBody, wire_arguments, kind, routing, \
                         opcode, http_path)                                                            \
  Endpoint{"POST", http_path, &handle_if_served<wire::WireBody, served_over_http(http_path)>},
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION
    Endpoint{"POST", "/v1/sequences/next", &handle_operation<wire::SequenceNext>},
    Endpoint{"GET", "/v1/cluster/health", &handle_cluster_view<ClusterView::kHealth>, true},
    Endpoint{"GET", "/v1/cluster/membership", &handle_cluster_view<ClusterView::kMembership>},
    Endpoint{"GET", "/v1/cluster/routing", &handle_cluster_view<ClusterView::kRouting>},
    Endpoint{"GET", "/v1/cluster/placement", &handle_cluster_view<ClusterView::kPlacement>},
    Endpoint{"GET", "/v1/cluster/status", &handle_cluster_view<ClusterView::kStatus>},
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
