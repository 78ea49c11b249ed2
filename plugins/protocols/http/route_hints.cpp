#include "route_hints.h"

#include <utility>

namespace kahuna::http {
namespace {

// How soon after a refresh an unknown node id may trigger another one.
constexpr std::chrono::milliseconds kMissRefreshInterval{250};

}  // namespace

RouteHints::RouteHints(KernelApi& kernel, std::string advertised_endpoint,
                       std::chrono::milliseconds refresh_interval)
    : kernel_(kernel), advertised_(std::move(advertised_endpoint)), refresh_interval_(refresh_interval) {}

std::optional<RouteHint> RouteHints::hint(const Route& route) {
  if (route.provenance == RouteProvenance::kUnknown && route.leader == 0) return std::nullopt;
  RouteHint hint;
  hint.partition = route.partition;
  hint.provenance = static_cast<int>(route.provenance);
  hint.endpoint = route.leader == 0 ? std::string() : endpoint_of(route.leader);
  return hint;
}

std::string RouteHints::endpoint_of(std::uint64_t node) {
  if (node == kernel_.node_id()) return advertised_;
  {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    const auto found = endpoints_.find(node);
    const bool stale = now - refreshed_ >= refresh_interval_;
    const bool may_refresh_for_miss = now - refreshed_ >= kMissRefreshInterval;
    if (!stale && (found != endpoints_.end() || !may_refresh_for_miss)) {
      return found != endpoints_.end() ? found->second : std::string();
    }
    // Claim the refresh so that concurrent callers keep using the old map.
    refreshed_ = now;
  }
  const ClusterStatus status = kernel_.cluster_status();
  std::map<std::uint64_t, std::string> endpoints;
  for (const NodeInfo& info : status.nodes) {
    const auto http = info.endpoints.find("http");
    if (http == info.endpoints.end()) continue;
    std::string url = http->second;
    while (!url.empty() && url.back() == '/') url.pop_back();
    // Clients compare hints with the URLs they dial, which have a scheme.
    if (!url.empty() && url.find("://") == std::string::npos) url.insert(0, "http://");
    endpoints.emplace(info.id, std::move(url));
  }
  std::lock_guard lock(mutex_);
  endpoints_ = std::move(endpoints);
  const auto found = endpoints_.find(node);
  return found != endpoints_.end() ? found->second : std::string();
}

}  // namespace kahuna::http
