// The run itself: threads with their io_contexts and drivers, the setup
// (probe, pre-population, sequence creation), the measured phase as a
// closed or open loop, and the results merged over threads.
//
// Closed loop: `clients` coroutines, each sending its next request as soon
// as the previous one is answered; latency is from send to answer.
// Open loop: requests are due at fixed intervals (1/rate) whatever the
// cluster does; latency is from the moment a request was due, so a stall
// shows as the queue it builds (no coordinated omission). At most
// max_outstanding are in flight; a due request beyond that waits for a slot.
#pragma once

#include <iosfwd>
#include <string>

#include "bench_options.h"
#include "worker_stats.h"

namespace kahuna::bench {

struct RunResult {
  // Empty when the run took place; otherwise why the setup failed.
  std::string setup_error{};
  WorkerStats stats{};
  // From the start of the measured phase to the last measured answer.
  double elapsed_seconds = 0;
  double setup_seconds = 0;
  // The measured phase was cut short by stop_measuring(): the figures cover
  // the requests answered until then.
  bool interrupted = false;
};

// Blocks until the run is over. Progress notes go to `log`.
RunResult run_benchmark(const BenchOptions& options, std::ostream& log);

// Ends the measured phase early: no request is sent after this call, those
// in flight are awaited, and run_benchmark() returns what was measured.
// Async-signal-safe (a lock-free atomic store), for SIGINT and SIGTERM.
void stop_measuring() noexcept;

}  // namespace kahuna::bench
