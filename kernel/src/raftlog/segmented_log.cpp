#include "raftlog/segmented_log.h"

#include <algorithm>
#include <chrono>

#include <pthread.h>

#include <spdlog/spdlog.h>

#include "raftlog/segment_scan.h"

namespace kahuna::raftlog {

Status SegmentedLog::open(FileSystem& fs, Options options, std::uint32_t groups,
                          const raft::ConfState& initial, std::unique_ptr<SegmentedLog>& out) {
  std::unique_ptr<SegmentedLog> log(new SegmentedLog(fs, std::move(options)));
  if (Status s = fs.create_directory(log->options_.directory); !s) return s;
  for (std::uint32_t group = 0; group < groups; ++group) {
    SegmentedLog* self = log.get();
    log->groups_.push_back(std::make_unique<GroupLog>(
        group, initial,
        [self](std::uint64_t segment, std::uint64_t offset, std::size_t size, std::string& data) {
          return self->read_segment(segment, offset, size, data);
        },
        log->options_.cache_bytes_per_group));
  }
  if (Status s = log->replay(groups); !s) return s;
  if (Status s = log->start_segment(0); !s) return s;
  log->thread_ = std::thread([self = log.get()] {
    pthread_setname_np(pthread_self(), "kahuna-raftlog");
    self->run();
  });
  out = std::move(log);
  return Status::ok();
}

SegmentedLog::~SegmentedLog() { stop(); }

std::string SegmentedLog::path(std::uint64_t segment) const {
  return options_.directory + "/" + segment_file_name(segment);
}

Status SegmentedLog::read_segment(std::uint64_t segment, std::uint64_t offset, std::size_t size,
                                  std::string& out) {
  return fs_.read_at(path(segment), offset, size, out);
}

std::vector<std::uint64_t> SegmentedLog::segments() const {
  std::lock_guard lock(segments_mutex_);
  return {segments_.begin(), segments_.end()};
}

Status SegmentedLog::replay(std::uint32_t groups) {
  std::vector<std::string> names;
  if (Status s = fs_.list(options_.directory, names); !s) return s;
  std::vector<std::uint64_t> ids;
  for (const std::string& name : names) {
    if (auto id = parse_segment_file_name(name)) ids.push_back(*id);
  }
  std::sort(ids.begin(), ids.end());

  // Two passes. The first finds each group's last replacing record: it
  // restates the group whole, so what came before it is not replayed (and
  // may rest on segments already deleted). The second applies the rest.
  using Position = std::pair<std::size_t, std::size_t>;  // segment ordinal, frame ordinal
  std::vector<Position> start(groups, Position{0, 0});
  bool warned = false;
  for (int pass = 0; pass < 2; ++pass) {
    std::uint64_t sequence = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::uint64_t id = ids[i];
      const bool last = i + 1 == ids.size();
      const std::string name = path(id);
      std::string bytes;
      if (Status s = fs_.read_file(name, bytes); !s) return s;
      SegmentScan scan;
      if (Status s = scan_segment(bytes, id, last, sequence, name, scan); !s) return s;
      sequence = scan.last_sequence;
      for (std::size_t j = 0; j < scan.frames.size(); ++j) {
        const ScannedFrame& frame = scan.frames[j];
        GroupRecord record;
        if (!decode_group_record(frame.payload, record)) {
          return Status::corruption("raft log segment " + name + ": undecodable record at offset " +
                                    std::to_string(frame.offset));
        }
        if (record.group >= groups) {
          if (!warned) {
            spdlog::warn(
                "raft log: ignoring records of groups {} and above: the node is configured with {} groups",
                groups, groups);
            warned = true;
          }
          continue;
        }
        if (pass == 0) {
          if (record.snapshot_kind == SnapshotKind::kReplace) start[record.group] = Position{i, j};
          continue;
        }
        if (Position{i, j} < start[record.group]) continue;
        auto payload = std::make_shared<const std::string>(frame.payload);
        groups_[record.group]->apply(record, id, frame.offset + kFrameHeaderBytes, std::move(payload),
                                     nullptr,
                                     /*replaying=*/true);
      }
      if (pass == 0) continue;
      segment_ = id;  // the next segment's id follows the highest seen
      if (last && scan.frames.empty()) {
        // Created, nothing written in it.
        if (Status s = fs_.remove(name); !s) return s;
        continue;
      }
      if (last && scan.end < bytes.size()) {
        if (scan.torn) {
          spdlog::warn(
              "raft log: cut a torn write at offset {} of {} (a crash during a write that was never "
              "acknowledged)",
              scan.end, name);
        }
        // Cut the torn write and the unused preallocated space: the next open
        // finds this segment complete.
        if (Status s = fs_.truncate(name, scan.end); !s) return s;
      }
      segments_.push_back(id);
    }
    sequence_ = sequence;
  }
  for (const auto& group : groups_) {
    if (const raft::Index missing = group->missing_entry(); missing != 0) {
      return Status::corruption("raft log: entry " + std::to_string(missing) + " of group " +
                                std::to_string(group->group()) +
                                " is missing (a segment holding it is gone)");
    }
  }
  return Status::ok();
}

