// StateCache: one partition's recent point reads and writes, kept in memory in
// front of the storage engine for the apply path.
//
// Every write the state machines make runs through one partition's apply loop,
// so that loop can know the current value of a key without asking the
// engine: after a batch is staged, update() records its puts and deletes, and
// later get()s of those keys (and of keys read before, present or absent) are
// answered from memory. Without it each `set` looks up its key's current
// record, the request table's bounds and its oldest order record in the
// engine's memtable on the io thread — a skip-list search over the whole
// memtable each time.
//
// The cache holds at most `capacity_bytes` (keys, values and bookkeeping),
// dropping the least recently used keys first; 0 turns it off. scan() is not
// cached: it reads `base`, which must then already hold every batch given to
// update() (the apply loop commits a batch before it stages the next).
//
// Not thread safe: only the partition's apply loop uses it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <string>

#include <kahuna/write_batch.h>

#include "services/storage/state_reader.h"

namespace kahuna::services {

class StateCache final : public StateReader {
 public:
  StateCache(const StateReader& base, std::size_t capacity_bytes)
      : base_(base), capacity_bytes_(capacity_bytes) {}
  StateCache(const StateCache&) = delete;
  StateCache& operator=(const StateCache&) = delete;

  Status get(std::string_view key, std::string& value) const override;
  std::unique_ptr<StateCursor> scan(std::string_view lower, std::string_view upper) const override {
    return base_.scan(lower, upper);
  }

  // The state now also reflects `batch` (staged over this cache and about to
  // be committed to `base`; a failed commit stops the node).
  void update(const WriteBatch& batch);
  // Forgets everything: the state was replaced behind the cache's back
  // (a snapshot restored).
  void clear();

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::size_t bytes = 0;
    std::size_t keys = 0;
  };
  Stats stats() const { return {hits_, misses_, bytes_, entries_.size()}; }

 private:
  struct Entry;
  using Map = std::map<std::string, Entry, std::less<>>;
  struct Entry {
    std::optional<std::string> value;  // nullopt: the key is absent
    std::list<Map::iterator>::iterator recency;
  };

  void remember(std::string_view key, std::optional<std::string> value) const;
  void erase(Map::iterator it) const;
  void evict_to_capacity() const;
  static std::size_t cost(std::string_view key, const std::optional<std::string>& value);

  const StateReader& base_;
  const std::size_t capacity_bytes_;
  // Reads fill the cache too, so the bookkeeping changes under const get().
  mutable Map entries_;
  mutable std::list<Map::iterator> recency_;  // most recently used first
  mutable std::size_t bytes_ = 0;
  mutable std::uint64_t hits_ = 0;
  mutable std::uint64_t misses_ = 0;
};

}  // namespace kahuna::services
