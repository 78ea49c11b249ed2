// The cluster's metadata, held by partition 0's state machine: its members,
// the replication factor and the replica set every data partition should
// have, under one version that every change raises.
//
// Every change is a replicated command (commands/command.h), so every node
// learns the same metadata in the same order; like the other state machines,
// applying one depends only on the command and the state before it. The
// target replica sets are recomputed with plan_placement() at each change of
// the members or the factor, from the sets before it, so a change moves as
// few replicas as balance allows.
//
// The members that hold replicas are the voters and the joining ones; a
// leaving member is drained (its replicas are planned elsewhere) before it is
// removed.
//
// Beside the target it records the replica set each group has: every
// group's leader reports its membership and leadership after each change
// (MetadataReportReplicas). From those reports the metadata settles member
// states on its own, in the same apply: a joining member becomes a voter
// once every group the placement gives it counts it as a voter, and a
// leaving member is removed once no group holds a replica on it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <kahuna/status.h>

#include "services/cluster/replica_placement.h"
#include "services/commands/command.h"
#include "services/commands/replies.h"
#include "services/storage/apply_context.h"
#include "services/storage/key_layout.h"
#include "services/storage/state_reader.h"

namespace kahuna::services {

enum class MemberState : std::uint8_t {
  kJoining = 0,  // admitted; receives replicas as a learner until promoted
  kVoter = 1,
  kLeaving = 2,  // being drained before its removal
};
inline constexpr MemberState kLastMemberState = MemberState::kLeaving;
const char* to_string(MemberState state) noexcept;

// The largest replication factor: more voters only slow every commit down.
inline constexpr std::uint32_t kMaxReplicationFactor = 5;

struct MemberRecord {
  ClusterMember member{};
  MemberState state = MemberState::kJoining;
  std::uint64_t joined_version = 0;  // the metadata version that admitted it
  friend bool operator==(const MemberRecord&, const MemberRecord&) = default;
};

// A data partition's own replication factor.
struct FactorOverride {
  std::uint32_t partition = 0;
  std::uint32_t factor = 0;
  friend bool operator==(const FactorOverride&, const FactorOverride&) = default;
};

// A group's replica set and leadership as its leader last reported them.
struct ReplicaReport {
  std::uint64_t generation = 0;  // raised by every change of the replica set (0: the first members)
  std::uint64_t term = 0;        // the reporting leader's
  std::uint64_t conf_index = 0;  // where its log set the membership
  std::uint64_t leader = 0;      // 0: not reported yet
  std::vector<cluster::NodeId> voters{};
  std::vector<cluster::NodeId> learners{};
  friend bool operator==(const ReplicaReport&, const ReplicaReport&) = default;

  bool holds(cluster::NodeId node) const;
};

struct ClusterMetadata {
  std::uint64_t version = 0;  // 0: not bootstrapped yet
  std::uint32_t replication_factor = 0;
  std::uint32_t data_partitions = 0;
  std::vector<MemberRecord> members{};             // ascending id
  cluster::Placement placement{};                  // the target replica sets
  std::vector<FactorOverride> factor_overrides{};  // ascending partition
  std::vector<ReplicaReport> replicas{};           // by partition, 0 included
  friend bool operator==(const ClusterMetadata&, const ClusterMetadata&) = default;

  const MemberRecord* find(std::uint64_t id) const;
  // The ids of the members that hold replicas (voters and joining), ascending.
  std::vector<cluster::NodeId> placed_members() const;
  // The replicas partition `partition` should have, preferred leader first:
  // partition 0 (the metadata) on every placed member, led by the one
  // preferred for the fewest data partitions; the others as placed.
  cluster::ReplicaSet target_of(std::uint32_t partition) const;
  // The replica set partition `partition` has, as last reported.
  const ReplicaReport* replicas_of(std::uint32_t partition) const;
};

std::string encode_cluster_metadata(const ClusterMetadata& metadata);
Status decode_cluster_metadata(std::string_view data, ClusterMetadata& out);

class ClusterMetadataMachine {
 public:
  explicit ClusterMetadataMachine(std::uint32_t partition_id) : layout_(partition_id) {}

  // The metadata as of `reader`; version 0 when never bootstrapped.
  Status load(const StateReader& reader, ClusterMetadata& out) const;

  // Each stages its change into `ctx` and answers applied (with the new
  // version), unchanged, invalidInput or notFound. On a partition other than
  // 0 every one is invalidInput and changes nothing.
  Status bootstrap(ApplyContext& ctx, const MetadataBootstrap& command, MetadataReply& reply) const;
  Status join(ApplyContext& ctx, const MetadataJoin& command, MetadataReply& reply) const;
  Status set_member_state(ApplyContext& ctx, const MetadataSetMemberState& command,
                          MetadataReply& reply) const;
  Status remove_member(ApplyContext& ctx, const MetadataRemoveMember& command, MetadataReply& reply) const;
  Status set_replication_factor(ApplyContext& ctx, const MetadataSetReplicationFactor& command,
                                MetadataReply& reply) const;
  Status report_replicas(ApplyContext& ctx, const MetadataReportReplicas& command,
                         MetadataReply& reply) const;

 private:
  // Loads the metadata, lets `change` edit it (returning the outcome), and on
  // kApplied raises the version, re-plans the replica sets and stores it.
  template <class Change>
  Status change(ApplyContext& ctx, MetadataReply& reply, Change&& change) const;

  KeyLayout layout_;
};

}  // namespace kahuna::services
