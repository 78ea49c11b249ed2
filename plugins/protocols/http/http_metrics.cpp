#include "http_metrics.h"

#include <cstdio>

namespace kahuna::http {
namespace {

std::string format_double(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", value);
  return text;
}

}  // namespace

void HttpMetrics::record_request(std::string_view operation, int status, std::chrono::nanoseconds elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  std::lock_guard lock(mutex_);
  auto it = operations_.find(operation);
  if (it == operations_.end()) it = operations_.emplace(std::string(operation), Operation{}).first;
  Operation& stats = it->second;
  ++stats.by_status[status];
  ++stats.count;
  stats.seconds += seconds;
  for (std::size_t i = 0; i < kBucketBounds.size(); ++i) {
    if (seconds <= kBucketBounds[i]) {
      ++stats.buckets[i];
      break;
    }
  }
}

std::string HttpMetrics::render() const {
  std::string out;
  out += "# HELP kahuna_http_requests_total HTTP requests answered, by operation and status.\n";
  out += "# TYPE kahuna_http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [name, stats] : operations_) {
    for (const auto& [status, count] : stats.by_status) {
      out += "kahuna_http_requests_total{operation=\"" + name + "\",status=\"" + std::to_string(status) +
             "\"} " + std::to_string(count) + "\n";
    }
  }
  out +=
      "# HELP kahuna_http_request_duration_seconds Time from a complete request to its response, by "
      "operation.\n";
  out += "# TYPE kahuna_http_request_duration_seconds histogram\n";
  for (const auto& [name, stats] : operations_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBucketBounds.size(); ++i) {
      cumulative += stats.buckets[i];
      out += "kahuna_http_request_duration_seconds_bucket{operation=\"" + name + "\",le=\"" +
             format_double(kBucketBounds[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "kahuna_http_request_duration_seconds_bucket{operation=\"" + name + "\",le=\"+Inf\"} " +
           std::to_string(stats.count) + "\n";
    out += "kahuna_http_request_duration_seconds_sum{operation=\"" + name + "\"} " +
           format_double(stats.seconds) + "\n";
    out += "kahuna_http_request_duration_seconds_count{operation=\"" + name + "\"} " +
           std::to_string(stats.count) + "\n";
  }
  out += "# HELP kahuna_http_connections_open Client connections currently open.\n";
  out += "# TYPE kahuna_http_connections_open gauge\n";
  out += "kahuna_http_connections_open " + std::to_string(open_connections_.load(std::memory_order_relaxed)) +
         "\n";
  out += "# HELP kahuna_http_connections_accepted_total Client connections accepted.\n";
  out += "# TYPE kahuna_http_connections_accepted_total counter\n";
  out += "kahuna_http_connections_accepted_total " +
         std::to_string(accepted_.load(std::memory_order_relaxed)) + "\n";
  out += "# HELP kahuna_http_connections_rejected_total Connections refused with 503 at max_connections.\n";
  out += "# TYPE kahuna_http_connections_rejected_total counter\n";
  out += "kahuna_http_connections_rejected_total " +
         std::to_string(rejected_.load(std::memory_order_relaxed)) + "\n";
  out += "# HELP kahuna_http_connections_timed_out_total Connections closed by idle_timeout_ms.\n";
  out += "# TYPE kahuna_http_connections_timed_out_total counter\n";
  out += "kahuna_http_connections_timed_out_total " +
         std::to_string(timed_out_.load(std::memory_order_relaxed)) + "\n";
  return out;
}

}  // namespace kahuna::http
