#include "services/cluster/cluster_metadata.h"

#include <algorithm>
#include <map>
#include <set>

#include "services/cluster/cluster_fields.h"
#include "services/codec/field_io.h"

namespace kahuna::services {

KAHUNA_FIELDS(MemberRecord, member, state, joined_version)
KAHUNA_FIELDS(FactorOverride, partition, factor)
KAHUNA_FIELDS(ReplicaReport, generation, term, conf_index, leader, voters, learners)
KAHUNA_FIELDS(ClusterMetadata, version, replication_factor, data_partitions, members, placement,
              factor_overrides, replicas)

namespace {

// 2: factor overrides and replica reports.
constexpr std::uint8_t kMetadataFormat = 2;

bool contains(const std::vector<cluster::NodeId>& ids, cluster::NodeId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Joining members every group of theirs counts as a voter become voters;
// leaving members no group holds a replica on are removed.
void settle_members(ClusterMetadata& metadata) {
  for (MemberRecord& record : metadata.members) {
    if (record.state != MemberState::kJoining) continue;
    bool voting_everywhere = true;
    for (std::uint32_t p = 0; p < metadata.replicas.size() && voting_everywhere; ++p) {
      if (contains(metadata.target_of(p), record.member.id)) {
        voting_everywhere = contains(metadata.replicas[p].voters, record.member.id);
      }
    }
    if (voting_everywhere) record.state = MemberState::kVoter;
  }
  std::erase_if(metadata.members, [&](const MemberRecord& record) {
    if (record.state != MemberState::kLeaving) return false;
    return std::none_of(metadata.replicas.begin(), metadata.replicas.end(),
                        [&](const ReplicaReport& report) { return report.holds(record.member.id); });
  });
}

std::map<std::uint32_t, std::uint32_t> overrides_of(const ClusterMetadata& metadata) {
  std::map<std::uint32_t, std::uint32_t> overrides;
  for (const FactorOverride& entry : metadata.factor_overrides) overrides[entry.partition] = entry.factor;
  return overrides;
}

MetadataReply outcome(MetadataCode code, std::uint64_t version = 0) { return MetadataReply{code, version}; }

bool valid_factor(std::uint32_t factor) { return factor >= 1 && factor <= kMaxReplicationFactor; }

}  // namespace

const char* to_string(MemberState state) noexcept {
  switch (state) {
    case MemberState::kJoining: return "joining";
    case MemberState::kVoter: return "voter";
    case MemberState::kLeaving: return "leaving";
  }
  return "unknown";
}

const MemberRecord* ClusterMetadata::find(std::uint64_t id) const {
  for (const MemberRecord& record : members) {
    if (record.member.id == id) return &record;
  }
  return nullptr;
}

std::vector<cluster::NodeId> ClusterMetadata::placed_members() const {
  std::vector<cluster::NodeId> ids;
  for (const MemberRecord& record : members) {
    if (record.state != MemberState::kLeaving) ids.push_back(record.member.id);
  }
  return ids;
}

cluster::ReplicaSet ClusterMetadata::target_of(std::uint32_t partition) const {
  if (partition == 0) {
    // Led by the member preferred for the fewest data partitions (ties: the
    // smallest id), so the metadata's leadership evens out the others'.
    cluster::ReplicaSet members = placed_members();
    if (members.empty()) return members;
    std::map<cluster::NodeId, std::size_t> preferred;
    for (const cluster::ReplicaSet& set : placement.replicas) {
      if (!set.empty()) ++preferred[set.front()];
    }
    auto least = std::min_element(members.begin(), members.end(), [&](cluster::NodeId a, cluster::NodeId b) {
      return preferred[a] < preferred[b];
    });
    std::rotate(members.begin(), least, least + 1);
    return members;
  }
  if (partition > placement.replicas.size()) return {};
  return placement.replicas[partition - 1];
}

const ReplicaReport* ClusterMetadata::replicas_of(std::uint32_t partition) const {
  return partition < replicas.size() ? &replicas[partition] : nullptr;
}

bool ReplicaReport::holds(cluster::NodeId node) const {
  return contains(voters, node) || contains(learners, node);
}

std::string encode_cluster_metadata(const ClusterMetadata& metadata) {
  return encode_record(kMetadataFormat, metadata);
}

Status decode_cluster_metadata(std::string_view data, ClusterMetadata& out) {
  if (!decode_record(data, kMetadataFormat, out)) return Status::corruption("undecodable cluster metadata");
  for (const MemberRecord& record : out.members) {
    if (record.state > kLastMemberState) return Status::corruption("cluster metadata: unknown member state");
  }
  if (out.version != 0 && (out.replicas.size() != std::size_t{out.data_partitions} + 1 ||
                           out.placement.replicas.size() != out.data_partitions)) {
    return Status::corruption("cluster metadata: replica sets do not match the partition count");
  }
  return Status::ok();
}

Status ClusterMetadataMachine::load(const StateReader& reader, ClusterMetadata& out) const {
  std::string bytes;
  const Status s = reader.get(layout_.cluster_metadata_key(), bytes);
  if (s.code() == StatusCode::kNotFound) {
    out = ClusterMetadata{};
    return Status::ok();
  }
  if (!s.is_ok()) return s;
  return decode_cluster_metadata(bytes, out);
}

template <class Change>
Status ClusterMetadataMachine::change(ApplyContext& ctx, MetadataReply& reply, Change&& change) const {
  if (layout_.partition_id() != 0) {
    reply = outcome(MetadataCode::kInvalidInput);
    return Status::ok();
  }
  ClusterMetadata metadata;
  if (Status s = load(ctx, metadata); !s.is_ok()) return s;
  const MetadataCode code = change(metadata);
  if (code != MetadataCode::kApplied) {
    reply = outcome(code, metadata.version);
    return Status::ok();
  }
  ++metadata.version;
  metadata.placement =
      cluster::plan_placement(metadata.placement, metadata.placed_members(), metadata.replication_factor,
                              metadata.data_partitions, overrides_of(metadata));
  settle_members(metadata);
  ctx.put(layout_.cluster_metadata_key(), encode_cluster_metadata(metadata));
  reply = outcome(MetadataCode::kApplied, metadata.version);
  return Status::ok();
}

Status ClusterMetadataMachine::bootstrap(ApplyContext& ctx, const MetadataBootstrap& command,
                                         MetadataReply& reply) const {
  return change(ctx, reply, [&](ClusterMetadata& metadata) {
    if (metadata.version != 0) return MetadataCode::kUnchanged;
    std::set<std::uint64_t> ids;
    for (const ClusterMember& member : command.members) {
      if (member.id == 0 || !ids.insert(member.id).second) return MetadataCode::kInvalidInput;
    }
    if (ids.empty() || command.data_partitions == 0 || !valid_factor(command.replication_factor)) {
      return MetadataCode::kInvalidInput;
    }
    metadata.replication_factor = command.replication_factor;
    metadata.data_partitions = command.data_partitions;
    ReplicaReport first;  // every group starts with every first member as a voter
    for (const ClusterMember& member : command.members) {
      metadata.members.push_back(MemberRecord{member, MemberState::kVoter, 1});
      first.voters.push_back(member.id);
    }
    std::sort(first.voters.begin(), first.voters.end());
    metadata.replicas.assign(std::size_t{command.data_partitions} + 1, first);
    std::sort(metadata.members.begin(), metadata.members.end(),
              [](const MemberRecord& a, const MemberRecord& b) { return a.member.id < b.member.id; });
    return MetadataCode::kApplied;
  });
}

Status ClusterMetadataMachine::join(ApplyContext& ctx, const MetadataJoin& command,
                                    MetadataReply& reply) const {
  return change(ctx, reply, [&](ClusterMetadata& metadata) {
    if (metadata.version == 0 || command.member.id == 0) return MetadataCode::kInvalidInput;
    auto it =
        std::lower_bound(metadata.members.begin(), metadata.members.end(), command.member.id,
                         [](const MemberRecord& record, std::uint64_t id) { return record.member.id < id; });
    if (it != metadata.members.end() && it->member.id == command.member.id) {
      // A member telling where it is now (a restart on a new address).
      if (it->member == command.member) return MetadataCode::kUnchanged;
      it->member = command.member;
      return MetadataCode::kApplied;
    }
    metadata.members.insert(it, MemberRecord{command.member, MemberState::kJoining, metadata.version + 1});
    return MetadataCode::kApplied;
  });
}

Status ClusterMetadataMachine::set_member_state(ApplyContext& ctx, const MetadataSetMemberState& command,
                                                MetadataReply& reply) const {
  return change(ctx, reply, [&](ClusterMetadata& metadata) {
    if (command.state > static_cast<std::uint8_t>(kLastMemberState)) return MetadataCode::kInvalidInput;
    for (MemberRecord& record : metadata.members) {
      if (record.member.id != command.id) continue;
      const auto state = static_cast<MemberState>(command.state);
      if (record.state == state) return MetadataCode::kUnchanged;
      // The last member holding replicas cannot leave: its data would go nowhere.
      if (state == MemberState::kLeaving && metadata.placed_members().size() == 1) {
        return MetadataCode::kInvalidInput;
      }
      record.state = state;
      return MetadataCode::kApplied;
    }
    return MetadataCode::kNotFound;
  });
}

Status ClusterMetadataMachine::remove_member(ApplyContext& ctx, const MetadataRemoveMember& command,
                                             MetadataReply& reply) const {
  return change(ctx, reply, [&](ClusterMetadata& metadata) {
    auto it = std::find_if(metadata.members.begin(), metadata.members.end(),
                           [&](const MemberRecord& record) { return record.member.id == command.id; });
    if (it == metadata.members.end()) return MetadataCode::kNotFound;
    const bool holds_replicas = it->state != MemberState::kLeaving;
    if (holds_replicas && metadata.placed_members().size() == 1) return MetadataCode::kInvalidInput;
    metadata.members.erase(it);
    return MetadataCode::kApplied;
  });
}

Status ClusterMetadataMachine::set_replication_factor(ApplyContext& ctx,
                                                      const MetadataSetReplicationFactor& command,
                                                      MetadataReply& reply) const {
  return change(ctx, reply, [&](ClusterMetadata& metadata) {
    if (metadata.version == 0 || command.partition > metadata.data_partitions)
      return MetadataCode::kInvalidInput;
    if (command.partition == 0) {
      if (!valid_factor(command.replication_factor)) return MetadataCode::kInvalidInput;
      if (metadata.replication_factor == command.replication_factor) return MetadataCode::kUnchanged;
      metadata.replication_factor = command.replication_factor;
      return MetadataCode::kApplied;
    }
    auto& overrides = metadata.factor_overrides;
    auto it = std::find_if(overrides.begin(), overrides.end(),
                           [&](const FactorOverride& entry) { return entry.partition == command.partition; });
    if (command.replication_factor == 0) {  // clears the override
      if (it == overrides.end()) return MetadataCode::kUnchanged;
      overrides.erase(it);
      return MetadataCode::kApplied;
    }
    if (!valid_factor(command.replication_factor)) return MetadataCode::kInvalidInput;
    if (it != overrides.end()) {
      if (it->factor == command.replication_factor) return MetadataCode::kUnchanged;
      it->factor = command.replication_factor;
      return MetadataCode::kApplied;
    }
    overrides.push_back(FactorOverride{command.partition, command.replication_factor});
    std::sort(overrides.begin(), overrides.end(),
              [](const FactorOverride& a, const FactorOverride& b) { return a.partition < b.partition; });
    return MetadataCode::kApplied;
  });
}

Status ClusterMetadataMachine::report_replicas(ApplyContext& ctx, const MetadataReportReplicas& command,
                                               MetadataReply& reply) const {
  return change(ctx, reply, [&](ClusterMetadata& metadata) {
    if (metadata.version == 0 || command.partition > metadata.data_partitions || command.voters.empty()) {
      return MetadataCode::kInvalidInput;
    }
    ReplicaReport& recorded = metadata.replicas[command.partition];
    const bool newer = command.term > recorded.term ||
                       (command.term == recorded.term && command.conf_index > recorded.conf_index);
    if (!newer) return MetadataCode::kUnchanged;
    ReplicaReport report{recorded.generation, command.term,   command.conf_index,
                         command.leader,      command.voters, command.learners};
    std::sort(report.voters.begin(), report.voters.end());
    std::sort(report.learners.begin(), report.learners.end());
    if (report.voters != recorded.voters || report.learners != recorded.learners) ++report.generation;
    recorded = std::move(report);
    return MetadataCode::kApplied;
  });
}

}  // namespace kahuna::services
