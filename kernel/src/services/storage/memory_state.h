// MemoryState: an ordered in-memory key/value map with the StateReader
// interface, that applies WriteBatches the way a storage engine does.
//
// Used by tests in place of an engine, and as the home of ephemeral locks and
// keys, which live only in the partition leader's memory. Not thread safe:
// like a partition's state machine, it belongs to one strand.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include <kahuna/write_batch.h>

#include "services/storage/state_reader.h"

namespace kahuna::services {

class MemoryState final : public StateReader {
 public:
  using Map = std::map<std::string, std::string, std::less<>>;

  Status get(std::string_view key, std::string& value) const override;
  // The cursor reads the map live: applying a batch while a cursor is open
  // invalidates it.
  std::unique_ptr<StateCursor> scan(std::string_view lower, std::string_view upper) const override;

  // Applies every operation of `batch` in order.
  void apply(const WriteBatch& batch);

  const Map& entries() const noexcept { return entries_; }
  std::size_t size() const noexcept { return entries_.size(); }
  void clear() noexcept { entries_.clear(); }

  friend bool operator==(const MemoryState& a, const MemoryState& b) { return a.entries_ == b.entries_; }

 private:
  Map entries_;
};

}  // namespace kahuna::services
