// The messages Raft peers exchange. A Message is a plain value; message_codec.h turns it
// into bytes for a transport and back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kahuna/raft/types.h"

namespace kahuna::raft {

// Field use per type (fields not listed are zero/empty):
//
//   kVote, kPreVote         term (for kPreVote: the term the sender would campaign at),
//                           index = last log index, log_term = last log term,
//                           context = kTransferContext when the election was started by
//                           a leadership transfer (voters then skip the lease check)
//   kVoteResponse,
//   kPreVoteResponse        term, reject
//   kAppend                 term, index = index of the entry before `entries`,
//                           log_term = its term, entries, commit = leader's commit
//   kAppendResponse         term, index = last index known to match the leader (accept)
//                           or the rejected `index` of the append (reject); on reject
//                           reject_hint = an index the follower suggests probing next and
//                           log_term = the follower's term at reject_hint (0 if unknown)
//   kHeartbeat              term, commit = min(leader commit, follower's match),
//                           index = heartbeat round (used to confirm reads and leases),
//                           context = kQuiesceContext when the leader quiesces the group
//   kHeartbeatResponse      term, index = the heartbeat round being answered (0: none; a
//                           quiesced follower wakes its leader so)
//   kSnapshot               term, snapshot
//   kReadIndex              term, context (a follower forwards a read to its leader)
//   kReadIndexResponse      term, index = read index, context
//   kTimeoutNow             term (the leader asks a caught-up voter to campaign now)
enum class MessageType : std::uint8_t {
  kVote = 1,
  kVoteResponse,
  kPreVote,
  kPreVoteResponse,
  kAppend,
  kAppendResponse,
  kHeartbeat,
  kHeartbeatResponse,
  kSnapshot,
  kReadIndex,
  kReadIndexResponse,
  kTimeoutNow,
};

inline constexpr MessageType kLastMessageType = MessageType::kTimeoutNow;

const char* to_string(MessageType type);

// Vote context marking an election started by MsgTimeoutNow.
inline constexpr const char* kTransferContext = "transfer";
// Heartbeat context of a leader that stops ticking (Config::quiesce_ticks).
inline constexpr const char* kQuiesceContext = "quiesce";

struct Message {
  MessageType type = MessageType::kHeartbeat;
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  Term term = 0;
  Term log_term = 0;
  Index index = 0;
  std::vector<Entry> entries;
  Index commit = 0;
  bool reject = false;
  Index reject_hint = 0;
  std::string context;
  std::optional<Snapshot> snapshot;

  friend bool operator==(const Message&, const Message&) = default;
};

// One-line human readable description, for logs and test failures.
std::string describe(const Message& message);

}  // namespace kahuna::raft
