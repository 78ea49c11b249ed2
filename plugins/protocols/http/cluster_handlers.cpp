// The GET views: /v1/cluster/*, /health, /metrics and /.
#include "cluster_json.h"
#include "handlers.h"

namespace kahuna::http {

asio::awaitable<HttpResponse> handle_cluster(ServiceContext& context, HttpRequest request, ClusterView view) {
  (void)request;  // keySpace of /v1/cluster/routing: every key space is hash-placed, so it changes nothing
  const ClusterStatus status = context.kernel.cluster_status();
  switch (view) {
    case ClusterView::kHealth: {
      HttpResponse response = json_response(encode_health(status));
      // Readiness travels in the status too, for load balancers.
      if (!readiness_of(status).ready()) response.status = 503;
      co_return response;
    }
    case ClusterView::kMembership: co_return json_response(encode_membership(status, context.hints));
    case ClusterView::kRouting: co_return json_response(encode_routing(status, context.hints));
    case ClusterView::kPlacement: co_return json_response(encode_placement(status, context.hints));
    case ClusterView::kStatus: co_return json_response(encode_cluster_status(status));
  }
  co_return error_response(404, "unknown cluster view");
}

asio::awaitable<HttpResponse> handle_liveness(ServiceContext& context, HttpRequest request) {
  (void)context;
  (void)request;
  co_return json_response("{\"status\":\"ok\"}");
}

asio::awaitable<HttpResponse> handle_metrics(ServiceContext& context, HttpRequest request) {
  (void)request;
  HttpResponse response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = context.metrics.render();
  std::string kernel_metrics = context.kernel.metrics_text();
  if (!kernel_metrics.empty() && kernel_metrics.back() != '\n') kernel_metrics.push_back('\n');
  response.body += kernel_metrics;
  co_return response;
}

asio::awaitable<HttpResponse> handle_root(ServiceContext& context, HttpRequest request) {
  (void)context;
  (void)request;
  HttpResponse response;
  response.content_type = "text/plain; charset=utf-8";
  response.body = "Kahuna coordination service (HTTP/JSON API)\n";
  co_return response;
}

}  // namespace kahuna::http
