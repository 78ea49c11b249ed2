// EngineLogStorage: the durable raft::LogStorage of one group, kept in the
// node's storage engine (layout in raft_keys.h) and mirrored in memory.
//
// The core reads the log often (terms for every append and vote, entries
// for every follower); those reads are served from memory, never from the
// engine. Memory holds the entries since the last compaction, which the
// driver bounds by compacting.
//
// Snapshots: one received from a leader is stored whole in the engine (it is
// rare, and must be durable before the state it replaces is). A compaction's
// image was already written to a SnapshotFiles file; the engine records only
// its metadata, and open() loads the image from the file.
//
// Writes go through the driver: stage() turns a Ready (or a compaction) into
// engine operations added to a WriteBatch; once the log writer reports the
// batch durable, the driver calls persisted() with the same Ready so the
// in-memory mirror shows it. Only then may the core see it (advance()).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include <kahuna/raft/log_storage.h>
#include <kahuna/raft/ready.h>
#include <kahuna/status.h>
#include <kahuna/storage_engine.h>
#include <kahuna/write_batch.h>

#include "replication/snapshot_files.h"

namespace kahuna {

class EngineLogStorage final : public raft::LogStorage {
 public:
  // Loads the group's hard state, snapshot and entries from `engine`. A new
  // group (nothing stored) starts from `initial`: snapshot index 0 with the
  // group's initial membership. Fails with kCorruption on undecodable data.
  static Status open(StorageEngine& engine, std::uint32_t group, const raft::ConfState& initial,
                     const SnapshotFiles& files, std::unique_ptr<EngineLogStorage>& out);

  // raft::LogStorage
  raft::HardState hard_state() const override { return hard_state_; }
  raft::Index first_index() const override { return snapshot_.metadata.index + 1; }
  raft::Index last_index() const override { return snapshot_.metadata.index + entries_.size(); }
  std::optional<raft::Term> term(raft::Index index) const override;
  std::vector<raft::Entry> entries(raft::Index lo, raft::Index hi, std::size_t max_bytes) const override;
  raft::SnapshotMetadata snapshot_metadata() const override { return snapshot_.metadata; }
  raft::Snapshot snapshot() const override { return snapshot_; }

  // Adds what `ready` asks to persist (snapshot, entries, hard state) to `batch`.
  void stage(const raft::Ready& ready, WriteBatch& batch) const;
  // The batch holding stage(ready) is durable: show it in memory.
  void persisted(const raft::Ready& ready);

  // Adds a compaction to `batch`: record `snapshot`, whose image is already
  // in its SnapshotFiles file, and drop the entries it covers.
  void stage_compaction(const raft::Snapshot& snapshot, WriteBatch& batch) const;
  void compacted(const raft::Snapshot& snapshot);

  // The index of the snapshot file the stored log refers to; 0 when none
  // (no snapshot, or one received from a leader).
  raft::Index snapshot_file_index() const noexcept { return snapshot_file_index_; }

  std::uint32_t group() const { return group_; }

 private:
  EngineLogStorage(std::uint32_t group) : group_(group) {}
  void append(const std::vector<raft::Entry>& entries);
  void install(const raft::Snapshot& snapshot);

  const std::uint32_t group_;
  raft::HardState hard_state_;
  raft::Snapshot snapshot_;
  std::deque<raft::Entry> entries_;  // entries_[i] has index snapshot index + 1 + i
  raft::Index snapshot_file_index_ = 0;
};

// Encodings of the stored values, exposed for tests.
std::string encode_entry(const raft::Entry& entry);
bool decode_entry(std::string_view bytes, raft::Index index, raft::Entry& entry);
std::string encode_hard_state(const raft::HardState& state);
bool decode_hard_state(std::string_view bytes, raft::HardState& state);
std::string encode_snapshot(const raft::Snapshot& snapshot);
bool decode_snapshot(std::string_view bytes, raft::Snapshot& snapshot);

}  // namespace kahuna
