#include "services/clock/hlc.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace kahuna::services {

namespace {

std::int64_t system_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

HybridClock::HybridClock(std::int32_t node, PhysicalClock physical_clock)
    : node_(node), physical_clock_(std::move(physical_clock)) {}

HybridClock::HybridClock(std::int32_t node) : HybridClock(node, &system_ms) {}

HlcTimestamp HybridClock::advance_to(std::int64_t physical, std::uint64_t logical) {
  if (logical > std::numeric_limits<std::uint32_t>::max()) {
    // 2^32 events in one millisecond: borrow the next millisecond rather than
    // wrap the counter, which would make time go back.
    ++physical;
    logical = 0;
  }
  physical_ = physical;
  logical_ = static_cast<std::uint32_t>(logical);
  return HlcTimestamp{node_, physical_, logical_};
}

HlcTimestamp HybridClock::now() {
  const std::int64_t wall = physical_clock_();
  std::lock_guard lock(mutex_);
  if (wall > physical_) return advance_to(wall, 0);
  return advance_to(physical_, std::uint64_t{logical_} + 1);
}

HlcTimestamp HybridClock::update(const HlcTimestamp& remote) {
  const std::int64_t wall = physical_clock_();
  std::lock_guard lock(mutex_);
  const std::int64_t top = std::max({wall, physical_, remote.physical});
  if (top == physical_ && top == remote.physical) {
    return advance_to(top, std::uint64_t{std::max(logical_, remote.logical)} + 1);
  }
  if (top == physical_) return advance_to(top, std::uint64_t{logical_} + 1);
  if (top == remote.physical) return advance_to(top, std::uint64_t{remote.logical} + 1);
  return advance_to(top, 0);
}

HlcTimestamp HybridClock::last() const {
  std::lock_guard lock(mutex_);
  return HlcTimestamp{node_, physical_, logical_};
}

}  // namespace kahuna::services
