// LogStorage: the durable Raft state as the core reads it.
//
// The core never writes storage. It hands everything that must become durable to the
// application in a Ready (hard state, entries, snapshots); the application writes it with
// whatever engine it uses, then calls Core::advance(). The core reads back through this
// interface, so an implementation must reflect a write as soon as the application made
// it. MemoryLogStorage is the in-memory implementation; a durable one adapts a storage
// engine (log entries, hard state and the latest snapshot under their own keys).
//
// Index space: entries [first_index(), last_index()] are present. Everything before
// first_index() is covered by the latest snapshot, whose index is first_index() - 1. An
// empty storage has first_index() == 1, last_index() == 0 and a snapshot at index 0.
//
// Storage errors (I/O failures, corruption) are not reported through this interface: the
// core cannot make safe progress without its log, so an implementation that cannot
// answer must stop the process.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "kahuna/raft/types.h"

namespace kahuna::raft {

class LogStorage {
 public:
  virtual ~LogStorage() = default;

  // The last persisted hard state; all zero for a new node.
  virtual HardState hard_state() const = 0;

  // Index of the first entry present; snapshot_metadata().index + 1.
  virtual Index first_index() const = 0;

  // Index of the last entry present; snapshot_metadata().index if there is none.
  virtual Index last_index() const = 0;

  // Term of entry `index`. Must answer for index in [first_index() - 1, last_index()]
  // (first_index() - 1 gives the snapshot's term); returns nullopt outside that range.
  virtual std::optional<Term> term(Index index) const = 0;

  // Entries in [lo, hi), stopping early once their total entry_size() would exceed
  // max_bytes, but always returning at least one entry when lo < hi.
  // Precondition: first_index() <= lo <= hi <= last_index() + 1.
  virtual std::vector<Entry> entries(Index lo, Index hi, std::size_t max_bytes) const = 0;

  // Metadata of the latest snapshot (index 0 and the initial membership for a new group).
  virtual SnapshotMetadata snapshot_metadata() const = 0;

  // The latest snapshot including its data; the leader sends it to a follower that needs
  // compacted entries.
  virtual Snapshot snapshot() const = 0;
};

}  // namespace kahuna::raft
