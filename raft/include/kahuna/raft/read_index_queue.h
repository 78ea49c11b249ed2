// ReadIndexQueue: linearizable reads waiting on the leader for a heartbeat round.
//
// A read registered at commit index C is tagged with the heartbeat round the leader
// sends right after registering it. Once a quorum of voters has answered that round (or
// a later one), the leader knows it was still the leader after the read arrived, so no
// other leader can have committed anything it does not know about; C is a safe read
// index. Rounds only grow, so confirmed reads always form a prefix of the queue.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "kahuna/raft/types.h"

namespace kahuna::raft {

struct ReadRequest {
  NodeId from = kNoNode;  // the node whose application asked (may be the leader itself)
  std::string context;
  Index index = 0;          // leader's commit index when the read arrived
  std::uint64_t round = 0;  // heartbeat round that confirms it
};

class ReadIndexQueue {
 public:
  void push(ReadRequest request) { queue_.push_back(std::move(request)); }

  // Removes and returns every read whose round is <= confirmed_round, oldest first.
  std::vector<ReadRequest> pop_confirmed(std::uint64_t confirmed_round) {
    std::vector<ReadRequest> out;
    while (!queue_.empty() && queue_.front().round <= confirmed_round) {
      out.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    return out;
  }

  void clear() { queue_.clear(); }
  std::size_t size() const { return queue_.size(); }

 private:
  std::deque<ReadRequest> queue_;
};

}  // namespace kahuna::raft
