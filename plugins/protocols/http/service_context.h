// ServiceContext: what every request handler reaches — the kernel, the
// options, the route hint cache and the metrics. One per server, shared by
// its connections (which keep it alive while they run).
#pragma once

#include <kahuna/kernel_api.h>

#include "http_metrics.h"
#include "http_options.h"
#include "route_hints.h"

namespace kahuna::http {

struct ServiceContext {
  ServiceContext(KernelApi& kernel_api, HttpOptions http_options)
      : kernel(kernel_api), options(std::move(http_options)), hints(kernel_api, options.advertise) {}

  KernelApi& kernel;
  const HttpOptions options;
  RouteHints hints;
  HttpMetrics metrics;
};

}  // namespace kahuna::http
