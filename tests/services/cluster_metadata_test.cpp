// The cluster's metadata on partition 0: every change through encoded
// commands as the Raft driver applies them, the target replica sets each
// change plans, and the rules that keep the metadata sane.
#include <gtest/gtest.h>

#include "replica.h"
#include "services/cluster/cluster_metadata.h"

namespace kahuna::services {
namespace {

using testing::entry;
using testing::Replica;

ClusterMember member(std::uint64_t id) {
  return ClusterMember{
      id, "127.0.0.1:" + std::to_string(7000 + id), {{"http", "http://n" + std::to_string(id)}}};
}

MetadataBootstrap three_nodes(std::uint32_t factor = 3, std::uint32_t partitions = 16) {
  return MetadataBootstrap{{member(3), member(1), member(2)}, factor, partitions};
}

MetadataReply change(Replica& r, CommandBody body) {
  return std::get<MetadataReply>(r.apply(entry(1000, std::move(body))));
}

ClusterMetadata metadata_of(Replica& r) {
  ClusterMetadata metadata;
  EXPECT_TRUE(r.machine().metadata().load(r.state(), metadata).is_ok());
  return metadata;
}

std::size_t replicas_on(const ClusterMetadata& metadata, cluster::NodeId node) {
  std::size_t count = 0;
  for (const cluster::ReplicaSet& set : metadata.placement.replicas)
    count += std::count(set.begin(), set.end(), node);
  return count;
}

TEST(ClusterMetadata, NothingBeforeTheBootstrap) {
  Replica r(0);
  const ClusterMetadata metadata = metadata_of(r);
  EXPECT_EQ(metadata.version, 0u);
  EXPECT_TRUE(metadata.members.empty());
}

TEST(ClusterMetadata, TheBootstrapAppliesOnceAndPlacesEveryPartitionOnEveryMember) {
  Replica r(0);
  EXPECT_EQ(change(r, three_nodes()), (MetadataReply{MetadataCode::kApplied, 1}));
  ClusterMetadata metadata = metadata_of(r);
  ASSERT_EQ(metadata.members.size(), 3u);
  EXPECT_EQ(metadata.members[0].member, member(1));  // kept by id
  EXPECT_EQ(metadata.members[2].state, MemberState::kVoter);
  EXPECT_EQ(metadata.members[2].joined_version, 1u);
  EXPECT_EQ(metadata.replication_factor, 3u);
  ASSERT_EQ(metadata.placement.replicas.size(), 16u);
  for (const cluster::ReplicaSet& set : metadata.placement.replicas) EXPECT_EQ(set.size(), 3u);
  // A second bootstrap, from another node that raced for it, changes nothing.
  EXPECT_EQ(change(r, MetadataBootstrap{{member(9)}, 1, 4}), (MetadataReply{MetadataCode::kUnchanged, 1}));
  EXPECT_EQ(metadata_of(r), metadata);
}

TEST(ClusterMetadata, ABadBootstrapIsRefused) {
  Replica r(0);
  EXPECT_EQ(change(r, MetadataBootstrap{{}, 3, 16}).code, MetadataCode::kInvalidInput);
  EXPECT_EQ(change(r, MetadataBootstrap{{member(1), member(1)}, 1, 16}).code, MetadataCode::kInvalidInput);
  EXPECT_EQ(change(r, MetadataBootstrap{{member(0)}, 1, 16}).code, MetadataCode::kInvalidInput);
  EXPECT_EQ(change(r, three_nodes(0)).code, MetadataCode::kInvalidInput);
  EXPECT_EQ(change(r, three_nodes(6)).code, MetadataCode::kInvalidInput);
  EXPECT_EQ(change(r, three_nodes(3, 0)).code, MetadataCode::kInvalidInput);
  EXPECT_EQ(metadata_of(r).version, 0u);
}

TEST(ClusterMetadata, OnlyPartitionZeroHoldsIt) {
  Replica r(5);
  EXPECT_EQ(change(r, three_nodes()).code, MetadataCode::kInvalidInput);
  EXPECT_EQ(metadata_of(r).version, 0u);
}

TEST(ClusterMetadata, AJoiningNodeIsAdmittedAndPlannedReplicasOnlyMoveToIt) {
  Replica r(0);
  change(r, three_nodes());
  const ClusterMetadata before = metadata_of(r);
  EXPECT_EQ(change(r, MetadataJoin{member(4)}), (MetadataReply{MetadataCode::kApplied, 2}));
  const ClusterMetadata after = metadata_of(r);
  ASSERT_NE(after.find(4), nullptr);
  EXPECT_EQ(after.find(4)->state, MemberState::kJoining);
  EXPECT_EQ(after.find(4)->joined_version, 2u);
  EXPECT_EQ(replicas_on(after, 4), 12u);  // 48 replicas over 4 members
  for (const cluster::ReplicaMove& move : cluster::moves_between(before.placement, after.placement)) {
    EXPECT_EQ(move.add, 4u);
  }
  // Asking again changes nothing; new addresses are taken.
  EXPECT_EQ(change(r, MetadataJoin{member(4)}).code, MetadataCode::kUnchanged);
  ClusterMember moved = member(4);
  moved.peer_address = "127.0.0.1:9999";
  EXPECT_EQ(change(r, MetadataJoin{moved}), (MetadataReply{MetadataCode::kApplied, 3}));
  EXPECT_EQ(metadata_of(r).find(4)->member.peer_address, "127.0.0.1:9999");
}

TEST(ClusterMetadata, ALeavingMemberIsDrainedThenRemoved) {
  Replica r(0);
  change(r, MetadataBootstrap{{member(1), member(2), member(3), member(4)}, 3, 16});
  EXPECT_EQ(change(r, MetadataSetMemberState{2, static_cast<std::uint8_t>(MemberState::kLeaving)}).code,
            MetadataCode::kApplied);
  EXPECT_EQ(replicas_on(metadata_of(r), 2), 0u);
  EXPECT_EQ(change(r, MetadataRemoveMember{2}), (MetadataReply{MetadataCode::kApplied, 3}));
  EXPECT_EQ(metadata_of(r).find(2), nullptr);
  EXPECT_EQ(change(r, MetadataRemoveMember{2}).code, MetadataCode::kNotFound);
  EXPECT_EQ(change(r, MetadataSetMemberState{9, 1}).code, MetadataCode::kNotFound);
  EXPECT_EQ(change(r, MetadataSetMemberState{1, 7}).code, MetadataCode::kInvalidInput);
}

TEST(ClusterMetadata, ADeadMemberRemovedAtOnceHasItsReplicasRecreated) {
  Replica r(0);
  change(r, MetadataBootstrap{{member(1), member(2), member(3), member(4)}, 3, 16});
  change(r, MetadataRemoveMember{3});
  const ClusterMetadata metadata = metadata_of(r);
  EXPECT_EQ(replicas_on(metadata, 3), 0u);
  for (const cluster::ReplicaSet& set : metadata.placement.replicas) EXPECT_EQ(set.size(), 3u);
}

TEST(ClusterMetadata, TheLastMemberHoldingReplicasStays) {
  Replica r(0);
  change(r, MetadataBootstrap{{member(1)}, 1, 4});
  EXPECT_EQ(change(r, MetadataRemoveMember{1}).code, MetadataCode::kInvalidInput);
  EXPECT_EQ(change(r, MetadataSetMemberState{1, static_cast<std::uint8_t>(MemberState::kLeaving)}).code,
            MetadataCode::kInvalidInput);
}

TEST(ClusterMetadata, TheReplicationFactorReplansTheSets) {
  Replica r(0);
  change(r, MetadataBootstrap{{member(1), member(2), member(3), member(4), member(5)}, 3, 16});
  EXPECT_EQ(change(r, MetadataSetReplicationFactor{5}), (MetadataReply{MetadataCode::kApplied, 2}));
  for (const cluster::ReplicaSet& set : metadata_of(r).placement.replicas) EXPECT_EQ(set.size(), 5u);
  EXPECT_EQ(change(r, MetadataSetReplicationFactor{5}).code, MetadataCode::kUnchanged);
  EXPECT_EQ(change(r, MetadataSetReplicationFactor{0}).code, MetadataCode::kInvalidInput);
  EXPECT_EQ(change(r, MetadataSetReplicationFactor{6}).code, MetadataCode::kInvalidInput);
}

TEST(ClusterMetadata, APartitionMayHaveAFactorOfItsOwn) {
  Replica r(0);
  change(r, MetadataBootstrap{{member(1), member(2), member(3), member(4), member(5)}, 3, 8});
  EXPECT_EQ(change(r, MetadataSetReplicationFactor{5, 2}), (MetadataReply{MetadataCode::kApplied, 2}));
  EXPECT_EQ(change(r, MetadataSetReplicationFactor{5, 2}).code, MetadataCode::kUnchanged);
  ClusterMetadata metadata = metadata_of(r);
  for (std::uint32_t p = 1; p <= 8; ++p) EXPECT_EQ(metadata.target_of(p).size(), p == 2 ? 5u : 3u) << p;
  // 0 clears the override; partitions that do not exist and factors out of
  // range are refused.
  EXPECT_EQ(change(r, MetadataSetReplicationFactor{0, 2}).code, MetadataCode::kApplied);
  EXPECT_EQ(metadata_of(r).target_of(2).size(), 3u);
  EXPECT_EQ(change(r, MetadataSetReplicationFactor{0, 2}).code, MetadataCode::kUnchanged);
  EXPECT_EQ(change(r, MetadataSetReplicationFactor{2, 9}).code, MetadataCode::kInvalidInput);
  EXPECT_EQ(change(r, MetadataSetReplicationFactor{6, 1}).code, MetadataCode::kInvalidInput);
  EXPECT_TRUE(metadata_of(r).factor_overrides.empty());
}

TEST(ClusterMetadata, ReplicaReportsAreKeptNewestFirstAndCountChangesOfTheSet) {
  Replica r(0);
  change(r, three_nodes(3, 4));
  EXPECT_EQ(metadata_of(r).replicas_of(3)->voters, (std::vector<cluster::NodeId>{1, 2, 3}));
  // A leader reporting the first members changes the leader, not the generation.
  EXPECT_EQ(change(r, MetadataReportReplicas{3, 2, 0, 2, {3, 2, 1}, {}}).code, MetadataCode::kApplied);
  ReplicaReport report = *metadata_of(r).replicas_of(3);
  EXPECT_EQ(report.leader, 2u);
  EXPECT_EQ(report.generation, 0u);
  EXPECT_EQ(change(r, MetadataReportReplicas{3, 2, 15, 2, {1, 2, 3}, {4}}).code, MetadataCode::kApplied);
  report = *metadata_of(r).replicas_of(3);
  EXPECT_EQ(report.generation, 1u);
  EXPECT_EQ(report.learners, (std::vector<cluster::NodeId>{4}));
  // Older reports: an earlier term, or the same term and an earlier membership.
  EXPECT_EQ(change(r, MetadataReportReplicas{3, 1, 40, 1, {1, 2}, {}}).code, MetadataCode::kUnchanged);
  EXPECT_EQ(change(r, MetadataReportReplicas{3, 2, 12, 2, {1, 2}, {}}).code, MetadataCode::kUnchanged);
  // A new leader in a later term reports even an unchanged set.
  EXPECT_EQ(change(r, MetadataReportReplicas{3, 5, 15, 3, {1, 2, 3}, {4}}).code, MetadataCode::kApplied);
  EXPECT_EQ(metadata_of(r).replicas_of(3)->leader, 3u);
  EXPECT_EQ(metadata_of(r).replicas_of(3)->generation, 1u);
  EXPECT_EQ(change(r, MetadataReportReplicas{9, 5, 15, 3, {1}, {}}).code, MetadataCode::kInvalidInput);
  EXPECT_EQ(change(r, MetadataReportReplicas{2, 5, 15, 3, {}, {}}).code, MetadataCode::kInvalidInput);
}

TEST(ClusterMetadata, AJoiningMemberVotesOnceEveryGroupOfItsCountsIt) {
  Replica r(0);
  change(r, three_nodes(3, 4));
  change(r, MetadataJoin{member(4)});
  EXPECT_EQ(metadata_of(r).find(4)->state, MemberState::kJoining);
  const ClusterMetadata metadata = metadata_of(r);
  std::uint32_t last = 0;
  for (std::uint32_t p = 0; p <= 4; ++p) {
    const cluster::ReplicaSet target = metadata.target_of(p);
    if (std::find(target.begin(), target.end(), 4) != target.end()) last = p;
  }
  for (std::uint32_t p = 0; p <= 4; ++p) {
    EXPECT_EQ(metadata_of(r).find(4)->state, MemberState::kJoining) << p;
    const cluster::ReplicaSet target = metadata.target_of(p);
    change(r, MetadataReportReplicas{p, 3, 100, target.front(), target, {}});
    if (p == last) break;
  }
  EXPECT_EQ(metadata_of(r).find(4)->state, MemberState::kVoter);
}

TEST(ClusterMetadata, ALeavingMemberGoesOnceNoGroupHoldsAReplicaOnIt) {
  Replica r(0);
  change(r, MetadataBootstrap{{member(1), member(2), member(3), member(4)}, 3, 4});
  change(r, MetadataSetMemberState{2, static_cast<std::uint8_t>(MemberState::kLeaving)});
  EXPECT_NE(metadata_of(r).find(2), nullptr);  // every group still holds it
  const ClusterMetadata metadata = metadata_of(r);
  for (std::uint32_t p = 0; p <= 4; ++p) {
    EXPECT_NE(metadata_of(r).find(2), nullptr) << p;
    const cluster::ReplicaSet target = metadata.target_of(p);
    change(r, MetadataReportReplicas{p, 3, 100, target.front(), target, {}});
  }
  EXPECT_EQ(metadata_of(r).find(2), nullptr);
  EXPECT_EQ(metadata_of(r).members.size(), 3u);
}

// Replicas apply the same commands to the same metadata, and a snapshot of
// partition 0 carries it to a replica that catches up.
TEST(ClusterMetadata, ReplicasAgreeAndASnapshotCarriesIt) {
  Replica a(0);
  Replica b(0);
  const std::vector<CommandBody> changes = {three_nodes(),
                                            MetadataJoin{member(7)},
                                            MetadataSetReplicationFactor{2},
                                            MetadataSetMemberState{7, 1},
                                            MetadataRemoveMember{2},
                                            MetadataReportReplicas{1, 2, 9, 7, {1, 7}, {3}}};
  for (const CommandBody& body : changes) {
    EXPECT_EQ(change(a, body), change(b, body));
  }
  EXPECT_EQ(metadata_of(a), metadata_of(b));
  std::string image;
  ASSERT_TRUE(a.machine().encode_snapshot(a.state(), image).is_ok());
  Replica c(0);
  ApplyContext ctx(c.state());
  ASSERT_TRUE(c.machine().restore_snapshot(image, ctx).is_ok());
  c.state().apply(ctx.take_batch());
  EXPECT_EQ(metadata_of(c), metadata_of(a));
  EXPECT_EQ(metadata_of(c).version, 6u);
}

TEST(ClusterMetadata, TheRecordRoundTripsAndRefusesDamage) {
  Replica r(0);
  change(r, three_nodes());
  const ClusterMetadata metadata = metadata_of(r);
  const std::string bytes = encode_cluster_metadata(metadata);
  ClusterMetadata back;
  ASSERT_TRUE(decode_cluster_metadata(bytes, back).is_ok());
  EXPECT_EQ(back, metadata);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(decode_cluster_metadata(std::string_view(bytes).substr(0, cut), back).is_ok()) << cut;
  }
  EXPECT_FALSE(decode_cluster_metadata(bytes + "x", back).is_ok());
}

TEST(ClusterMetadata, ItsCommandsSurviveTheLogCodec) {
  const std::vector<CommandBody> bodies = {three_nodes(),
                                           MetadataJoin{member(4)},
                                           MetadataSetMemberState{4, 2},
                                           MetadataRemoveMember{4},
                                           MetadataSetReplicationFactor{2},
                                           MetadataSetReplicationFactor{1, 3},
                                           MetadataReportReplicas{3, 7, 41, 2, {1, 2, 4}, {5}}};
  for (const CommandBody& body : bodies) {
    Command decoded;
    ASSERT_TRUE(decode_command(encode_command(Command{testing::at(5), body}), decoded).is_ok());
    EXPECT_EQ(decoded.body, body);
  }
}

}  // namespace
}  // namespace kahuna::services
