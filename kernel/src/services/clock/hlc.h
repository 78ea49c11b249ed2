// Hybrid logical clock (HLC) timestamps and the clock that issues them.
//
// A timestamp (kahuna/hlc_timestamp.h) orders by physical time, then the
// counter, then the node id (HTTP-API.md §2). The partition
// leader stamps every command it proposes with one; the state machines never
// read a clock, they compare expiries and leases with the command's stamp, so
// every replica decides the same thing from the same log.
#pragma once

#include <kahuna/hlc_timestamp.h>
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>

namespace kahuna::services {

using ::kahuna::HlcTimestamp;

// The instant `ms` milliseconds after `stamp` (same counter and node), the
// form every lease and TTL expiry takes. Saturates instead of overflowing.
constexpr HlcTimestamp hlc_after(const HlcTimestamp& stamp, std::int64_t ms) noexcept {
  HlcTimestamp out = stamp;
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  if (ms > 0 && stamp.physical > kMax - ms) {
    out.physical = kMax;
  } else if (ms < 0 && stamp.physical < kMin - ms) {
    out.physical = kMin;
  } else {
    out.physical = stamp.physical + ms;
  }
  return out;
}

// "As of wall-clock ms T" in a read: every timestamp with physical time T.
constexpr HlcTimestamp hlc_as_of_ms(std::int64_t ms) noexcept {
  return HlcTimestamp{0, ms, std::numeric_limits<std::uint32_t>::max()};
}

// Issues timestamps for one node. Thread safe.
//
// The driver should update() the clock with the stamp of every entry it
// applies: then a node that becomes leader never stamps a command below its
// predecessor's, and a lease or TTL never sees "now" go back in the log. The physical time comes from an
// injected function so tests can drive it; the clock never goes back even when
// that function does (the logical counter carries the order instead).
class HybridClock {
 public:
  using PhysicalClock = std::function<std::int64_t()>;  // ms since the epoch

  HybridClock(std::int32_t node, PhysicalClock physical_clock);
  // A clock that reads the system's real-time clock.
  explicit HybridClock(std::int32_t node);

  HybridClock(const HybridClock&) = delete;
  HybridClock& operator=(const HybridClock&) = delete;

  // A timestamp for a local event (e.g. stamping a proposal): strictly greater
  // than every timestamp this clock issued or received before.
  HlcTimestamp now();

  // Merges a timestamp received from another node, so that everything this
  // node stamps afterwards orders after `remote`. Returns the new time, which
  // is strictly greater than both `remote` and every earlier timestamp.
  HlcTimestamp update(const HlcTimestamp& remote);

  // The last timestamp issued or merged, without advancing the clock.
  HlcTimestamp last() const;

  std::int32_t node() const noexcept { return node_; }

 private:
  // Moves to (physical, logical) and stamps it with our node id; a logical
  // counter at its maximum spills into the next millisecond.
  HlcTimestamp advance_to(std::int64_t physical, std::uint64_t logical);

  const std::int32_t node_;
  const PhysicalClock physical_clock_;
  mutable std::mutex mutex_;
  std::int64_t physical_ = 0;
  std::uint32_t logical_ = 0;
};

}  // namespace kahuna::services
