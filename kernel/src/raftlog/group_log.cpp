#include "raftlog/group_log.h"

#include <algorithm>
#include <cstdlib>

#include <spdlog/spdlog.h>

namespace kahuna::raftlog {

GroupLog::GroupLog(std::uint32_t group, const raft::ConfState& initial, SegmentReader reader,
                   std::size_t cache_bytes)
    : group_(group), reader_(std::move(reader)), cache_bytes_(cache_bytes) {
  snapshot_.conf_state = initial;
}

raft::HardState GroupLog::hard_state() const {
  std::lock_guard lock(mutex_);
  return hard_state_;
}

raft::Index GroupLog::first_index() const {
  std::lock_guard lock(mutex_);
  return snapshot_.index + 1;
}

raft::Index GroupLog::last_index() const {
  std::lock_guard lock(mutex_);
  return last_index_locked();
}

std::optional<raft::Term> GroupLog::term(raft::Index index) const {
  std::lock_guard lock(mutex_);
  if (index == snapshot_.index) return snapshot_.term;
  if (index < snapshot_.index || index > last_index_locked()) return std::nullopt;
  return slots_[index - snapshot_.index - 1].term;
}

std::vector<raft::Entry> GroupLog::entries(raft::Index lo, raft::Index hi, std::size_t max_bytes) const {
  std::lock_guard lock(mutex_);
  std::vector<raft::Entry> result;
  std::size_t bytes = 0;
  for (raft::Index index = lo; index < hi; ++index) {
    const Slot& slot = slots_[index - snapshot_.index - 1];
    bytes += slot.length + 24;  // raft::entry_size
    if (!result.empty() && bytes > max_bytes) break;
    result.push_back(load(index));
  }
  return result;
}

raft::SnapshotMetadata GroupLog::snapshot_metadata() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

raft::Snapshot GroupLog::snapshot() const {
  std::lock_guard lock(mutex_);
  raft::Snapshot snapshot;
  snapshot.metadata = snapshot_;
  if (image_) snapshot.data = *image_;
  return snapshot;
}

raft::Entry GroupLog::load(raft::Index index) const {
  const Slot& slot = slots_[index - snapshot_.index - 1];
  raft::Entry entry;
  entry.index = index;
  entry.term = slot.term;
  entry.type = slot.type;
  if (slot.payload) {
    entry.data.assign(*slot.payload, slot.payload_offset, slot.length);
    return entry;
  }
  if (Status status = reader_(slot.segment, slot.offset, slot.length, entry.data); !status) {
    spdlog::critical("raft group {}: cannot read log entry {}: {}; stopping the node", group_, index,
                     status.to_string());
    spdlog::shutdown();
    std::abort();
  }
  return entry;
}

bool GroupLog::apply(const GroupRecord& record, std::uint64_t segment, std::uint64_t payload_offset,
                     std::shared_ptr<const std::string> payload, std::shared_ptr<const std::string> image,
                     bool replaying) {
  std::lock_guard lock(mutex_);
  if (record.snapshot_kind == SnapshotKind::kReplace) {
    // A leader's snapshot (or this log rewritten): the whole log is replaced.
    if (!image && record.snapshot.index == snapshot_.index) image = image_;
    slots_.clear();
    cached_bytes_ = 0;
    first_cached_ = 0;
    snapshot_ = record.snapshot;
    image_ = std::move(image);
    snapshot_segment_ = segment;
  } else if (record.snapshot_kind == SnapshotKind::kCompact && record.snapshot.index > snapshot_.index) {
    drop_through(record.snapshot.index);
    snapshot_ = record.snapshot;
    image_ = std::move(image);
    snapshot_segment_ = segment;
  }
  if (!record.entries.empty()) {
    const raft::Index first = std::max(record.entries.front().index, snapshot_.index + 1);
    if (first > last_index_locked() + 1 && record.entries.back().index >= first) {
      if (!replaying) return false;  // a hole
      while (last_index_locked() + 1 < first) {
        Slot placeholder;
        placeholder.segment = kNoSegment;
        placeholder.missing = true;
        slots_.push_back(std::move(placeholder));
      }
    }
    truncate_from(first);
    for (const EntryPlacement& placement : record.entries) {
      if (placement.index < first) continue;  // covered by the snapshot
      slots_.push_back(Slot{placement.term, placement.type, segment, payload_offset + placement.offset,
                            placement.length, payload, placement.offset});
      cached_bytes_ += placement.length;
    }
    trim_cache();
  }
  if (record.hard_state) {
    const raft::Index commit = std::max(hard_state_.commit, record.hard_state->commit);
    hard_state_ = *record.hard_state;
    hard_state_.commit = commit;
    hard_state_segment_ = segment;
  }
  return true;
}

void GroupLog::note_commit(raft::Index commit) {
  std::lock_guard lock(mutex_);
  hard_state_.commit = std::max(hard_state_.commit, commit);
}

void GroupLog::set_snapshot_image(std::shared_ptr<const std::string> image) {
  std::lock_guard lock(mutex_);
  image_ = std::move(image);
}

raft::Index GroupLog::missing_entry() const {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].missing) return snapshot_.index + 1 + i;
  }
  return 0;
}

std::uint64_t GroupLog::oldest_segment() const {
  std::lock_guard lock(mutex_);
  std::uint64_t oldest = std::min(hard_state_segment_, snapshot_segment_);
  if (!slots_.empty()) oldest = std::min(oldest, slots_.front().segment);
  return oldest;
}

Status GroupLog::copy_state(raft::SnapshotMetadata& snapshot, raft::HardState& hard_state,
                            std::vector<raft::Entry>& entries) const {
  std::lock_guard lock(mutex_);
  snapshot = snapshot_;
  hard_state = hard_state_;
  entries.clear();
  entries.reserve(slots_.size());
  for (raft::Index index = snapshot_.index + 1; index <= last_index_locked(); ++index)
    entries.push_back(load(index));
  return Status::ok();
}

void GroupLog::drop_through(raft::Index index) {
  const std::size_t count =
      static_cast<std::size_t>(std::min<raft::Index>(index - snapshot_.index, slots_.size()));
  for (std::size_t i = first_cached_; i < count; ++i)
    cached_bytes_ -= slots_[i].payload ? slots_[i].length : 0;
  slots_.erase(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(count));
  first_cached_ = first_cached_ > count ? first_cached_ - count : 0;
}

void GroupLog::truncate_from(raft::Index index) {
  const std::size_t keep = static_cast<std::size_t>(index - snapshot_.index - 1);
  if (keep >= slots_.size()) return;
  for (std::size_t i = std::max(keep, first_cached_); i < slots_.size(); ++i) {
    cached_bytes_ -= slots_[i].payload ? slots_[i].length : 0;
  }
  slots_.resize(keep);
  first_cached_ = std::min(first_cached_, keep);
}

void GroupLog::trim_cache() {
  // The newest entries stay: they are what followers and the apply loop
  // read next.
  while (cached_bytes_ > cache_bytes_ && first_cached_ + 1 < slots_.size()) {
    Slot& slot = slots_[first_cached_++];
    if (!slot.payload) continue;
    cached_bytes_ -= slot.length;
    slot.payload.reset();
  }
}

}  // namespace kahuna::raftlog
