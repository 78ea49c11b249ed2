#include "worker_stats.h"

#include <algorithm>

namespace kahuna::bench {

namespace {

void count(std::map<std::string, std::uint64_t, std::less<>>& counts, std::string_view name,
           std::uint64_t n) {
  auto it = counts.find(name);
  if (it == counts.end()) it = counts.emplace(std::string(name), 0).first;
  it->second += n;
}

}  // namespace

void WorkerStats::add(const Outcome& outcome, std::chrono::nanoseconds latency, Clock::time_point completed) {
  last_completion = std::max(last_completion, completed);
  if (outcome.ok) {
    ++ok;
    values += static_cast<std::uint64_t>(std::max<std::int64_t>(outcome.values, 0));
    count(outcomes, outcome.label, 1);
    latencies.record(latency);
    return;
  }
  ++errors;
  count(errors_by_kind, outcome.error_kind, 1);
  if (first_error.find(outcome.error_kind) == first_error.end()) {
    first_error.emplace(outcome.error_kind, outcome.message);
  }
}

void WorkerStats::merge(WorkerStats&& other) {
  latencies.merge(std::move(other.latencies));
  ok += other.ok;
  errors += other.errors;
  values += other.values;
  for (const auto& [name, n] : other.outcomes) count(outcomes, name, n);
  for (const auto& [name, n] : other.errors_by_kind) count(errors_by_kind, name, n);
  for (auto& [kind, message] : other.first_error) first_error.emplace(kind, std::move(message));
  last_completion = std::max(last_completion, other.last_completion);
}

}  // namespace kahuna::bench
