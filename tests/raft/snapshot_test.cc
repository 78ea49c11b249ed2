// Log compaction and InstallSnapshot.
#include <gtest/gtest.h>

#include "raft_test_node.h"

namespace kahuna::raft {
namespace {

using namespace testing;

// Compacts every node's log at its applied index; the "state machine image" is the list
// of applied values joined by commas.
void compact_all(TestCluster& c) {
  for (auto& [id, n] : c.nodes()) {
    std::string image;
    for (const std::string& v : n.applied_data()) image += v + ",";
    CompactResult r = n.core->compact(n.core->applied_index(), image);
    if (r.status.ok()) n.storage->compact(r.snapshot);
  }
}

TEST(Snapshot, CompactValidatesIndex) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.core(1).propose("a");
  c.stabilize();
  Core& core = c.core(1);
  EXPECT_EQ(core.compact(core.applied_index() + 1, "").status.code, StatusCode::kInvalidArgument);
  CompactResult ok = core.compact(core.applied_index(), "img");
  ASSERT_TRUE(ok.status.ok());
  EXPECT_EQ(ok.snapshot.metadata.index, core.applied_index());
  EXPECT_EQ(ok.snapshot.metadata.term, 1u);
  EXPECT_EQ(ok.snapshot.metadata.conf_state.voters, (std::vector<NodeId>{1, 2, 3}));
  c.node(1).storage->compact(ok.snapshot);
  EXPECT_EQ(core.compact(core.applied_index(), "again").status.code, StatusCode::kInvalidArgument);
  EXPECT_EQ(core.first_index(), core.applied_index() + 1);
}

TEST(Snapshot, LeaderSendsSnapshotWhenEntriesAreCompacted) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.stop(3);
  for (int i = 0; i < 5; ++i) c.core(1).propose("v" + std::to_string(i));
  c.stabilize();
  c.tick_all(1);
  compact_all(c);
  ASSERT_GT(c.core(1).first_index(), 2u);
  c.resume(3);
  c.tick(1);
  std::vector<Message> out = c.take_messages();
  for (const Message& m : out) c.deliver(m);
  c.stabilize();
  c.tick_all(2);
  ASSERT_TRUE(c.node(3).installed_snapshot.has_value());
  EXPECT_EQ(c.node(3).installed_snapshot->data, "v0,v1,v2,v3,v4,");
  EXPECT_EQ(c.core(3).commit_index(), c.core(1).commit_index());
  EXPECT_EQ(c.node(3).storage->first_index(), c.node(1).storage->first_index());
  // Replication continues normally after the snapshot.
  c.core(1).propose("after");
  c.stabilize();
  c.tick_all(1);
  EXPECT_EQ(c.node(3).applied_data(), std::vector<std::string>{"after"});
}

TEST(Snapshot, FollowerInstallsSnapshotThroughReady) {
  TestNode n = make_node(2, {1, 2, 3}, {1, 1}, HardState{1, kNoNode, 1});
  Message m = make_message(MessageType::kSnapshot, 1, 2, 2);
  Snapshot snap;
  snap.metadata = SnapshotMetadata{10, 2, ConfState{{1, 2, 3}, {4}}};
  snap.data = "image";
  m.snapshot = snap;
  n.core->step(m);
  Ready rd = n.core->ready();
  ASSERT_TRUE(rd.snapshot.has_value());
  EXPECT_EQ(*rd.snapshot, snap);
  ASSERT_TRUE(rd.hard_state.has_value());
  EXPECT_EQ(rd.hard_state->commit, 10u);
  EXPECT_TRUE(rd.committed_entries.empty());
  ASSERT_EQ(rd.messages.size(), 1u);
  EXPECT_EQ(rd.messages[0].type, MessageType::kAppendResponse);
  EXPECT_EQ(rd.messages[0].index, 10u);
  n.storage->apply_snapshot(*rd.snapshot);
  n.core->advance(rd);
  EXPECT_EQ(n.core->applied_index(), 10u);
  EXPECT_EQ(n.core->conf_state().learners, (std::vector<NodeId>{4}));
  // After a restart the node starts from the snapshot.
  n.storage->set_hard_state(*rd.hard_state);
  n.restart();
  EXPECT_EQ(n.core->first_index(), 11u);
  EXPECT_EQ(n.core->commit_index(), 10u);
  EXPECT_EQ(n.core->conf_state().learners, (std::vector<NodeId>{4}));
}

TEST(Snapshot, OldOrMatchingSnapshotOnlyAdvancesCommit) {
  TestNode n = make_node(2, {1, 2, 3}, {1, 1, 1}, HardState{1, kNoNode, 1});
  Message m = make_message(MessageType::kSnapshot, 1, 2, 1);
  Snapshot snap;
  snap.metadata = SnapshotMetadata{3, 1, ConfState{{1, 2, 3}, {}}};
  m.snapshot = snap;
  n.core->step(m);
  Ready rd = n.core->ready();
  EXPECT_FALSE(rd.snapshot.has_value());
  EXPECT_EQ(rd.hard_state->commit, 3u);
  EXPECT_EQ(rd.committed_entries.size(), 3u);  // nothing was applied before the restart
  n.core->advance(rd);
}

// Node 3 misses `proposals` entries that the leader then compacts away, and
// the snapshot sent in their place is lost: the leader waits for node 3 in
// the snapshot state.
void lose_the_snapshot_sent_to_3(TestCluster& c, int proposals) {
  c.elect(1);
  c.stop(3);
  for (int i = 0; i < proposals; ++i) c.core(1).propose("v");
  c.stabilize();
  c.tick_all(1);
  compact_all(c);
  c.resume(3);
  c.set_drop([](const Message& m) { return m.type == MessageType::kSnapshot; });
  c.tick_all(2);
  ASSERT_EQ(c.core(1).progress(3)->state, ProgressState::kSnapshot);
}

TEST(Snapshot, LostSnapshotIsRetried) {
  TestCluster c({1, 2, 3}, [](Config& cfg) { cfg.snapshot_retry_ticks = 5; });
  ASSERT_NO_FATAL_FAILURE(lose_the_snapshot_sent_to_3(c, 3));
  c.set_drop({});
  c.tick_all(10);
  EXPECT_EQ(c.core(3).commit_index(), c.core(1).commit_index());
  EXPECT_EQ(c.core(1).progress(3)->state, ProgressState::kReplicate);
}

TEST(Snapshot, ReportedFailureReturnsToProbe) {
  TestCluster c({1, 2, 3});
  ASSERT_NO_FATAL_FAILURE(lose_the_snapshot_sent_to_3(c, 1));
  c.core(1).report_snapshot(3, false);
  EXPECT_EQ(c.core(1).progress(3)->state, ProgressState::kProbe);
}

}  // namespace
}  // namespace kahuna::raft
