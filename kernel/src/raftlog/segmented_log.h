// SegmentedLog: the Raft log of every group of a node, in one stream of
// append-only segment files (<data_dir>/raftlog/<id>.log).
//
// Every group's durable writes (entries, hard state, snapshot records) go
// through one writer thread, which takes everything queued, writes it with
// one write and makes it durable with one fdatasync: under load the groups
// of a node share each sync (group commit), with no key/value engine in
// between. Each group keeps its own in-memory index (GroupLog).
//
// Segments are preallocated; a write that does not fit starts a new one.
// A segment is deleted once no group needs any record in it. A group that
// stays idle would keep an old segment forever, so when the log holds more
// than `rewrite_after_segments` segments, the groups pinning the oldest one
// are rewritten whole (a replacing snapshot record, their entries and hard
// state, one frame each) into the new segment, and the oldest goes.
//
// At open, the segments are replayed in order. A torn last write is cut
// off; damage anywhere else refuses to start (segment_scan.h). Every open
// starts a new segment, so the writer never appends after a cut.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <asio/async_result.hpp>

#include <kahuna/raft/types.h>
#include <kahuna/status.h>

#include "raftlog/file_system.h"
#include "raftlog/group_log.h"
#include "storage/histogram.h"
#include "storage/posted_completion.h"

namespace kahuna::raftlog {

class SegmentedLog {
 public:
  struct Options {
    std::string directory;                    // created if missing
    std::uint64_t segment_bytes = 64u << 20;  // preallocated size of a segment
    std::size_t cache_bytes_per_group = 4u << 20;
    std::size_t rewrite_after_segments = 4;
    std::size_t max_commit_bytes = 64u << 20;  // a commit stops merging queued writes past this
  };

  // Counters since open; read them at any time.
  struct Stats {
    std::atomic<std::uint64_t> writes{0};   // group writes made durable
    std::atomic<std::uint64_t> commits{0};  // write + fdatasync rounds
    std::atomic<std::uint64_t> bytes{0};
    std::atomic<std::uint64_t> rewritten_groups{0};
    std::atomic<std::uint64_t> segments_removed{0};
    AtomicHistogram<12> sync_seconds{
        {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0}};
    AtomicHistogram<11> commit_writes{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}};
  };

  // Opens the log of `groups` groups (0..groups-1); a new group starts with
  // `initial` as its membership. Records of groups beyond the count are
  // ignored with a warning. Starts the writer thread.
  static Status open(FileSystem& fs, Options options, std::uint32_t groups, const raft::ConfState& initial,
                     std::unique_ptr<SegmentedLog>& out);
  ~SegmentedLog();  // stop()
  SegmentedLog(const SegmentedLog&) = delete;
  SegmentedLog& operator=(const SegmentedLog&) = delete;

  GroupLog& group(std::uint32_t group) { return *groups_.at(group); }
  std::uint32_t group_count() const { return static_cast<std::uint32_t>(groups_.size()); }

  // Queues a group write: `payload` from encode_group_record(); `image`, the
  // snapshot image a snapshot record refers to (kept in memory for
  // followers), or null. The handler, void(Status) on its associated
  // executor, runs once the write is durable and shows in the GroupLog.
  // After a failed commit every later write fails too: the node must stop.
  template <class CompletionToken>
  auto async_write(std::uint32_t group, std::string payload, std::shared_ptr<const std::string> image,
                   CompletionToken&& token) {
    return asio::async_initiate<CompletionToken, void(Status)>(
        [this](auto handler, std::uint32_t group, std::string payload,
               std::shared_ptr<const std::string> image) {
          enqueue(Request{group, std::move(payload), std::move(image),
                          PostedCompletion::make(std::move(handler)), std::nullopt});
        },
        token, group, std::move(payload), std::move(image));
  }

  // Queues a compaction of `group` to `snapshot` (whose image is `image`,
  // already stored). The writer records it as a replacing record that also
  // restates the entries after the snapshot and the hard state: each group's
  // log is then whole from its last such record on, so every segment before
  // it can go. A snapshot not past the current one changes nothing.
  template <class CompletionToken>
  auto async_compact(std::uint32_t group, raft::SnapshotMetadata snapshot,
                     std::shared_ptr<const std::string> image, CompletionToken&& token) {
    return asio::async_initiate<CompletionToken, void(Status)>(
        [this](auto handler, std::uint32_t group, raft::SnapshotMetadata snapshot,
               std::shared_ptr<const std::string> image) {
          enqueue(Request{
              group, {}, std::move(image), PostedCompletion::make(std::move(handler)), std::move(snapshot)});
        },
        token, group, std::move(snapshot), std::move(image));
  }

  // Writes everything queued, then stops the writer. Idempotent.
  void stop();

  const Stats& stats() const noexcept { return stats_; }
  // Segment files present, oldest first (for tests and status).
  std::vector<std::uint64_t> segments() const;

 private:
  struct Request {
    std::uint32_t group;
    std::string payload;
    std::shared_ptr<const std::string> image;
    std::unique_ptr<PostedCompletion> completion;
    std::optional<raft::SnapshotMetadata> compact_to;  // a compaction: the payload is made by the writer
  };

  SegmentedLog(FileSystem& fs, Options options) : fs_(fs), options_(std::move(options)) {}
  Status replay(std::uint32_t groups);
  Status start_segment(std::uint64_t needed_bytes);
  std::string path(std::uint64_t segment) const;
  Status read_segment(std::uint64_t segment, std::uint64_t offset, std::size_t size, std::string& out);

  void enqueue(Request request);
  void run();
  void commit(std::vector<Request>& batch);
  Status write_frames(std::vector<std::string>& payloads, std::vector<Request>& batch);
  // The replacing record of a compaction; empty when there is nothing to do.
  Status compaction_payload(const Request& request, std::string& out);
  // Payloads rewriting the groups that pin the oldest segment.
  Status rewrite_payloads(std::vector<std::string>& out);
  void remove_unneeded_segments();

  FileSystem& fs_;
  const Options options_;
  Stats stats_;
  std::vector<std::unique_ptr<GroupLog>> groups_;

  // Writer-thread state (and open's, before the thread starts).
  std::unique_ptr<WritableFile> file_;
  std::uint64_t segment_ = 0;  // the current segment's id
  std::uint64_t offset_ = 0;   // where its next frame goes
  std::uint64_t capacity_ = 0;
  std::uint64_t sequence_ = 0;  // the last write sequence used
  Status failure_;              // set once a commit failed

  mutable std::mutex segments_mutex_;
  std::deque<std::uint64_t> segments_;  // present, oldest first

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Request> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kahuna::raftlog
