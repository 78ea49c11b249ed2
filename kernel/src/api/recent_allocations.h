// RecentAllocations: what the partition leader did with the sequence
// requests it served lately, by request id, so that a resent next/reserve
// gets what its first send got.
//
// A request served from the leader's in-memory block never reaches the log,
// so the request table (services/partition/request_table.h) cannot remember
// it; this does, for as long as the leadership lasts. A request that went
// through Raft is remembered as "proposed": a resend must go through Raft too,
// where the request table answers it, and never be served a second time
// from the block.
//
// Limits: bounded (the oldest ids are forgotten first) and cleared when the
// leadership ends. A send answered from an old leader's block whose reply was
// lost gets new values when resent to a new leader: the first values are
// skipped, never handed out twice.
//
// Not thread safe: PartitionService holds its mutex around every call.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <tuple>

#include <kahuna/kernel_api.h>
#include <kahuna/service_types.h>

namespace kahuna {

class RecentAllocations {
 public:
  explicit RecentAllocations(std::size_t capacity = 4096) : capacity_(capacity) {}

  struct Seen {
    // Set when the request was served from the block; nullopt when it was
    // proposed through Raft.
    std::optional<SequenceAllocation> served;
  };

  // What was done with `id`; nullopt when nothing is remembered.
  std::optional<Seen> find(const RequestId& id) const {
    const auto it = seen_.find(key_of(id));
    if (it == seen_.end()) return std::nullopt;
    return it->second;
  }

  void served(const RequestId& id, const SequenceAllocation& allocation) { remember(id, Seen{allocation}); }
  void proposed(const RequestId& id) { remember(id, Seen{std::nullopt}); }

  void clear() {
    seen_.clear();
    order_.clear();
  }

 private:
  using Key = std::tuple<std::uint64_t, std::uint64_t, std::uint32_t>;
  static Key key_of(const RequestId& id) { return {id.client, id.sequence, id.part}; }

  void remember(const RequestId& id, Seen seen) {
    if (!id.present()) return;
    const auto [it, inserted] = seen_.insert_or_assign(key_of(id), std::move(seen));
    if (!inserted) return;
    order_.push_back(it->first);
    while (order_.size() > capacity_) {
      seen_.erase(order_.front());
      order_.pop_front();
    }
  }

  std::size_t capacity_;
  std::map<Key, Seen> seen_;
  std::deque<Key> order_;
};

}  // namespace kahuna
