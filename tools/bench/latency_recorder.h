// LatencyRecorder: the latencies of one worker's requests, and their summary.
//
// Every sample is kept exactly (8 bytes each) and the merged set is sorted
// once at the end. Two cores reach ~10^5 requests/s, so a minute's run is a
// few tens of MB — affordable — and exact order statistics leave no bucket
// width error in p99.9 or max, nor bounds to choose before the run, as a
// histogram would. Not thread-safe: one recorder per thread, merged after.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace kahuna::bench {

struct LatencySummary {
  std::uint64_t count = 0;
  // Milliseconds; all zero when count is 0.
  double average = 0;
  double min = 0;
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double p999 = 0;
  double max = 0;
};

class LatencyRecorder {
 public:
  // A negative latency (a clock read out of order) counts as zero.
  void record(std::chrono::nanoseconds latency);
  // Moves `other`'s samples into this one.
  void merge(LatencyRecorder&& other);
  std::size_t count() const { return samples_.size(); }

  // Sorts the samples (once; later records unsort them again).
  LatencySummary summarize();

 private:
  std::vector<std::int64_t> samples_;  // nanoseconds
};

// The nearest-rank percentile (0 < p <= 100) of ascending `sorted`: the
// smallest sample with at least p% of the samples at or below it. 0 when empty.
std::int64_t nearest_rank(const std::vector<std::int64_t>& sorted, double p);

}  // namespace kahuna::bench