Status SegmentedLog::start_segment(std::uint64_t needed_bytes) {
  const std::uint64_t id = segment_ + 1;
  const std::uint64_t size =
      std::max<std::uint64_t>(options_.segment_bytes, kSegmentHeaderBytes + needed_bytes);
  std::unique_ptr<WritableFile> file;
  if (Status s = fs_.create(path(id), size, file); !s) return s;
  // Synced now: a segment may stay empty (a write too large for it goes to
  // the next), and an empty one must still read as a segment.
  if (Status s = file->write_at(0, segment_header(id)); !s) return s;
  if (Status s = file->sync(); !s) return s;
  // The file's name must be durable before anything written in it is
  // acknowledged.
  if (Status s = fs_.sync_directory(options_.directory); !s) return s;
  file_ = std::move(file);
  segment_ = id;
  offset_ = kSegmentHeaderBytes;
  capacity_ = size;
  std::lock_guard lock(segments_mutex_);
  segments_.push_back(id);
  return Status::ok();
}

void SegmentedLog::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void SegmentedLog::enqueue(Request request) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(request));
      wake_.notify_one();
      return;
    }
  }
  request.completion->complete(Status::must_retry("the raft log is shutting down"));
}

void SegmentedLog::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued is written
    std::vector<Request> batch;
    std::size_t bytes = 0;
    // A compaction restates its group as the log holds it, so it must see
    // every write queued before it applied: it only ever opens a commit.
    while (!queue_.empty() &&
           (batch.empty() || (bytes + queue_.front().payload.size() <= options_.max_commit_bytes &&
                              !queue_.front().compact_to))) {
      bytes += queue_.front().payload.size();
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    commit(batch);
    lock.lock();
  }
}

void SegmentedLog::commit(std::vector<Request>& batch) {
  std::vector<std::string> payloads;
  Status status = failure_;
  if (status) status = write_frames(payloads, batch);
  if (!status && failure_) {
    failure_ = status;
    spdlog::critical("raft log: a write failed, no further writes are accepted: {}", status.to_string());
  }
  for (Request& request : batch) request.completion->complete(status);
}

