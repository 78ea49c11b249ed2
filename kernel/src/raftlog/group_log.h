// GroupLog: one Raft group's view of the segmented log — what the core reads
// (raft::LogStorage) — kept in memory and rebuilt at open by replaying the
// group's records.
//
// Memory holds, per entry, its term and where its data lies on disk; the
// data itself is cached for the newest entries only (a byte budget per
// group), so a long uncompacted log costs about 40 bytes an entry. An entry
// older than the cache is read back from its segment: that happens only for
// a follower far behind, and is a page-cache hit most of the time.
//
// Only the log writer's thread changes it, in file order, after the write
// is durable (apply()); the group's own thread reads it. A mutex keeps the
// two apart. The core sees a change only after the driver's persist()
// returns, because the driver does not run the core while it waits.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <kahuna/raft/log_storage.h>
#include <kahuna/status.h>

#include "raftlog/log_record.h"

namespace kahuna::raftlog {

class GroupLog final : public raft::LogStorage {
 public:
  // Reads `size` bytes at `offset` of segment `segment` (for entries no
  // longer cached).
  using SegmentReader =
      std::function<Status(std::uint64_t segment, std::uint64_t offset, std::size_t size, std::string& out)>;
  static constexpr std::uint64_t kNoSegment = std::numeric_limits<std::uint64_t>::max();

  GroupLog(std::uint32_t group, const raft::ConfState& initial, SegmentReader reader,
           std::size_t cache_bytes);

  // raft::LogStorage. A read of an uncached entry that fails stops the
  // process: the core cannot go on without its log.
  raft::HardState hard_state() const override;
  raft::Index first_index() const override;
  raft::Index last_index() const override;
  std::optional<raft::Term> term(raft::Index index) const override;
  std::vector<raft::Entry> entries(raft::Index lo, raft::Index hi, std::size_t max_bytes) const override;
  raft::SnapshotMetadata snapshot_metadata() const override;
  raft::Snapshot snapshot() const override;

  // Applies one of the group's records, durable in `segment` with its
  // payload starting at `payload_offset` in the file. `payload` backs the
  // cache. `image`: the snapshot's image when the record carries one and the
  // writer has it (else it is loaded later with set_snapshot_image()).
  // False when the record's entries would leave a hole in the log — unless
  // `replaying`: replay may start after records that segment deletion took
  // away, whose entries later records overwrite or compact; the hole is
  // held by placeholders, and missing_entry() says whether any is left.
  bool apply(const GroupRecord& record, std::uint64_t segment, std::uint64_t payload_offset,
             std::shared_ptr<const std::string> payload, std::shared_ptr<const std::string> image,
             bool replaying = false);
  // The first entry in the log that only a placeholder holds; 0 when none.
  raft::Index missing_entry() const;

  // A new commit index that needs no write: Raft learns it again from the
  // leader after a restart.
  void note_commit(raft::Index commit);

  void set_snapshot_image(std::shared_ptr<const std::string> image);

  // The oldest segment holding a record this group still needs; kNoSegment
  // when it needs none.
  std::uint64_t oldest_segment() const;

  // Everything the group's log holds, for rewriting it into a new segment
  // (so the old ones can go). Reads uncached entries from disk.
  Status copy_state(raft::SnapshotMetadata& snapshot, raft::HardState& hard_state,
                    std::vector<raft::Entry>& entries) const;

  std::uint32_t group() const { return group_; }

 private:
  struct Slot {
    raft::Term term = 0;
    raft::EntryType type = raft::EntryType::kNormal;
    std::uint64_t segment = 0;
    std::uint64_t offset = 0;  // of the data in the segment file
    std::uint32_t length = 0;
    std::shared_ptr<const std::string> payload;  // null once evicted from the cache
    std::uint32_t payload_offset = 0;
    bool missing = false;  // a placeholder during replay
  };

  raft::Index last_index_locked() const { return snapshot_.index + slots_.size(); }
  raft::Entry load(raft::Index index) const;  // mutex held
  void drop_through(raft::Index index);       // drops slots up to `index`
  void truncate_from(raft::Index index);      // drops slots from `index` on
  void trim_cache();

  const std::uint32_t group_;
  const SegmentReader reader_;
  const std::size_t cache_bytes_;

  mutable std::mutex mutex_;
  raft::HardState hard_state_;
  raft::SnapshotMetadata snapshot_;
  std::shared_ptr<const std::string> image_;
  std::deque<Slot> slots_;  // slots_[i] is entry snapshot_.index + 1 + i
  std::size_t cached_bytes_ = 0;
  std::size_t first_cached_ = 0;  // slots before it hold no data
  std::uint64_t hard_state_segment_ = kNoSegment;
  std::uint64_t snapshot_segment_ = kNoSegment;
};

}  // namespace kahuna::raftlog
