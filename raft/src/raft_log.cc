#include "kahuna/raft/raft_log.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace kahuna::raft {
namespace {

[[noreturn]] void fatal(const char* what, Index a, Index b) {
  std::fprintf(stderr, "raft log invariant broken: %s (%llu, %llu)\n", what,
               static_cast<unsigned long long>(a), static_cast<unsigned long long>(b));
  std::abort();
}

}  // namespace

RaftLog::RaftLog(const LogStorage& storage)
    : storage_(storage),
      unstable_offset_(storage.last_index() + 1),
      in_progress_(unstable_offset_),
      committed_(storage.first_index() - 1),
      applied_(storage.first_index() - 1),
      applying_(applied_) {}

Index RaftLog::first_index() const {
  if (unstable_snapshot_) return unstable_snapshot_->metadata.index + 1;
  return storage_.first_index();
}

Index RaftLog::last_index() const {
  if (!unstable_entries_.empty()) return unstable_offset_ + unstable_entries_.size() - 1;
  if (unstable_snapshot_) return unstable_snapshot_->metadata.index;
  return storage_.last_index();
}

Term RaftLog::last_term() const {
  auto t = term(last_index());
  if (!t) fatal("no term for last index", last_index(), 0);
  return *t;
}

std::optional<Term> RaftLog::term(Index index) const {
  if (unstable_snapshot_ && index == unstable_snapshot_->metadata.index) {
    return unstable_snapshot_->metadata.term;
  }
  if (!unstable_entries_.empty() && index >= unstable_offset_) {
    if (index - unstable_offset_ < unstable_entries_.size()) {
      return unstable_entries_[index - unstable_offset_].term;
    }
    return std::nullopt;
  }
  // An unstable snapshot replaces everything the storage holds.
  if (unstable_snapshot_) return std::nullopt;
  return storage_.term(index);
}

bool RaftLog::match_term(Index index, Term t) const {
  auto mine = term(index);
  return mine && *mine == t;
}

bool RaftLog::is_up_to_date(Index index, Term t) const {
  Term mine = last_term();
  return t > mine || (t == mine && index >= last_index());
}

std::optional<std::vector<Entry>> RaftLog::entries(Index lo, Index hi, std::size_t max_bytes) const {
  if (lo < first_index()) return std::nullopt;
  if (hi > last_index() + 1) fatal("entries beyond last index", hi, last_index());
  std::vector<Entry> out;
  if (lo >= hi) return out;
  std::size_t bytes = 0;
  // Persisted part: only when no unstable snapshot hides the storage.
  if (lo < unstable_offset_ && !unstable_snapshot_) {
    Index storage_hi = std::min(hi, unstable_offset_);
    out = storage_.entries(lo, storage_hi, max_bytes);
    if (out.size() < storage_hi - lo) return out;  // byte limit reached
    for (const Entry& e : out) bytes += entry_size(e);
  }
  for (Index i = std::max(lo, unstable_offset_); i < hi; ++i) {
    const Entry& e = unstable_entries_[i - unstable_offset_];
    bytes += entry_size(e);
    if (!out.empty() && bytes > max_bytes) break;
    out.push_back(e);
  }
  return out;
}

Index RaftLog::find_conflict(const std::vector<Entry>& entries) const {
  for (const Entry& e : entries) {
    if (!match_term(e.index, e.term)) return e.index;
  }
  return 0;
}

std::optional<RaftLog::AppendResult> RaftLog::maybe_append(Index prev_index, Term prev_term,
                                                           Index leader_commit,
                                                           const std::vector<Entry>& entries) {
  if (!match_term(prev_index, prev_term)) return std::nullopt;
  AppendResult result;
  result.last_new_index = prev_index + entries.size();
  Index conflict = find_conflict(entries);
  if (conflict != 0) {
    // Raft never overwrites a committed entry; the leader's log contains all of them.
    if (conflict <= committed_) fatal("conflict with committed entry", conflict, committed_);
    std::vector<Entry> suffix(entries.begin() + (conflict - prev_index - 1), entries.end());
    truncate_and_append(suffix);
    result.first_written_index = conflict;
  }
  // Only entries known to match the leader may be committed: the ones this message
  // covered, never an unverified tail beyond them (figure 2, AppendEntries rule 5).
  commit_to(std::min(leader_commit, result.last_new_index));
  return result;
}

