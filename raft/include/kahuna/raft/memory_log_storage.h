// MemoryLogStorage: LogStorage kept in memory, for tests and the simulation. The object
// stands for a node's disk: a simulated crash destroys the Core but keeps this.
#pragma once

#include <deque>

#include "kahuna/raft/log_storage.h"

namespace kahuna::raft {

class MemoryLogStorage : public LogStorage {
 public:
  // A new node whose group starts with `initial` membership (empty for a node that joins
  // an existing group later and learns its membership from the leader).
  explicit MemoryLogStorage(ConfState initial = {});

  HardState hard_state() const override { return hard_state_; }
  Index first_index() const override { return snapshot_.metadata.index + 1; }
  Index last_index() const override { return snapshot_.metadata.index + entries_.size(); }
  std::optional<Term> term(Index index) const override;
  std::vector<Entry> entries(Index lo, Index hi, std::size_t max_bytes) const override;
  SnapshotMetadata snapshot_metadata() const override { return snapshot_.metadata; }
  Snapshot snapshot() const override { return snapshot_; }

  // --- writes, made by the application while handling a Ready ---

  void set_hard_state(const HardState& state) { hard_state_ = state; }

  // Appends entries (consecutive indices). Existing entries at or after the first new
  // index are discarded first: the core only sends such entries when the leader
  // overwrote a conflicting suffix. Entries at or before the snapshot index are ignored.
  // Precondition: entries.front().index <= last_index() + 1.
  void append(const std::vector<Entry>& entries);

  // Replaces the whole log by `snapshot` (a snapshot received from the leader).
  void apply_snapshot(Snapshot snapshot);

  // Stores a snapshot made locally (Core::compact) and discards entries up to its index.
  // Ignored if it is not newer than the current snapshot.
  // Precondition: snapshot.metadata.index <= last_index().
  void compact(Snapshot snapshot);

 private:
  HardState hard_state_;
  Snapshot snapshot_;
  std::deque<Entry> entries_;  // entries_[i] has index snapshot_.metadata.index + 1 + i
};

}  // namespace kahuna::raft
