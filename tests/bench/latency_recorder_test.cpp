// LatencyRecorder: exact nearest-rank percentiles over merged samples.
#include "latency_recorder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "worker_stats.h"

namespace kahuna::bench {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

// Every field of `got` is `want`'s.
void expect_summary(const LatencySummary& got, const LatencySummary& want) {
  EXPECT_EQ(got.count, want.count);
  EXPECT_DOUBLE_EQ(got.average, want.average);
  EXPECT_DOUBLE_EQ(got.min, want.min);
  EXPECT_DOUBLE_EQ(got.p50, want.p50);
  EXPECT_DOUBLE_EQ(got.p90, want.p90);
  EXPECT_DOUBLE_EQ(got.p99, want.p99);
  EXPECT_DOUBLE_EQ(got.p999, want.p999);
  EXPECT_DOUBLE_EQ(got.max, want.max);
}

TEST(LatencyRecorder, EmptyGivesZeros) { expect_summary(LatencyRecorder().summarize(), LatencySummary{}); }

TEST(LatencyRecorder, OneSampleIsEveryPercentile) {
  LatencyRecorder recorder;
  recorder.record(milliseconds(7));
  expect_summary(recorder.summarize(),
                 {.count = 1, .average = 7, .min = 7, .p50 = 7, .p90 = 7, .p99 = 7, .p999 = 7, .max = 7});
}

// 1..1000 ms in random order: the nearest-rank p-th percentile is p*10 ms.
TEST(LatencyRecorder, NearestRankOverAThousandSamples) {
  std::vector<int> values(1000);
  for (int i = 0; i < 1000; ++i) values[i] = i + 1;
  std::shuffle(values.begin(), values.end(), std::mt19937(3));
  LatencyRecorder recorder;
  for (int value : values) recorder.record(milliseconds(value));
  expect_summary(recorder.summarize(), {.count = 1000,
                                        .average = 500.5,
                                        .min = 1,
                                        .p50 = 500,
                                        .p90 = 900,
                                        .p99 = 990,
                                        .p999 = 999,
                                        .max = 1000});
}

TEST(LatencyRecorder, NearestRankRoundsUp) {
  const std::vector<std::int64_t> sorted = {10, 20, 30, 40};
  EXPECT_EQ(nearest_rank(sorted, 50), 20);    // rank 2
  EXPECT_EQ(nearest_rank(sorted, 50.1), 30);  // rank ceil(2.004) = 3
  EXPECT_EQ(nearest_rank(sorted, 99.9), 40);
  EXPECT_EQ(nearest_rank(sorted, 100), 40);
  EXPECT_EQ(nearest_rank(sorted, 0.001), 10);
  EXPECT_EQ(nearest_rank({}, 50), 0);
}

// A tail that only one worker saw must survive the merge.
TEST(LatencyRecorder, MergeKeepsEveryWorkersTail) {
  LatencyRecorder fast;
  LatencyRecorder slow;
  for (int i = 0; i < 999; ++i) fast.record(microseconds(100));
  slow.record(milliseconds(250));
  fast.merge(std::move(slow));
  EXPECT_EQ(slow.count(), 0u);
  const LatencySummary summary = fast.summarize();
  EXPECT_EQ(summary.count, 1000u);
  EXPECT_DOUBLE_EQ(summary.p999, 0.1);
  EXPECT_DOUBLE_EQ(summary.max, 250);
}

TEST(LatencyRecorder, NegativeLatencyCountsAsZero) {
  LatencyRecorder recorder;
  recorder.record(std::chrono::nanoseconds(-5));
  EXPECT_DOUBLE_EQ(recorder.summarize().max, 0);
}

TEST(WorkerStats, CountsOutcomesAndErrorsApart) {
  WorkerStats a;
  WorkerStats b;
  const auto now = Clock::now();
  a.add(Outcome::success(label::kAcquired), milliseconds(1), now);
  a.add(Outcome::success(label::kBusy), milliseconds(2), now);
  b.add(Outcome::success(label::kAllocated, 100), milliseconds(3), now);
  b.add(Outcome::failure("timeout", "first"), milliseconds(9), now);
  b.add(Outcome::failure("timeout", "second"), milliseconds(9), now);
  a.merge(std::move(b));
  EXPECT_EQ(a.ok, 3u);
  EXPECT_EQ(a.errors, 2u);
  EXPECT_EQ(a.values, 100u);
  EXPECT_EQ(a.outcomes.at("busy"), 1u);
  EXPECT_EQ(a.errors_by_kind.at("timeout"), 2u);
  EXPECT_EQ(a.first_error.at("timeout"), "first");
  // Only successes are in the latency distribution.
  EXPECT_EQ(a.latencies.count(), 3u);
}

}  // namespace
}  // namespace kahuna::bench
