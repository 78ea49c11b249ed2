// RangeSnapshots: the storage snapshots that range-read cursors pin, so every
// page of one get-by-range reads the view its first page read (HTTP-API.md
// §6.3), on the partition leader that served it.
//
// A cursor handed to the client wraps the state machine's own cursor with
// the id of the pinned snapshot: "s1.<id hex>.<inner cursor>". A later page
// with that cursor reads the same snapshot. When the snapshot is gone —
// unused for `idle` (1 minute), evicted past `capacity`, or another node now
// leads the partition — the page reads the latest state instead, still
// resuming strictly after the last key returned: a client that pages slowly
// loses the single view, never rows.
//
// Thread safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <kahuna/storage_engine.h>

namespace kahuna {

class RangeSnapshots {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RangeSnapshots(std::size_t capacity = 1024, std::chrono::seconds idle = std::chrono::seconds(60));

  // Pins `snapshot` and returns its id.
  std::uint64_t pin(std::shared_ptr<const Snapshot> snapshot);
  // The snapshot pinned under `id`, or null; using it keeps it alive longer.
  std::shared_ptr<const Snapshot> find(std::uint64_t id);
  std::size_t size() const;

  static std::string wrap(std::uint64_t id, std::string_view inner_cursor);
  // False when `cursor` does not carry a pinned snapshot.
  static bool unwrap(std::string_view cursor, std::uint64_t& id, std::string& inner_cursor);

 private:
  struct Entry {
    std::shared_ptr<const Snapshot> snapshot;
    Clock::time_point last_used;
  };
  void drop_stale(Clock::time_point now);  // mutex held

  const std::size_t capacity_;
  const std::chrono::seconds idle_;
  mutable std::mutex mutex_;
  std::uint64_t next_id_;
  std::map<std::uint64_t, Entry> entries_;
};

}  // namespace kahuna
