// Result values of the Core's request methods. Errors are values, never exceptions.
#pragma once

#include <cstdint>
#include <string>

#include "kahuna/raft/types.h"

namespace kahuna::raft {

enum class StatusCode : std::uint8_t {
  kOk,
  kNotLeader,           // ask leader_hint instead (kNoNode if no leader is known)
  kTransferInProgress,  // the leader is handing over leadership; retry shortly
  kBusy,                // a previous membership change is not committed yet, or the
                        // leader has not committed an entry of its term yet; retry
  kInvalidArgument,     // the request can never succeed as given
};

const char* to_string(StatusCode code);

struct Status {
  StatusCode code = StatusCode::kOk;
  NodeId leader_hint = kNoNode;
  std::string message;

  bool ok() const { return code == StatusCode::kOk; }
  static Status Ok() { return {}; }
  static Status NotLeader(NodeId hint) { return {StatusCode::kNotLeader, hint, "not leader"}; }
  static Status Error(StatusCode code, std::string message) { return {code, kNoNode, std::move(message)}; }
};

// Outcome of a proposal: on success the entries got indices [first_index, last_index]
// in `term`. They are committed once an entry with that index and term is applied; if a
// different entry shows up at that index, the proposal was lost (leadership changed).
struct ProposeResult {
  Status status;
  Index first_index = 0;
  Index last_index = 0;
  Term term = 0;
};

// Outcome of Core::compact: the snapshot to store (see MemoryLogStorage::compact).
struct CompactResult {
  Status status;
  Snapshot snapshot;
};

}  // namespace kahuna::raft
