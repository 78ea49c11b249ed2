// Progress: what a leader knows about one follower's log, and the flow control that
// decides when it may send the next append.
//
//   kProbe      The leader does not know where the follower's log matches. It sends one
//               append at a time and waits for the answer (or the next heartbeat
//               response) before sending another, so rejections walk `next` back.
//   kReplicate  The follower matched; the leader streams appends optimistically,
//               advancing `next` as it sends, with at most `max_inflight` appends
//               unacknowledged (pipelining with a window).
//   kSnapshot   The entries the follower needs were compacted; a snapshot was sent and
//               nothing else is sent until it is acknowledged, reported, or times out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

#include "kahuna/raft/types.h"

namespace kahuna::raft {

enum class ProgressState : std::uint8_t { kProbe, kReplicate, kSnapshot };

const char* to_string(ProgressState state);

// The last indices of appends sent but not yet acknowledged, oldest first.
class Inflights {
 public:
  explicit Inflights(std::size_t capacity) : capacity_(capacity) {}

  bool full() const { return items_.size() >= capacity_; }
  std::size_t count() const { return items_.size(); }
  std::size_t capacity() const { return capacity_; }
  // Precondition: !full(); last_index is larger than every index already recorded.
  void add(Index last_index) { items_.push_back(last_index); }
  // Forgets every append whose last index is <= index (acknowledged by a response).
  void free_up_to(Index index) {
    while (!items_.empty() && items_.front() <= index) items_.pop_front();
  }
  // Forgets the oldest append; used when a heartbeat response shows the follower alive
  // while the window is full, so a lost append cannot stall replication forever.
  void free_first() {
    if (!items_.empty()) items_.pop_front();
  }
  void reset() { items_.clear(); }

 private:
  std::size_t capacity_;
  std::deque<Index> items_;
};

struct Progress {
  explicit Progress(std::size_t max_inflight) : inflights(max_inflight) {}

  Index match = 0;  // highest index known to be replicated on the follower
  Index next = 1;   // index of the next entry to send
  ProgressState state = ProgressState::kProbe;
  bool probe_sent = false;            // kProbe: an append is outstanding, wait before the next
  Index pending_snapshot = 0;         // kSnapshot: index of the snapshot sent
  int snapshot_ticks = 0;             // kSnapshot: ticks since it was sent
  bool recent_active = false;         // heard from since the last check-quorum round
  std::uint64_t last_heard_tick = 0;  // the leader's tick count when it last heard from it
  bool is_learner = false;
  std::uint64_t acked_heartbeat_round = 0;  // highest heartbeat round answered this term
  Inflights inflights;

  void become_probe();
  void become_replicate();
  void become_snapshot(Index snapshot_index);

  // An append up to `index` was acknowledged. Returns true if match advanced.
  bool maybe_update(Index index);

  // An append whose previous index was `rejected` was refused; `match_hint` is the
  // highest index that may match. Returns false if the rejection is stale (answers an
  // older append) and must be ignored, true if `next` moved back.
  bool maybe_decrease_to(Index rejected, Index match_hint);

  // Records that an append carrying entries up to `last_index` (count entries) was sent.
  void on_append_sent(Index last_index, std::size_t count);

  // Whether flow control forbids sending another append now.
  bool is_paused() const;
};

}  // namespace kahuna::raft
