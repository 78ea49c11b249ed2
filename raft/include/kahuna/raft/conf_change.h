// Membership changes, one node at a time.
//
// A change is proposed on the leader with Core::propose_conf_change() and travels in the
// log as an entry of type kConfChange whose data is an encoded ConfChangeEntry: the change
// itself (for the application, e.g. to open a connection to a new peer) and the complete
// membership that results from it. Carrying the complete membership means every node
// knows its configuration from the newest such entry in its log alone, whatever it
// learned before (a node that joins with an empty log needs no bootstrap configuration).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kahuna/raft/types.h"

namespace kahuna::raft {

enum class ConfChangeType : std::uint8_t {
  kAddLearner = 1,      // node must not be a member yet
  kPromoteLearner = 2,  // node must be a learner; it becomes a voter
  kRemoveNode = 3,      // node must be a voter or a learner; at least one voter must remain
};

struct ConfChange {
  ConfChangeType type = ConfChangeType::kAddLearner;
  NodeId node = kNoNode;

  friend bool operator==(const ConfChange&, const ConfChange&) = default;
};

struct ConfChangeEntry {
  ConfChange change;
  ConfState result;

  friend bool operator==(const ConfChangeEntry&, const ConfChangeEntry&) = default;
};

// Applies `change` to `conf`. Returns nullopt (and leaves nothing changed) when the change
// is not valid for `conf` according to the rules above.
std::optional<ConfState> apply_conf_change(const ConfState& conf, const ConfChange& change);

std::string encode_conf_change_entry(const ConfChangeEntry& entry);

// Returns nullopt for malformed input; never reads out of bounds.
std::optional<ConfChangeEntry> decode_conf_change_entry(std::string_view data);

}  // namespace kahuna::raft
