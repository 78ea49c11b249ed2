#include "latency_recorder.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace kahuna::bench {

namespace {

double to_ms(std::int64_t nanoseconds) { return static_cast<double>(nanoseconds) / 1e6; }

}  // namespace

void LatencyRecorder::record(std::chrono::nanoseconds latency) {
  samples_.push_back(std::max<std::int64_t>(latency.count(), 0));
}

void LatencyRecorder::merge(LatencyRecorder&& other) {
  if (samples_.empty()) {
    samples_ = std::move(other.samples_);
  } else {
    samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
  }
  other.samples_.clear();
}

std::int64_t nearest_rank(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double n = static_cast<double>(sorted.size());
  // ceil(p/100 * n) as a 1-based rank; the epsilon keeps 99.9% of 1000 at
  // rank 999 despite the binary fraction.
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * n - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

LatencySummary LatencyRecorder::summarize() {
  LatencySummary summary;
  if (samples_.empty()) return summary;
  std::sort(samples_.begin(), samples_.end());
  long double total = 0;
  for (std::int64_t sample : samples_) total += sample;
  summary.count = samples_.size();
  summary.average = static_cast<double>(total / samples_.size()) / 1e6;
  summary.min = to_ms(samples_.front());
  summary.p50 = to_ms(nearest_rank(samples_, 50));
  summary.p90 = to_ms(nearest_rank(samples_, 90));
  summary.p99 = to_ms(nearest_rank(samples_, 99));
  summary.p999 = to_ms(nearest_rank(samples_, 99.9));
  summary.max = to_ms(samples_.back());
  return summary;
}

}  // namespace kahuna::bench
