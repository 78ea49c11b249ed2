// MetricsCounters: the live counters behind ClientMetrics. Written on the
// client's executor, read from any thread.
#pragma once

#include <atomic>
#include <cstdint>

#include <kahuna/client/replies.h>

namespace kahuna::client::detail {

struct MetricsCounters {
  std::atomic<std::uint64_t> requests_sent{0};
  std::atomic<std::uint64_t> replies{0};
  std::atomic<std::uint64_t> forwarded_replies{0};
  std::atomic<std::uint64_t> must_retry_replies{0};
  std::atomic<std::uint64_t> outcome_unknown_replies{0};
  std::atomic<std::uint64_t> transport_failures{0};
  std::atomic<std::uint64_t> retries{0};
  std::atomic<std::uint64_t> map_refreshes{0};
  std::atomic<std::uint64_t> connections_opened{0};
  std::atomic<std::uint64_t> map_metadata_version{0};

  ClientMetrics snapshot() const {
    ClientMetrics m;
    m.requests_sent = requests_sent.load();
    m.replies = replies.load();
    m.forwarded_replies = forwarded_replies.load();
    m.must_retry_replies = must_retry_replies.load();
    m.outcome_unknown_replies = outcome_unknown_replies.load();
    m.transport_failures = transport_failures.load();
    m.retries = retries.load();
    m.map_refreshes = map_refreshes.load();
    m.connections_opened = connections_opened.load();
    m.map_metadata_version = map_metadata_version.load();
    return m;
  }
};

}  // namespace kahuna::client::detail