void RaftLog::append(const std::vector<Entry>& entries) {
  if (entries.empty()) return;
  if (entries.front().index != last_index() + 1) {
    fatal("append does not follow last index", entries.front().index, last_index());
  }
  truncate_and_append(entries);
}

void RaftLog::truncate_and_append(const std::vector<Entry>& entries) {
  Index first = entries.front().index;
  // Entries from `first` on are new, whether or not older ones there were handed out.
  in_progress_ = std::min(in_progress_, first);
  if (first == unstable_offset_ + unstable_entries_.size()) {
    // directly after the unstable tail
  } else if (first <= unstable_offset_) {
    // Replaces the whole unstable tail and possibly part of the persisted log; the
    // application truncates its storage when it appends these.
    unstable_offset_ = first;
    unstable_entries_.clear();
  } else {
    unstable_entries_.resize(first - unstable_offset_);
  }
  unstable_entries_.insert(unstable_entries_.end(), entries.begin(), entries.end());
}

std::pair<Index, Term> RaftLog::find_conflict_by_term(Index index, Term t) const {
  for (Index i = index;; --i) {
    auto mine = term(i);
    if (!mine) return {i, 0};
    if (*mine <= t) return {i, *mine};
    if (i == 0) return {0, 0};
  }
}

void RaftLog::commit_to(Index index) {
  if (index <= committed_) return;
  if (index > last_index()) fatal("commit beyond last index", index, last_index());
  committed_ = index;
}

void RaftLog::applied_to(Index index) {
  if (index <= applied_) return;
  if (index > committed_) fatal("applied beyond committed", index, committed_);
  applied_ = index;
}

bool RaftLog::has_next_committed_entries(bool allow_unstable) const {
  const Index hi = allow_unstable ? committed_ : std::min(committed_, durable_last_index());
  return std::max({applied_, applying_}) + 1 <= hi && first_index() <= hi;
}

std::vector<Entry> RaftLog::next_committed_entries(bool allow_unstable) const {
  const Index lo = std::max({applied_ + 1, applying_ + 1, first_index()});
  const Index hi = allow_unstable ? committed_ : std::min(committed_, durable_last_index());
  if (lo > hi) return {};
  auto out = entries(lo, hi + 1, std::numeric_limits<std::size_t>::max());
  if (!out) fatal("committed entries compacted before being applied", lo, hi);
  return std::move(*out);
}

std::vector<Entry> RaftLog::entries_to_persist() const {
  const Index from = std::max(in_progress_, unstable_offset_);
  return {unstable_entries_.begin() + static_cast<std::ptrdiff_t>(from - unstable_offset_),
          unstable_entries_.end()};
}

void RaftLog::accept_in_progress() {
  in_progress_ = unstable_offset_ + unstable_entries_.size();
  if (unstable_snapshot_) snapshot_in_progress_ = true;
}

void RaftLog::stable_to(Index index, Term t) {
  if (unstable_entries_.empty() || index < unstable_offset_) return;
  Index pos = index - unstable_offset_;
  if (pos >= unstable_entries_.size() || unstable_entries_[pos].term != t) return;
  unstable_entries_.erase(unstable_entries_.begin(), unstable_entries_.begin() + pos + 1);
  unstable_offset_ = index + 1;
  in_progress_ = std::max(in_progress_, unstable_offset_);
}

void RaftLog::stable_snapshot_to(Index index) {
  if (unstable_snapshot_ && unstable_snapshot_->metadata.index == index) {
    unstable_snapshot_.reset();
    snapshot_in_progress_ = false;
  }
}

void RaftLog::restore(Snapshot snapshot) {
  committed_ = snapshot.metadata.index;
  unstable_offset_ = snapshot.metadata.index + 1;
  in_progress_ = unstable_offset_;
  unstable_entries_.clear();
  unstable_snapshot_ = std::move(snapshot);
  snapshot_in_progress_ = false;
}

}  // namespace kahuna::raft
