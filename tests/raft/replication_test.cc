// Replication: fast backtracking, flow control (probe/replicate, in-flight window),
// batching by bytes, and recovery from lost appends.
#include <gtest/gtest.h>

#include "raft_test_node.h"

namespace kahuna::raft {
namespace {

using namespace testing;

// Shuttles messages between scripted nodes until quiet; returns all messages moved.
std::vector<Message> exchange(std::map<NodeId, TestNode*> nodes, std::vector<Message> pending) {
  std::vector<Message> moved;
  for (auto& [id, n] : nodes) {
    for (Message& m : n->drain()) pending.push_back(std::move(m));
  }
  while (!pending.empty()) {
    Message m = pending.front();
    pending.erase(pending.begin());
    moved.push_back(m);
    auto it = nodes.find(m.to);
    if (it == nodes.end()) continue;
    it->second->core->step(m);
    for (Message& out : it->second->drain()) pending.push_back(std::move(out));
  }
  return moved;
}

TEST(Replication, FastBacktrackingSkipsConflictingTermsAtOnce) {
  // Figure 7 style: the follower has a long suffix from terms the leader never saw.
  std::vector<Term> leader_log{1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
  std::vector<Term> follower_log{1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3};
  TestNode leader = make_node(1, {1, 2}, leader_log, HardState{6, kNoNode, 0});
  TestNode follower = make_node(2, {1, 2}, follower_log, HardState{6, kNoNode, 0});
  leader.core->campaign();
  std::vector<Message> moved = exchange({{1, &leader}, {2, &follower}}, {});
  ASSERT_EQ(leader.core->role(), Role::kLeader);
  int rejections = 0;
  for (const Message& m : moved) {
    if (m.type == MessageType::kAppendResponse && m.reject) ++rejections;
  }
  // Probing one index at a time would take 8 rejections; the term hints need 2.
  EXPECT_LE(rejections, 2);
  EXPECT_EQ(follower.core->last_index(), leader.core->last_index());
  for (Index i = 1; i <= leader.core->last_index(); ++i) {
    EXPECT_EQ(follower.core->term_at(i), leader.core->term_at(i)) << i;
  }
}

TEST(Replication, RejectionHintPointsBelowConflictingTerm) {
  TestNode follower = make_node(2, {1, 2}, {1, 1, 2, 2, 2}, HardState{2, kNoNode, 0});
  // The leader expects term 3 at index 5.
  follower.core->step(append_request(1, 2, 3, 5, 3, {}, 0));
  std::vector<Message> out = follower.drain();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].reject);
  EXPECT_EQ(out[0].reject_hint, 5u);  // index 5 has term 2 <= 3: the leader decides
  EXPECT_EQ(out[0].log_term, 2u);
  follower.core->step(append_request(1, 2, 3, 4, 1, {}, 0));
  out = follower.drain();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].reject_hint, 2u);  // skip the whole term-2 run
  EXPECT_EQ(out[0].log_term, 1u);
}

TEST(Replication, ProbeSendsOneAppendAtATime) {
  // A fresh leader probes its follower; later proposals wait for the probe's answer.
  TestCluster d({1, 2});
  d.core(1).campaign();
  for (const Message& m : d.take_messages()) d.deliver(m);
  std::vector<Message> out = d.take_messages();
  for (const Message& m : filter(out, MessageType::kVoteResponse)) d.deliver(m);
  ASSERT_EQ(d.core(1).role(), Role::kLeader);
  std::vector<Message> first = filter(d.take_messages(), MessageType::kAppend);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(d.core(1).progress(2)->state, ProgressState::kProbe);
  for (int i = 0; i < 5; ++i) d.core(1).propose("p");
  EXPECT_TRUE(filter(d.take_messages(), MessageType::kAppend).empty());
  EXPECT_TRUE(d.core(1).progress(2)->is_paused());
}

TEST(Replication, InflightWindowLimitsPipelinedAppends) {
  TestCluster c({1, 2}, [](Config& cfg) { cfg.max_inflight_appends = 3; });
  c.elect(1);
  ASSERT_EQ(c.core(1).progress(2)->state, ProgressState::kReplicate);
  for (int i = 0; i < 10; ++i) c.core(1).propose("p" + std::to_string(i));
  std::vector<Message> appends = filter(c.take_messages(), MessageType::kAppend);
  EXPECT_EQ(appends.size(), 3u);  // pipelined, then the window is full
  EXPECT_TRUE(c.core(1).progress(2)->is_paused());
  EXPECT_EQ(c.core(1).progress(2)->inflights.count(), 3u);
  // Acknowledging the first frees one slot and the leader sends the rest as one batch.
  c.deliver(appends[0]);
  std::vector<Message> responses = filter(c.take_messages(), MessageType::kAppendResponse);
  ASSERT_EQ(responses.size(), 1u);
  c.deliver(responses[0]);
  std::vector<Message> more = filter(c.take_messages(), MessageType::kAppend);
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0].entries.size(), 7u);
}

TEST(Replication, AppendsAreBatchedByBytes) {
  TestCluster c({1, 2}, [](Config& cfg) { cfg.max_append_bytes = 3 * (24 + 10); });
  c.elect(1);
  c.stop(2);
  for (int i = 0; i < 10; ++i) c.core(1).propose(std::string(10, 'a'));
  c.stabilize();
  c.resume(2);
  c.tick(1);  // heartbeat, answer unpauses the probe
  c.stabilize();
  EXPECT_EQ(c.core(2).last_index(), c.core(1).last_index());
  for (const Ready& rd : c.node(1).readies) {
    for (const Message& m : rd.messages) {
      if (m.type == MessageType::kAppend) {
        EXPECT_LE(m.entries.size(), 3u);
      }
    }
  }
}

TEST(Replication, LostAppendsInReplicateStateDoNotStall) {
  TestCluster c({1, 2}, [](Config& cfg) { cfg.max_inflight_appends = 2; });
  c.elect(1);
  c.set_drop([](const Message& m) { return m.type == MessageType::kAppend; });
  for (int i = 0; i < 6; ++i) c.core(1).propose("lost");
  c.stabilize();
  ASSERT_TRUE(c.core(1).progress(2)->is_paused());
  c.set_drop({});
  c.tick_all(5);
  EXPECT_EQ(c.core(2).last_index(), c.core(1).last_index());
  EXPECT_EQ(c.core(1).commit_index(), c.core(1).last_index());
}

TEST(Replication, MalformedAppendIsIgnored) {
  TestNode n = make_node(2, {1, 2});
  Message m = append_request(1, 2, 1, 0, 0, entries_with_terms(2, {1}), 0);  // gap
  n.core->step(m);
  Message wrong_term = append_request(1, 2, 1, 0, 0, entries_with_terms(1, {5}), 0);
  n.core->step(wrong_term);
  Message garbage_conf = append_request(1, 2, 1, 0, 0, entries_with_terms(1, {1}), 0);
  garbage_conf.entries[0].type = EntryType::kConfChange;
  n.core->step(garbage_conf);
  EXPECT_EQ(n.core->last_index(), 0u);
  EXPECT_EQ(n.core->term(), 0u);
}

}  // namespace
}  // namespace kahuna::raft
