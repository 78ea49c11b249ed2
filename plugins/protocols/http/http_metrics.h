// HttpMetrics: what /metrics reports about the HTTP server itself — request
// counts by operation and status, latency histograms by operation, and
// connection counts — in Prometheus text exposition format.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace kahuna::http {

class HttpMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 14> kBucketBounds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};

  // `operation` is the route's path ("/v1/kv/try-set"), or "unmatched".
  void record_request(std::string_view operation, int status, std::chrono::nanoseconds elapsed);

  void connection_opened() {
    open_connections_.fetch_add(1, std::memory_order_relaxed);
    accepted_.fetch_add(1, std::memory_order_relaxed);
  }
  void connection_closed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  void connection_rejected() { rejected_.fetch_add(1, std::memory_order_relaxed); }
  void connection_timed_out() { timed_out_.fetch_add(1, std::memory_order_relaxed); }

  std::int64_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }

  std::string render() const;

 private:
  struct Operation {
    std::map<int, std::uint64_t> by_status;
    std::array<std::uint64_t, kBucketBounds.size()> buckets{};  // not cumulative
    std::uint64_t count = 0;
    double seconds = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::string, Operation, std::less<>> operations_;  // guarded by mutex_
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::uint64_t> timed_out_{0};
};

}  // namespace kahuna::http
