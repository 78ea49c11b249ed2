// RouteHints: turns the kernel's Route (partition, leader node id) into the
// client-facing hint of HTTP-API.md §4, whose endpoint is the leader's HTTP
// base URL.
//
// Other nodes' URLs come from cluster_status(), which walks every partition
// and is not free, so they are cached and refreshed at most every few
// seconds; an unknown leader id triggers an earlier (rate-limited) refresh,
// because it usually means a node was just added.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <kahuna/kernel_api.h>

#include "json_output.h"

namespace kahuna::http {

class RouteHints {
 public:
  RouteHints(KernelApi& kernel, std::string advertised_endpoint,
             std::chrono::milliseconds refresh_interval = std::chrono::seconds(3));

  // nullopt when no owner was resolved (unknown provenance and no leader).
  std::optional<RouteHint> hint(const Route& route);

  // The HTTP base URL of node `node` ("" when unknown). Thread-safe.
  std::string endpoint_of(std::uint64_t node);

  const std::string& advertised_endpoint() const noexcept { return advertised_; }

 private:
  using Clock = std::chrono::steady_clock;

  KernelApi& kernel_;
  const std::string advertised_;
  const std::chrono::milliseconds refresh_interval_;
  std::mutex mutex_;
  std::map<std::uint64_t, std::string> endpoints_;  // guarded by mutex_
  Clock::time_point refreshed_{};                   // guarded by mutex_; epoch = never
};

}  // namespace kahuna::http
