// WorkloadPlan: what each request of a run is — its operation and which key,
// lock resource or sequence it names — and the names and value bytes the
// drivers send. Pure computation, shared read-only by every thread.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "bench_options.h"

namespace kahuna::bench {

// One request as the runner counts it. kCas is a get followed by a write
// conditional on the revision read; kLock is one acquire + release cycle
// (no release after busy); kSequence is one next or reserve call.
// kScript is one Kahuna Script that reads a key and writes it (a transaction
// on one partition); kTransfer one that reads two keys and writes both (on
// two partitions, unless the keys happen to share one).
enum class Operation : std::uint8_t { kSet, kGet, kCas, kLock, kSequence, kScript, kTransfer };

struct Request {
  Operation operation = Operation::kSet;
  std::uint64_t index = 0;  // the key, lock resource or sequence number
};

// Who sends a request: fixed for a closed-loop client or an open-loop slot.
// `connection` is which of its thread's connections it uses (binary: which
// AsyncClient; HTTP takes whichever is free); `id` makes the lock owner,
// unique to this client in this process.
struct ClientIdentity {
  std::size_t connection = 0;
  std::uint64_t id = 0;
};

class WorkloadPlan {
 public:
  explicit WorkloadPlan(const BenchOptions& options);

  // The next request of a client whose generator is `rng`: a uniformly drawn
  // key (resource, sequence), and for mixed a get with probability read_ratio.
  Request next(std::mt19937_64& rng) const;

  // prefix + the number zero-padded to key_size bytes.
  std::string key(std::uint64_t index) const;
  // prefix + "lock-" + number; prefix + "seq-" + number.
  std::string resource(std::uint64_t index) const;
  std::string sequence(std::uint64_t index) const;
  // The lock owner bytes of a client.
  std::string owner(const ClientIdentity& client) const;

  // The bytes every write stores: value_size printable characters drawn
  // from the seed (so they compress about as badly as real data).
  const std::string& value() const { return value_; }

  // Whether keys must exist before the measured phase (get, mixed, cas).
  bool needs_populated_keys() const;
  // Whether sequences must be created first (sequence).
  bool needs_sequences() const;

  const BenchOptions& options() const { return options_; }

 private:
  BenchOptions options_;
  std::string value_;
  std::string owner_prefix_;
};

}  // namespace kahuna::bench
