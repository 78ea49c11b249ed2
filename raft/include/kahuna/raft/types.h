// Basic value types shared by every part of the Raft core: identifiers, log entries,
// persistent and volatile state summaries, cluster configuration and snapshots.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kahuna::raft {

using NodeId = std::uint64_t;
using Term = std::uint64_t;
using Index = std::uint64_t;

// No node has id 0; it means "nobody" (no vote cast, no known leader).
inline constexpr NodeId kNoNode = 0;

enum class EntryType : std::uint8_t {
  kNormal = 0,      // application data, opaque to the core
  kConfChange = 1,  // membership change, data is an encoded ConfChangeEntry
};

struct Entry {
  Term term = 0;
  Index index = 0;
  EntryType type = EntryType::kNormal;
  std::string data;

  friend bool operator==(const Entry&, const Entry&) = default;
};

// Approximate encoded size of an entry; used to bound append messages and batches.
inline std::size_t entry_size(const Entry& entry) { return entry.data.size() + 24; }

// State that must be durable before any message that depends on it is sent.
struct HardState {
  Term term = 0;
  NodeId vote = kNoNode;
  Index commit = 0;

  friend bool operator==(const HardState&, const HardState&) = default;
};

enum class Role : std::uint8_t { kFollower, kPreCandidate, kCandidate, kLeader };

const char* to_string(Role role);

// Volatile state reported to the application when it changes; never persisted.
struct SoftState {
  NodeId leader = kNoNode;
  Role role = Role::kFollower;

  friend bool operator==(const SoftState&, const SoftState&) = default;
};

// The membership of a group. Both lists are sorted and disjoint. Voters elect leaders
// and form quorums; learners only receive the log.
struct ConfState {
  std::vector<NodeId> voters;
  std::vector<NodeId> learners;

  bool is_voter(NodeId id) const { return std::binary_search(voters.begin(), voters.end(), id); }
  bool is_learner(NodeId id) const { return std::binary_search(learners.begin(), learners.end(), id); }
  bool contains(NodeId id) const { return is_voter(id) || is_learner(id); }

  friend bool operator==(const ConfState&, const ConfState&) = default;
};

// Describes the state a snapshot stands for: every entry up to and including `index`
// (whose term is `term`) has been applied, and `conf_state` was the membership then.
struct SnapshotMetadata {
  Index index = 0;
  Term term = 0;
  ConfState conf_state;

  friend bool operator==(const SnapshotMetadata&, const SnapshotMetadata&) = default;
};

struct Snapshot {
  SnapshotMetadata metadata;
  std::string data;  // application state machine image, opaque to the core

  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

// Result of a linearizable read request: once the application has applied every entry
// up to `index`, it may answer the read identified by `context` from its state machine.
struct ReadState {
  std::string context;
  Index index = 0;

  friend bool operator==(const ReadState&, const ReadState&) = default;
};

}  // namespace kahuna::raft
