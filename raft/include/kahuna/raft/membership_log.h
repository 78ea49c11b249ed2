// MembershipLog: which membership is in force at each point of the log.
//
// Membership changes take effect as soon as their entry is appended to a log, not when it
// commits (thesis 4.1): every node uses the configuration of the newest kConfChange entry
// in its log, committed or not. So when a follower's uncommitted suffix is overwritten,
// its configuration must fall back to the newest change still in the log; this class
// remembers every change above the snapshot to make that possible.
#pragma once

#include <utility>
#include <vector>

#include "kahuna/raft/types.h"

namespace kahuna::raft {

class MembershipLog {
 public:
  // Starts over from the membership `base` in force at `base_index` (a snapshot).
  void reset(Index base_index, ConfState base);

  // A change entry at `index` produced `conf`. Indices must increase.
  void record(Index index, ConfState conf);

  // Forgets changes at or after `index` (their entries were overwritten).
  void truncate_from(Index index);

  // Moves the base forward to `index`; changes up to it can no longer be overwritten
  // (precondition: index is committed).
  void compact_to(Index index);

  const ConfState& latest() const { return changes_.empty() ? base_ : changes_.back().second; }

  // Index of the newest change entry, or the base index if there is none.
  Index latest_index() const { return changes_.empty() ? base_index_ : changes_.back().first; }

  Index base_index() const { return base_index_; }

  // The membership in force at `index` (precondition: index >= base index).
  ConfState at(Index index) const;

 private:
  Index base_index_ = 0;
  ConfState base_;
  std::vector<std::pair<Index, ConfState>> changes_;
};

}  // namespace kahuna::raft
