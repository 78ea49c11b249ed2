// Report: the figures of a finished run, printed for people (summary) and
// for programs (JSON, the same figures; docs/benchmarks.md lists the fields).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>

#include "bench_options.h"
#include "latency_recorder.h"
#include "runner.h"

namespace kahuna::bench {

struct Report {
  BenchOptions options{};
  std::string setup_error{};
  double elapsed_seconds = 0;
  double setup_seconds = 0;
  bool interrupted = false;  // stopped early by SIGINT or SIGTERM
  std::uint64_t ok = 0;
  std::uint64_t errors = 0;
  std::uint64_t values = 0;
  double requests_per_second = 0;  // ok requests / elapsed
  double values_per_second = 0;
  std::map<std::string, std::uint64_t, std::less<>> outcomes{};
  std::map<std::string, std::uint64_t, std::less<>> errors_by_kind{};
  std::map<std::string, std::string, std::less<>> first_error{};
  LatencySummary latency{};

  // Whether the run should exit non-zero: setup failed, or requests failed
  // without --allow-errors.
  bool failed() const;
};

Report make_report(const BenchOptions& options, RunResult result);

void print_summary(const Report& report, std::ostream& out);
void write_json(const Report& report, std::ostream& out);

}  // namespace kahuna::bench
