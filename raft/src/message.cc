#include "kahuna/raft/message.h"

#include <sstream>

namespace kahuna::raft {

const char* to_string(Role role) {
  switch (role) {
    case Role::kFollower: return "follower";
    case Role::kPreCandidate: return "pre-candidate";
    case Role::kCandidate: return "candidate";
    case Role::kLeader: return "leader";
  }
  return "unknown";
}

const char* to_string(MessageType type) {
  switch (type) {
    case MessageType::kVote: return "Vote";
    case MessageType::kVoteResponse: return "VoteResponse";
    case MessageType::kPreVote: return "PreVote";
    case MessageType::kPreVoteResponse: return "PreVoteResponse";
    case MessageType::kAppend: return "Append";
    case MessageType::kAppendResponse: return "AppendResponse";
    case MessageType::kHeartbeat: return "Heartbeat";
    case MessageType::kHeartbeatResponse: return "HeartbeatResponse";
    case MessageType::kSnapshot: return "Snapshot";
    case MessageType::kReadIndex: return "ReadIndex";
    case MessageType::kReadIndexResponse: return "ReadIndexResponse";
    case MessageType::kTimeoutNow: return "TimeoutNow";
  }
  return "Unknown";
}

std::string describe(const Message& m) {
  std::ostringstream out;
  out << to_string(m.type) << " " << m.from << "->" << m.to << " term=" << m.term
      << " log_term=" << m.log_term << " index=" << m.index << " commit=" << m.commit;
  if (m.reject) out << " reject hint=" << m.reject_hint;
  if (!m.entries.empty()) {
    out << " entries=[" << m.entries.front().index << ".." << m.entries.back().index << "]";
  }
  if (m.snapshot) {
    out << " snapshot=(" << m.snapshot->metadata.index << "," << m.snapshot->metadata.term << ")";
  }
  if (!m.context.empty()) out << " context=" << m.context.size() << "B";
  return out.str();
}

}  // namespace kahuna::raft
