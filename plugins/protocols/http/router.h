// Router: which handler answers a method and path, and the answers for the
// rest — 401 without a valid token, 404 for an unknown path (the paths of
// HTTP-API.md §9 included), 405 for a known path with the wrong method.
#pragma once

#include <string_view>

#include <asio/awaitable.hpp>

#include "http_message.h"
#include "service_context.h"

namespace kahuna::http {

struct Dispatched {
  HttpResponse response;
  std::string_view operation;  // the metrics label: the route's path, or "unmatched"
};

asio::awaitable<Dispatched> dispatch(ServiceContext& context, HttpRequest request);

}  // namespace kahuna::http
