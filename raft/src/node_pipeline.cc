// Node, pipelined (Config::async_storage_writes): the loop hands each Ready's
// work to two lanes, coroutines on the node's strand that each do one thing
// at a time and take everything queued meanwhile as one batch:
//   persist lane: write the queued Readies as one Ready, then send the
//     messages that promise them, then tell the core (and, between writes,
//     store a finished compaction image, so every write of the group's log
//     is made by this lane, in order);
//   apply lane:   apply the queued committed entries in one call, answer
//     their proposals and the reads they release, then tell the core.
// Each lane wakes the loop when it makes progress: a persisted entry may
// commit, an applied one may let the log be compacted.
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

#include "kahuna/raft/node.h"

namespace kahuna::raft {

namespace {

bool has_something_to_persist(const Ready& ready) {
  return ready.snapshot || ready.hard_state || !ready.entries.empty();
}

// Readies persisted in order, as one: a later Ready's entries replace the
// earlier ones from its first index on, and its hard state is the newer one.
Ready merge_for_persist(const std::deque<Ready>& readies) {
  Ready merged;
  for (const Ready& ready : readies) {
    if (!ready.entries.empty()) {
      const Index first = ready.entries.front().index;
      while (!merged.entries.empty() && merged.entries.back().index >= first) merged.entries.pop_back();
      merged.entries.insert(merged.entries.end(), ready.entries.begin(), ready.entries.end());
    }
    if (ready.hard_state) merged.hard_state = ready.hard_state;
  }
  return merged;
}

}  // namespace

asio::awaitable<bool> Node::hand_out_ready() {
  Ready ready = core_->ready();

  // A leader's appends go out at once, so the followers write while we do.
  send_appends(ready);

  if (ready.snapshot) {
    // A snapshot replaces the log and the state: every earlier Ready must be
    // written and applied first (ready.h). Rare, so handled here in full.
    co_await wait_for_lanes();
    if (storage_failed_ || stopping_) co_return !storage_failed_;
    if (!co_await storage_.persist(ready)) co_return false;
    send_after_persist(ready);
    core_->persisted(ready);
    if (!co_await install_snapshot(ready)) co_return false;
    core_->applied(applied_);
  }

  // Committed entries are already on this node's disk (the core hands out
  // only those): they need not wait for this Ready's write.
  if (!ready.committed_entries.empty()) {
    apply_queue_.push_back(std::move(ready.committed_entries));
    ready.committed_entries.clear();
    start_apply_lane();
  }
  take_read_states(ready);

  if (ready.snapshot) co_return true;
  if (has_something_to_persist(ready) || persist_lane_running_) {
    // Its messages may promise what it or an earlier Ready still writes.
    persist_queue_.push_back(std::move(ready));
    start_persist_lane();
  } else {
    send_after_persist(ready);
  }
  co_return true;
}

void Node::start_persist_lane() {
  if (persist_lane_running_ || (persist_queue_.empty() && !finished_image_)) return;
  persist_lane_running_ = true;
  asio::co_spawn(strand_, persist_lane(), asio::detached);
}

asio::awaitable<void> Node::persist_lane() {
  while (!stopping_ && !storage_failed_ && (!persist_queue_.empty() || finished_image_)) {
    if (!persist_queue_.empty()) {
      std::deque<Ready> batch;
      batch.swap(persist_queue_);
      Ready merged;
      if (batch.size() > 1) merged = merge_for_persist(batch);
      const Ready& write = batch.size() > 1 ? merged : batch.front();
      if (has_something_to_persist(write) && !co_await storage_.persist(write)) {
        storage_failed_ = true;
        break;
      }
      for (const Ready& ready : batch) {
        send_after_persist(ready);
        core_->persisted(ready);
      }
      note_lane_progress();
    }
    // After each write, not only when the queue runs dry: under a steady
    // load it may never do, and the log would grow without bound.
    if (finished_image_ && !stopping_) {
      if (!co_await store_finished_image()) {
        storage_failed_ = true;
        break;
      }
      note_lane_progress();
    }
  }
  persist_lane_running_ = false;
  note_lane_progress();
}

void Node::start_apply_lane() {
  if (apply_lane_running_ || apply_queue_.empty()) return;
  apply_lane_running_ = true;
  asio::co_spawn(strand_, apply_lane(), asio::detached);
}

asio::awaitable<void> Node::apply_lane() {
  while (!stopping_ && !storage_failed_ && !apply_queue_.empty()) {
    std::vector<Entry> entries = std::move(apply_queue_.front());
    apply_queue_.pop_front();
    for (; !apply_queue_.empty(); apply_queue_.pop_front()) {
      std::vector<Entry>& more = apply_queue_.front();
      entries.insert(entries.end(), std::make_move_iterator(more.begin()),
                     std::make_move_iterator(more.end()));
    }
    const std::vector<std::string> outputs = co_await state_machine_.apply(entries);
    applied_ = entries.back().index;
    for (const Entry& entry : entries) applied_bytes_since_compaction_ += entry.data.size();
    complete_applied(entries, outputs);
    release_reads();
    core_->applied(applied_);
    // Between two applies the state is exactly at applied_: it may be frozen
    // for a compaction image now.
    start_compaction_if_due();
    note_lane_progress();
  }
  apply_lane_running_ = false;
  note_lane_progress();
}

asio::awaitable<void> Node::wait_for_lanes() {
  while (persist_lane_running_ || apply_lane_running_) {
    wake_.expires_at(std::chrono::steady_clock::time_point::max());
    std::error_code ignored;
    co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

void Node::note_lane_progress() {
  lane_progress_ = true;
  wake_.cancel();
}

}  // namespace kahuna::raft
