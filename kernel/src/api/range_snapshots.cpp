#include "api/range_snapshots.h"

#include <charconv>
#include <random>

namespace kahuna {

namespace {
constexpr std::string_view kPrefix = "s1.";
}  // namespace

RangeSnapshots::RangeSnapshots(std::size_t capacity, std::chrono::seconds idle)
    : capacity_(capacity), idle_(idle) {
  // A random start, so ids minted by different leaderships of a partition
  // do not collide: a cursor from an earlier leader finds nothing rather than
  // another range's snapshot.
  std::random_device random;
  next_id_ = (static_cast<std::uint64_t>(random()) << 32) ^ random();
}

std::uint64_t RangeSnapshots::pin(std::shared_ptr<const Snapshot> snapshot) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  drop_stale(now);
  if (entries_.size() >= capacity_) {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.last_used < oldest->second.last_used) oldest = it;
    }
    entries_.erase(oldest);
  }
  const std::uint64_t id = next_id_++;
  entries_[id] = Entry{std::move(snapshot), now};
  return id;
}

std::shared_ptr<const Snapshot> RangeSnapshots::find(std::uint64_t id) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  drop_stale(now);
  auto it = entries_.find(id);
  if (it == entries_.end()) return nullptr;
  it->second.last_used = now;
  return it->second.snapshot;
}

std::size_t RangeSnapshots::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void RangeSnapshots::drop_stale(Clock::time_point now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = now - it->second.last_used > idle_ ? entries_.erase(it) : std::next(it);
  }
}

std::string RangeSnapshots::wrap(std::uint64_t id, std::string_view inner_cursor) {
  char hex[16];
  const auto end = std::to_chars(hex, hex + sizeof(hex), id, 16).ptr;
  std::string out(kPrefix);
  out.append(hex, end);
  out.push_back('.');
  out.append(inner_cursor);
  return out;
}

bool RangeSnapshots::unwrap(std::string_view cursor, std::uint64_t& id, std::string& inner_cursor) {
  if (!cursor.starts_with(kPrefix)) return false;
  cursor.remove_prefix(kPrefix.size());
  const auto dot = cursor.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 16) return false;
  const auto [end, error] = std::from_chars(cursor.data(), cursor.data() + dot, id, 16);
  if (error != std::errc() || end != cursor.data() + dot) return false;
  inner_cursor.assign(cursor.substr(dot + 1));
  return true;
}

}  // namespace kahuna
