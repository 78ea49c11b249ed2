// The request handlers other than the operations' (operation_handler.h);
// each takes the request by value (a coroutine must own what it reads across
// a suspension) and answers the HTTP response, never throwing for a client's
// mistake.
#pragma once

#include <asio/awaitable.hpp>

#include "http_message.h"
#include "kv_batch_json.h"
#include "kv_json.h"
#include "lock_json.h"
#include "sequence_json.h"
#include "service_context.h"

namespace kahuna::http {

enum class ClusterView { kHealth, kMembership, kRouting, kPlacement, kStatus };

// The batches (the other operations: operation_handler.h).
asio::awaitable<HttpResponse> handle_kv_batch(ServiceContext& context, HttpRequest request,
                                              wire::Opcode verb);

// GET views; not coroutines of the kernel, but awaitable for a uniform table.
asio::awaitable<HttpResponse> handle_cluster(ServiceContext& context, HttpRequest request, ClusterView view);
template <ClusterView view>
asio::awaitable<HttpResponse> handle_cluster_view(ServiceContext& context, HttpRequest request) {
  return handle_cluster(context, std::move(request), view);
}
asio::awaitable<HttpResponse> handle_liveness(ServiceContext& context, HttpRequest request);
asio::awaitable<HttpResponse> handle_metrics(ServiceContext& context, HttpRequest request);
asio::awaitable<HttpResponse> handle_root(ServiceContext& context, HttpRequest request);

// Parses the request body as a JSON object; on failure fills `error` (400).
bool parse_request_body(const HttpRequest& request, rapidjson::Document& document, HttpResponse& error);

}  // namespace kahuna::http
