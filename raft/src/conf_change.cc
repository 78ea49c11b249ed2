#include "kahuna/raft/conf_change.h"

#include <algorithm>

#include "byte_io.h"

namespace kahuna::raft {
namespace {

void insert_sorted(std::vector<NodeId>& ids, NodeId id) {
  ids.insert(std::upper_bound(ids.begin(), ids.end(), id), id);
}

void erase_id(std::vector<NodeId>& ids, NodeId id) {
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
}

bool is_sorted_unique(const std::vector<NodeId>& ids) {
  for (std::size_t i = 1; i < ids.size(); ++i) {
    if (ids[i - 1] >= ids[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<ConfState> apply_conf_change(const ConfState& conf, const ConfChange& change) {
  if (change.node == kNoNode) return std::nullopt;
  ConfState next = conf;
  switch (change.type) {
    case ConfChangeType::kAddLearner:
      if (conf.contains(change.node)) return std::nullopt;
      insert_sorted(next.learners, change.node);
      return next;
    case ConfChangeType::kPromoteLearner:
      if (!conf.is_learner(change.node)) return std::nullopt;
      erase_id(next.learners, change.node);
      insert_sorted(next.voters, change.node);
      return next;
    case ConfChangeType::kRemoveNode:
      if (conf.is_learner(change.node)) {
        erase_id(next.learners, change.node);
        return next;
      }
      if (!conf.is_voter(change.node) || conf.voters.size() == 1) return std::nullopt;
      erase_id(next.voters, change.node);
      return next;
  }
  return std::nullopt;
}

std::string encode_conf_change_entry(const ConfChangeEntry& entry) {
  detail::ByteWriter w;
  w.u8(static_cast<std::uint8_t>(entry.change.type));
  w.u64(entry.change.node);
  w.ids(entry.result.voters);
  w.ids(entry.result.learners);
  return w.take();
}

std::optional<ConfChangeEntry> decode_conf_change_entry(std::string_view data) {
  detail::ByteReader r(data);
  ConfChangeEntry entry;
  std::uint8_t type = r.u8();
  if (type < static_cast<std::uint8_t>(ConfChangeType::kAddLearner) ||
      type > static_cast<std::uint8_t>(ConfChangeType::kRemoveNode)) {
    return std::nullopt;
  }
  entry.change.type = static_cast<ConfChangeType>(type);
  entry.change.node = r.u64();
  entry.result.voters = r.ids();
  entry.result.learners = r.ids();
  if (!r.ok() || !r.at_end()) return std::nullopt;
  if (!is_sorted_unique(entry.result.voters) || !is_sorted_unique(entry.result.learners)) {
    return std::nullopt;
  }
  return entry;
}

}  // namespace kahuna::raft
