// WorkerStats: what the requests of one thread measured — counts by outcome
// and by error kind, sequence values, latencies — merged over threads at the
// end. Only measured requests (sent after the warmup) are added.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "latency_recorder.h"
#include "outcome.h"

namespace kahuna::bench {

using Clock = std::chrono::steady_clock;

struct WorkerStats {
  // Latencies of the successful requests; failures are counted by kind
  // instead (a failure's latency is mostly the timeout it ran into).
  LatencyRecorder latencies{};
  std::uint64_t ok = 0;
  std::uint64_t errors = 0;
  std::uint64_t values = 0;
  std::map<std::string, std::uint64_t, std::less<>> outcomes{};
  std::map<std::string, std::uint64_t, std::less<>> errors_by_kind{};
  std::map<std::string, std::string, std::less<>> first_error{};  // kind -> its first message
  Clock::time_point last_completion{};

  void add(const Outcome& outcome, std::chrono::nanoseconds latency, Clock::time_point completed);
  void merge(WorkerStats&& other);
};

}  // namespace kahuna::bench
