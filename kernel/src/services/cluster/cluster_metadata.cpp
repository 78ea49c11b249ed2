#include "services/cluster/cluster_metadata.h"

#include <algorithm>
#include <set>

#include "services/cluster/cluster_fields.h"
#include "services/codec/field_io.h"

namespace kahuna::services {

KAHUNA_FIELDS(MemberRecord, member, state, joined_version)
KAHUNA_FIELDS(ClusterMetadata, version, replication_factor, data_partitions, members, placement)

namespace {

constexpr std::uint8_t kMetadataFormat = 1;

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

std::string encode_cluster_metadata(const ClusterMetadata& metadata) {
  return encode_record(kMetadataFormat, metadata);
}

Status decode_cluster_metadata(std::string_view data, ClusterMetadata& out) {
  if (!decode_record(data, kMetadataFormat, out)) return Status::corruption("undecodable cluster metadata");
  for (const MemberRecord& record : out.members) {
    if (record.state > kLastMemberState) return Status::corruption("cluster metadata: unknown member state");
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
  metadata.placement = cluster::plan_placement(metadata.placement, metadata.placed_members(),
                                               metadata.replication_factor, metadata.data_partitions);
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
    for (const ClusterMember& member : command.members) {
      metadata.members.push_back(MemberRecord{member, MemberState::kVoter, 1});
    }
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
    if (metadata.version == 0 || !valid_factor(command.replication_factor))
      return MetadataCode::kInvalidInput;
    if (metadata.replication_factor == command.replication_factor) return MetadataCode::kUnchanged;
    metadata.replication_factor = command.replication_factor;
    return MetadataCode::kApplied;
  });
}

}  // namespace kahuna::services
