#include "runner.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/use_future.hpp>
#include <atomic>
#include <deque>
#include <future>
#include <optional>
#include <ostream>
#include <random>
#include <thread>
#include <vector>

#include "async_latch.h"
#include "driver.h"
#include "workload.h"

namespace kahuna::bench {

namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// A closed-loop client whose request failed waits this long before the next:
// a refused connection fails at once, and spinning on it would only count
// errors as fast as the CPU allows.
constexpr milliseconds kPauseAfterError{10};

// Set by stop_measuring(), perhaps from a signal handler.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "stop_measuring() must be async-signal-safe");

// When the load starts and when it is measured; shared read-only by every
// thread, but for the ticket count of a --requests run.
struct Phase {
  Clock::time_point start{};          // the warmup begins
  Clock::time_point measure_start{};  // requests sent from here on are measured
  Clock::time_point end{};            // duration runs: nothing is sent from here on
  bool by_requests = false;
  std::atomic<std::int64_t> tickets{0};  // --requests runs: measured requests left

  // Whether a request sent at `now` may go (and is then counted).
  bool admit(Clock::time_point sent) {
    if (stop_requested.load(std::memory_order_relaxed)) return false;
    if (!by_requests) return sent < end;
    if (sent < measure_start) return true;
    return tickets.fetch_sub(1, std::memory_order_relaxed) > 0;
  }
};

// One thread: its io_context, its driver (its connections) and what its
// requests measured.
struct Lane {
  std::size_t number = 0;
  std::size_t connections = 0;  // global connections number, number + T, number + 2T...
  asio::io_context io{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{};
  std::thread thread{};
  std::unique_ptr<Driver> driver{};
  WorkerStats stats{};
};

asio::awaitable<void> sleep_until(Clock::time_point when) {
  if (Clock::now() >= when) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, when);
  std::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

std::mt19937_64 generator(std::uint64_t seed, std::uint64_t stream) {
  std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                         static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32)};
  return std::mt19937_64(sequence);
}

asio::awaitable<void> closed_loop_client(Lane& lane, const WorkloadPlan& plan, Phase& phase,
                                         ClientIdentity client) {
  std::mt19937_64 rng = generator(plan.options().seed, client.id);
  co_await sleep_until(phase.start);
  for (;;) {
    const Clock::time_point sent = Clock::now();
    if (!phase.admit(sent)) break;
    const Request request = plan.next(rng);
    const Outcome outcome = co_await lane.driver->execute(request, client);
    const Clock::time_point answered = Clock::now();
    if (sent >= phase.measure_start) lane.stats.add(outcome, answered - sent, answered);
    if (!outcome.ok) co_await sleep_until(answered + kPauseAfterError);
  }
}

asio::awaitable<void> closed_loop_lane(Lane& lane, const WorkloadPlan& plan, Phase& phase) {
  const BenchOptions& options = plan.options();
  const std::size_t threads = std::min(options.threads, options.connections);
  AsyncLatch latch(lane.io.get_executor());
  // Client j uses connection j % connections, which runs on thread
  // (j % connections) % threads.
  for (std::size_t j = 0; j < options.clients; ++j) {
    const std::size_t connection = j % options.connections;
    if (connection % threads != lane.number) continue;
    ClientIdentity client{connection / threads, j};
    latch.add();
    asio::co_spawn(
        lane.io,
        [&lane, &plan, &phase, &latch, client]() -> asio::awaitable<void> {
          co_await closed_loop_client(lane, plan, phase, client);
          latch.done();
        },
        asio::detached);
  }
  co_await latch.wait();
}

// The open loop of one thread: the requests due on its connections (request
// k goes to connection k % connections), each sent at start + k / rate.
asio::awaitable<void> open_loop_lane(Lane& lane, const WorkloadPlan& plan, Phase& phase) {
  const BenchOptions& options = plan.options();
  const std::size_t threads = std::min(options.threads, options.connections);
  const double interval_ns = 1e9 / options.rate;
  // This thread's share of the in-flight cap, in proportion to its connections.
  const std::size_t slot_count =
      std::max<std::size_t>(1, options.max_outstanding * lane.connections / options.connections);
  std::vector<ClientIdentity> slots;
  std::vector<std::size_t> free_slots;
  for (std::size_t s = 0; s < slot_count; ++s) {
    slots.push_back(ClientIdentity{s % lane.connections, (lane.number << 32) + s});
    free_slots.push_back(slot_count - 1 - s);
  }
  std::deque<Clock::time_point> backlog;  // due requests waiting for a slot
  std::mt19937_64 rng = generator(options.seed, (std::uint64_t{1} << 48) + lane.number);
  AsyncLatch in_flight(lane.io.get_executor());

  // One slot's requests: the one due at `due`, then whatever queued meanwhile.
  auto serve = [&](std::size_t slot, Clock::time_point due) -> asio::awaitable<void> {
    for (;;) {
      const Request request = plan.next(rng);
      const Outcome outcome = co_await lane.driver->execute(request, slots[slot]);
      const Clock::time_point answered = Clock::now();
      if (due >= phase.measure_start) lane.stats.add(outcome, answered - due, answered);
      if (backlog.empty()) break;
      due = backlog.front();
      backlog.pop_front();
    }
    free_slots.push_back(slot);
    in_flight.done();
  };

  bool more = true;
  for (std::uint64_t base = 0; more; base += options.connections) {
    for (std::size_t local = 0; local < lane.connections; ++local) {
      const std::uint64_t k = base + lane.number + local * threads;
      const auto due =
          phase.start + nanoseconds(static_cast<std::int64_t>(static_cast<double>(k) * interval_ns));
      if (!phase.admit(due)) {
        more = false;
        break;
      }
      co_await sleep_until(due);
      if (free_slots.empty()) {
        backlog.push_back(due);
        continue;
      }
      const std::size_t slot = free_slots.back();
      free_slots.pop_back();
      in_flight.add();
      asio::co_spawn(lane.io, serve(slot, due), asio::detached);
    }
  }
  co_await in_flight.wait();
}

