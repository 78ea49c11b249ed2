// Driver: how requests reach the cluster over one protocol. The runner owns
// one driver per thread; it is created, used and destroyed on that thread's
// io_context (never from another thread), and holds the thread's connections.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <cstdint>
#include <memory>

#include "outcome.h"
#include "workload.h"

namespace kahuna::bench {

class Driver {
 public:
  virtual ~Driver() = default;

  // Checks that the cluster answers (binary: a cluster status read; HTTP:
  // readiness of every endpoint), waiting up to the request timeout. Not ok
  // when it does not.
  virtual asio::awaitable<Outcome> probe() = 0;

  // Writes keys [first, first + count) with the plan's value and durability,
  // in batches, spread over the thread's connections. Not ok at the first
  // batch (or row) that failed.
  virtual asio::awaitable<Outcome> populate(std::uint64_t first, std::uint64_t count) = 0;

  // Creates sequence number `index` starting at 0, step 1; one that already
  // exists is fine (its values continue).
  virtual asio::awaitable<Outcome> create_sequence(std::uint64_t index) = 0;

  // Runs one request for `client` (which picks the connection on binary, and
  // the lock owner). Outcomes the workload expects are ok (see outcome.h);
  // transport failures, timeouts and unexpected codes are not. Must-retry
  // answers are retried within the timeout, as the SDK does.
  virtual asio::awaitable<Outcome> execute(Request request, ClientIdentity client) = 0;

  // Closes every connection; calls in flight end with an error.
  virtual void close() = 0;
};

// `connections` is the number of connections this thread runs; `first_id`
// numbers them globally (for round-robin over endpoints).
std::unique_ptr<Driver> make_binary_driver(asio::any_io_executor executor, const WorkloadPlan& plan,
                                           std::size_t connections);
std::unique_ptr<Driver> make_http_driver(asio::any_io_executor executor, const WorkloadPlan& plan,
                                         std::size_t connections, std::size_t first_id);

}  // namespace kahuna::bench
