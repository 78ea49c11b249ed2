// ReplicaMover: makes each Raft group this node leads hold the replicas the
// cluster's metadata wants it to (ClusterMetadata::target_of), one
// membership change at a time, and tells the metadata what each group holds.
//
// Each round (Kernel housekeeping, every 250 ms), for every group it leads:
//   - reports the group's membership and leadership to partition 0 when the
//     metadata's record of them is older (proposed here when this node
//     leads partition 0, otherwise sent to its leader on kReportChannel);
//   - takes at most one step toward the target, in this order:
//       1. remove a learner the target does not want;
//       2. add a missing replica as a learner (at most kMaxCatchingUp
//          learners at a time on the groups this node leads, so copies of
//          partitions do not swamp the node and the network);
//       3. promote a learner whose log has caught up with the leader's;
//       4. once every wanted replica votes, drop a voter the target does
//          not want: the leader itself hands
//          leadership to a wanted voter first; another voter goes only when
//          the voters left, of those this node can reach, still form a
//          quorum, so a removal never costs the group its majority;
//       5. with the replica set as wanted, hand leadership to the preferred
//          leader (the target's first node) when it is reachable.
// Adding before removing keeps every group at or above its factor while
// replicas move. A step is proposed only once the previous change has
// committed (the Raft core refuses overlapping ones anyway).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>

#include "api/partition_service.h"
#include "replication/replication_host.h"
#include "services/cluster/cluster_metadata.h"

namespace kahuna {

class ReplicaMover {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::uint32_t kReportChannel = ReplicationHost::kFirstServiceChannel + 3;
  // Learners being caught up at once on the groups this node leads.
  static constexpr std::size_t kMaxCatchingUp = 2;

  ReplicaMover(std::uint64_t self, ReplicationHost& host, std::vector<PartitionService*> partitions)
      : self_(self), host_(host), partitions_(std::move(partitions)) {}

  // One round over every group this node leads.
  asio::awaitable<void> run_round(const services::ClusterMetadata& metadata);

  // A report another group leader sent (kReportChannel); proposed when this
  // node leads partition 0, dropped otherwise (its sender reports again).
  asio::awaitable<void> on_report(std::string payload);

  // Moves made since start, for the metrics page.
  std::uint64_t changes_proposed() const noexcept { return changes_proposed_; }

 private:
  struct GroupView;

  asio::awaitable<void> report(const GroupView& group, const services::ClusterMetadata& metadata);
  asio::awaitable<void> step(const GroupView& group, const services::ClusterMetadata& metadata,
                             std::size_t& catching_up);
  asio::awaitable<bool> change(std::uint32_t group, raft::ConfChangeType type, std::uint64_t node);
  // Whether the voters `voters` without `leaving` keep a reachable majority.
  bool keeps_quorum(const std::vector<raft::NodeId>& voters, raft::NodeId leaving) const;
  void transfer(std::uint32_t group, raft::NodeId to);

  const std::uint64_t self_;
  ReplicationHost& host_;
  std::vector<PartitionService*> partitions_;  // by group, 0 included
  std::vector<Clock::time_point> last_report_;
  std::vector<Clock::time_point> last_transfer_;
  std::uint64_t changes_proposed_ = 0;
};

}  // namespace kahuna
