// RaftLog: the core's view of its log, the persisted part (read through LogStorage) plus
// the unstable part: entries and at most one snapshot that were accepted but not yet
// handed out and persisted. It also tracks the commit and applied indices.
//
// The unstable part always extends the persisted log: unstable entries start at
// `unstable_offset_` and replace whatever the storage holds from that index on (the
// application truncates its log when it appends them). An unstable snapshot replaces the
// whole persisted log.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "kahuna/raft/log_storage.h"

namespace kahuna::raft {

class RaftLog {
 public:
  // Starts from what `storage` holds. `storage` must outlive the RaftLog.
  explicit RaftLog(const LogStorage& storage);
  RaftLog(const RaftLog&) = delete;
  RaftLog& operator=(const RaftLog&) = delete;

  Index first_index() const;
  Index last_index() const;
  Term last_term() const;

  // Term of entry `index`, for index in [first_index() - 1, last_index()]; nullopt for
  // compacted or missing entries.
  std::optional<Term> term(Index index) const;
  bool match_term(Index index, Term term) const;

  // Raft's up-to-date rule (paper 5.4.1): a log ending at (last_index, last_term) is at
  // least as up to date as ours if its last term is higher, or equal with an index at
  // least as large.
  bool is_up_to_date(Index last_index, Term last_term) const;

  // Entries in [lo, hi) bounded by max_bytes (at least one if lo < hi). Returns nullopt
  // if lo has been compacted. Precondition: hi <= last_index() + 1.
  std::optional<std::vector<Entry>> entries(Index lo, Index hi, std::size_t max_bytes) const;

  struct AppendResult {
    Index last_new_index = 0;       // prev_index + entries.size()
    Index first_written_index = 0;  // first index actually (re)written, 0 if none
  };
  // The follower side of AppendEntries (figure 2, receiver rules 2-5). Returns nullopt if
  // our log has no entry (prev_index, prev_term). Otherwise deletes our entries that
  // conflict with `entries`, appends the new ones and advances the commit index to
  // min(leader_commit, last new index). Aborts if a conflict would truncate a committed
  // entry: that can only be a broken invariant, never a legal message.
  std::optional<AppendResult> maybe_append(Index prev_index, Term prev_term, Index leader_commit,
                                           const std::vector<Entry>& entries);

  // Appends entries that follow our last entry (the leader appending its proposals).
  void append(const std::vector<Entry>& entries);

  // Largest index <= index whose term is <= term, with that term (0 if it was compacted).
  // Used for fast backtracking on both sides of a rejected append.
  std::pair<Index, Term> find_conflict_by_term(Index index, Term term) const;

  Index committed() const { return committed_; }
  Index applied() const { return applied_; }
  // Advances the commit index. Precondition: index <= last_index(). Never moves back.
  void commit_to(Index index);
  void applied_to(Index index);

  // Committed entries that still have to be handed out for applying:
  // (max(applied, handed out, snapshot), committed]. With `allow_unstable` false
  // (asynchronous storage writes) only those this log holds on stable storage too:
  // an entry is applied only after its own write, so the applied state never runs
  // ahead of the log that a restart replays.
  bool has_next_committed_entries(bool allow_unstable = true) const;
  std::vector<Entry> next_committed_entries(bool allow_unstable = true) const;
  // Entries up to `index` were handed out for applying (asynchronous writes).
  void applying_to(Index index) { applying_ = std::max(applying_, index); }

  const std::vector<Entry>& unstable_entries() const { return unstable_entries_; }
  const std::optional<Snapshot>& unstable_snapshot() const { return unstable_snapshot_; }

  // The last index this log holds on stable storage (0 while an unpersisted snapshot
  // replaces it): entries above it were accepted but are not durable yet.
  Index durable_last_index() const { return unstable_snapshot_ ? 0 : unstable_offset_ - 1; }

  // Asynchronous storage writes: the unstable snapshot and entries not yet handed out
  // to be persisted (earlier ones are being written), and accept_in_progress() to mark
  // all of them handed out. Replacing entries moves the mark back to the first new one.
  bool has_entries_to_persist() const { return unstable_offset_ + unstable_entries_.size() > in_progress_; }
  std::vector<Entry> entries_to_persist() const;
  bool has_snapshot_to_persist() const { return unstable_snapshot_ && !snapshot_in_progress_; }
  void accept_in_progress();

  // Marks unstable entries up to (index, term) as persisted. Ignored if the entry there
  // was replaced meanwhile (its term differs), so a stale acknowledgement is harmless.
  void stable_to(Index index, Term term);
  // Marks the unstable snapshot with this index as persisted.
  void stable_snapshot_to(Index index);

  // Replaces the log with `snapshot` (not yet persisted); commit moves to its index.
  void restore(Snapshot snapshot);

 private:
  void truncate_and_append(const std::vector<Entry>& entries);
  Index find_conflict(const std::vector<Entry>& entries) const;

  const LogStorage& storage_;
  std::optional<Snapshot> unstable_snapshot_;
  std::vector<Entry> unstable_entries_;
  Index unstable_offset_;  // index of unstable_entries_[0] (or of the next entry)
  // Asynchronous writes: the first unstable index not yet handed out to be persisted
  // (unstable_offset_ <= in_progress_ <= last_index() + 1), and whether the unstable
  // snapshot was handed out.
  Index in_progress_;
  bool snapshot_in_progress_ = false;
  Index committed_;
  Index applied_;
  Index applying_;  // committed entries handed out for applying, up to here
};

}  // namespace kahuna::raft