// Runs `make()`'s coroutine on every lane at once and waits for all.
template <class Make>
auto on_every_lane(std::vector<std::unique_ptr<Lane>>& lanes, Make make) {
  using Awaitable = decltype(make(*lanes.front()));
  using Value = typename Awaitable::value_type;
  std::vector<std::future<Value>> futures;
  for (auto& lane : lanes) futures.push_back(asio::co_spawn(lane->io, make(*lane), asio::use_future));
  if constexpr (std::is_void_v<Value>) {
    for (auto& future : futures) future.get();
    return;
  } else {
    std::vector<Value> values;
    for (auto& future : futures) values.push_back(future.get());
    return values;
  }
}

std::string first_failure(const std::vector<Outcome>& outcomes) {
  for (const Outcome& outcome : outcomes) {
    if (!outcome.ok) return outcome.error_kind + ": " + outcome.message;
  }
  return {};
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

RunResult run_benchmark(const BenchOptions& options, std::ostream& log) {
  const WorkloadPlan plan(options);
  const std::size_t threads = std::min(options.threads, options.connections);
  RunResult result;

  std::vector<std::unique_ptr<Lane>> lanes;
  for (std::size_t t = 0; t < threads; ++t) {
    auto lane = std::make_unique<Lane>();
    lane->number = t;
    lane->connections = (options.connections - t + threads - 1) / threads;
    lane->work.emplace(lane->io.get_executor());
    lanes.push_back(std::move(lane));
  }
  for (auto& lane : lanes) lane->thread = std::thread([io = &lane->io] { io->run(); });

  // Drivers are made and destroyed on their own thread: an AsyncClient must
  // only be used from its executor.
  on_every_lane(lanes, [&](Lane& lane) -> asio::awaitable<void> {
    if (options.protocol == Protocol::kBinary) {
      lane.driver = make_binary_driver(lane.io.get_executor(), plan, lane.connections);
    } else {
      lane.driver = make_http_driver(lane.io.get_executor(), plan, lane.connections, lane.number);
    }
    co_return;
  });

  const auto setup_start = Clock::now();
  std::string failure = first_failure(
      on_every_lane(lanes, [](Lane& lane) -> asio::awaitable<Outcome> { return lane.driver->probe(); }));
  if (!failure.empty()) failure = "the cluster does not answer: " + failure;

  if (failure.empty() && plan.needs_populated_keys()) {
    log << "kahuna-bench: writing " << options.keys << " keys before the run\n";
    failure = first_failure(on_every_lane(lanes, [&](Lane& lane) -> asio::awaitable<Outcome> {
      const std::uint64_t share = (options.keys + threads - 1) / threads;
      const std::uint64_t first = std::min(options.keys, share * lane.number);
      const std::uint64_t count = std::min(options.keys - first, share);
      return lane.driver->populate(first, count);
    }));
    if (!failure.empty()) failure = "writing the keys failed: " + failure;
  }
  if (failure.empty() && plan.needs_sequences()) {
    auto created = asio::co_spawn(
        lanes.front()->io,
        [&]() -> asio::awaitable<Outcome> {
          for (std::uint64_t index = 0; index < options.resources; ++index) {
            Outcome outcome = co_await lanes.front()->driver->create_sequence(index);
            if (!outcome.ok) co_return outcome;
          }
          co_return Outcome::success(label::kAllocated);
        },
        asio::use_future);
    failure = first_failure({created.get()});
    if (!failure.empty()) failure = "creating the sequences failed: " + failure;
  }
  result.setup_seconds = seconds_between(setup_start, Clock::now());

  if (failure.empty()) {
    Phase phase;
    // A little ahead, so that every thread is waiting when the load starts.
    phase.start = Clock::now() + milliseconds(5);
    phase.measure_start = phase.start + std::chrono::duration_cast<nanoseconds>(
                                            std::chrono::duration<double>(options.warmup_seconds));
    phase.by_requests = options.requests > 0;
    phase.end = phase.by_requests
                    ? Clock::time_point::max()
                    : phase.measure_start + std::chrono::duration_cast<nanoseconds>(
                                                std::chrono::duration<double>(options.duration_seconds));
    phase.tickets = static_cast<std::int64_t>(options.requests);
    on_every_lane(lanes, [&](Lane& lane) -> asio::awaitable<void> {
      if (options.open_loop()) return open_loop_lane(lane, plan, phase);
      return closed_loop_lane(lane, plan, phase);
    });
    for (auto& lane : lanes) result.stats.merge(std::move(lane->stats));
    result.interrupted = stop_requested.load();
    if (result.stats.last_completion > phase.measure_start) {
      result.elapsed_seconds = seconds_between(phase.measure_start, result.stats.last_completion);
    }
  } else {
    result.setup_error = failure;
  }

  on_every_lane(lanes, [](Lane& lane) -> asio::awaitable<void> {
    lane.driver->close();
    lane.driver.reset();
    co_return;
  });
  for (auto& lane : lanes) {
    lane->work.reset();
    lane->thread.join();
  }
  return result;
}

void stop_measuring() noexcept { stop_requested.store(true, std::memory_order_relaxed); }

}  // namespace kahuna::bench
