#include "kahuna/raft/membership_log.h"

#include <algorithm>

namespace kahuna::raft {

void MembershipLog::reset(Index base_index, ConfState base) {
  base_index_ = base_index;
  base_ = std::move(base);
  changes_.clear();
}

void MembershipLog::record(Index index, ConfState conf) { changes_.emplace_back(index, std::move(conf)); }

void MembershipLog::truncate_from(Index index) {
  while (!changes_.empty() && changes_.back().first >= index) changes_.pop_back();
}

void MembershipLog::compact_to(Index index) {
  if (index <= base_index_) return;
  base_ = at(index);
  base_index_ = index;
  changes_.erase(changes_.begin(),
                 std::find_if(changes_.begin(), changes_.end(),
                              [index](const auto& change) { return change.first > index; }));
}

ConfState MembershipLog::at(Index index) const {
  const ConfState* found = &base_;
  for (const auto& [change_index, conf] : changes_) {
    if (change_index > index) break;
    found = &conf;
  }
  return *found;
}

}  // namespace kahuna::raft