Status SegmentedLog::write_frames(std::vector<std::string>& rewrites, std::vector<Request>& batch) {
  for (Request& request : batch) {
    if (request.compact_to) {
      if (Status s = compaction_payload(request, request.payload); !s) return s;
    }
  }
  const std::uint64_t sequence = ++sequence_;
  std::uint64_t bytes = 0;
  for (Request& request : batch) {
    if (request.payload.empty()) continue;  // a compaction with nothing to do
    stamp_write_sequence(request.payload, sequence);
    bytes += frame_bytes(request.payload.size());
  }
  const bool roll = offset_ + bytes > capacity_;
  bool gc = roll;
  if (roll) {
    std::size_t present = 0;
    {
      std::lock_guard lock(segments_mutex_);
      present = segments_.size();
    }
    if (present + 1 > options_.rewrite_after_segments) {
      if (Status s = rewrite_payloads(rewrites); !s) return s;
    }
    for (std::string& payload : rewrites) {
      stamp_write_sequence(payload, sequence);
      bytes += frame_bytes(payload.size());
    }
    if (Status s = start_segment(bytes); !s) return s;
  }

  // Frames: the rewrites first (they restate what was durable before this
  // commit), then the batch in queue order.
  std::vector<std::pair<std::shared_ptr<const std::string>, const Request*>> frames;
  frames.reserve(rewrites.size() + batch.size());
  for (std::string& payload : rewrites)
    frames.emplace_back(std::make_shared<const std::string>(std::move(payload)), nullptr);
  for (Request& request : batch) {
    if (request.payload.empty()) continue;
    frames.emplace_back(std::make_shared<const std::string>(std::move(request.payload)), &request);
  }
  std::string buffer;
  buffer.reserve(bytes);
  std::vector<std::uint64_t> offsets;
  offsets.reserve(frames.size());
  for (const auto& [payload, request] : frames) {
    offsets.push_back(offset_ + buffer.size());
    append_frame(buffer, *payload);
  }

  if (Status s = file_->write_at(offset_, buffer); !s) return s;
  const auto start = std::chrono::steady_clock::now();
  if (Status s = file_->sync(); !s) return s;
  stats_.sync_seconds.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  offset_ += buffer.size();
  stats_.commits.fetch_add(1, std::memory_order_relaxed);
  stats_.bytes.fetch_add(buffer.size(), std::memory_order_relaxed);
  stats_.writes.fetch_add(batch.size(), std::memory_order_relaxed);
  stats_.commit_writes.observe(static_cast<double>(batch.size()));

  // Durable: show it in the groups' logs, in file order.
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const auto& [payload, request] = frames[i];
    GroupRecord record;
    if (!decode_group_record(*payload, record) || record.group >= groups_.size()) {
      return Status::corruption("raft log: a group write does not decode");
    }
    if (record.snapshot_kind != SnapshotKind::kNone) gc = true;
    auto image = request ? request->image : nullptr;
    if (!groups_[record.group]->apply(record, segment_, offsets[i] + kFrameHeaderBytes, payload,
                                      std::move(image))) {
      return Status::corruption("raft log: a write of group " + std::to_string(record.group) +
                                " would leave a hole in its log");
    }
  }
  if (gc) remove_unneeded_segments();
  return Status::ok();
}

Status SegmentedLog::compaction_payload(const Request& request, std::string& out) {
  out.clear();
  const raft::SnapshotMetadata& target = *request.compact_to;
  raft::SnapshotMetadata current;
  raft::HardState hard_state;
  std::vector<raft::Entry> entries;
  if (Status s = groups_.at(request.group)->copy_state(current, hard_state, entries); !s) return s;
  if (target.index <= current.index) return Status::ok();
  std::erase_if(entries, [&](const raft::Entry& entry) { return entry.index <= target.index; });
  out = encode_group_record(request.group, SnapshotKind::kReplace, target, hard_state, entries);
  return Status::ok();
}

Status SegmentedLog::rewrite_payloads(std::vector<std::string>& out) {
  std::uint64_t oldest = 0;
  {
    std::lock_guard lock(segments_mutex_);
    if (segments_.empty()) return Status::ok();
    oldest = segments_.front();
  }
  for (const auto& group : groups_) {
    if (group->oldest_segment() > oldest) continue;
    raft::SnapshotMetadata snapshot;
    raft::HardState hard_state;
    std::vector<raft::Entry> entries;
    if (Status s = group->copy_state(snapshot, hard_state, entries); !s) return s;
    out.push_back(encode_group_record(group->group(), SnapshotKind::kReplace, snapshot, hard_state, entries));
    stats_.rewritten_groups.fetch_add(1, std::memory_order_relaxed);
  }
  return Status::ok();
}

void SegmentedLog::remove_unneeded_segments() {
  std::uint64_t needed = GroupLog::kNoSegment;
  for (const auto& group : groups_) needed = std::min(needed, group->oldest_segment());
  for (;;) {
    std::uint64_t victim = 0;
    {
      std::lock_guard lock(segments_mutex_);
      if (segments_.size() <= 1 || segments_.front() >= needed || segments_.front() == segment_) return;
      victim = segments_.front();
      segments_.pop_front();
    }
    // No sync of the directory: a removal the disk forgets brings back a
    // segment whose records later ones supersede.
    if (Status s = fs_.remove(path(victim)); !s) {
      spdlog::warn("raft log: cannot remove segment {}: {}", path(victim), s.to_string());
    }
    stats_.segments_removed.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace kahuna::raftlog
