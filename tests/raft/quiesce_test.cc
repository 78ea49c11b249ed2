// Quiescence (core_quiesce.cc): an idle group stops ticking, wakes on use, and never
// waits for a follower that cannot answer.
#include <gtest/gtest.h>

#include "raft_test_support.h"

namespace kahuna::raft {
namespace {

using namespace testing;

constexpr int kQuiesceTicks = 3;

void quiescing(Config& c) {
  pre_vote_and_check_quorum(c);
  c.quiesce_ticks = kQuiesceTicks;
}

void quiescing_with_leases(Config& c) {
  lease_on(c);
  c.quiesce_ticks = kQuiesceTicks;
}

// Node 1 leads with one entry of its own replicated everywhere. The nodes refuse
// votes for an election timeout after they boot (leases), so that passes first.
void elect_1(TestCluster& c) {
  c.tick_all(10);
  c.elect(1);
  c.core(1).propose("x");
  c.stabilize();
}

void tick_until_quiesced(TestCluster& c, NodeId leader) {
  for (int i = 0; i < 5 * kQuiesceTicks && !c.core(leader).quiesced(); ++i) c.tick_all();
}

TEST(Quiesce, IdleGroupStopsTickingAndSendsNothing) {
  TestCluster c({1, 2, 3}, quiescing);
  elect_1(c);
  tick_until_quiesced(c, 1);
  ASSERT_TRUE(c.core(1).quiesced());
  EXPECT_TRUE(c.core(2).quiesced());
  EXPECT_TRUE(c.core(3).quiesced());
  const Term term = c.core(1).term();
  // Many election timeouts of silence: nobody heartbeats, nobody campaigns.
  for (int i = 0; i < 100; ++i) {
    for (NodeId id : {1, 2, 3}) c.core(id).tick();
    ASSERT_TRUE(c.take_messages().empty()) << "tick " << i;
  }
  EXPECT_TRUE(in_role_at(c.core(1), Role::kLeader, term));
  EXPECT_TRUE(follows(c.core(2), 1));
  EXPECT_TRUE(follows(c.core(3), 1));
}

TEST(Quiesce, DisabledByDefault) {
  TestCluster c({1, 2, 3}, pre_vote_and_check_quorum);
  elect_1(c);
  c.tick_all(50);
  EXPECT_FALSE(c.core(1).quiesced());
  c.core(1).tick();
  c.core(1).tick();
  EXPECT_FALSE(filter(c.take_messages(), MessageType::kHeartbeat).empty());
}

TEST(Quiesce, ProposalWakesTheGroupAndItQuiescesAgain) {
  TestCluster c({1, 2, 3}, quiescing);
  elect_1(c);
  tick_until_quiesced(c, 1);
  ASSERT_TRUE(c.core(1).quiesced());
  ASSERT_TRUE(c.core(1).propose("y").status.ok());
  EXPECT_FALSE(c.core(1).quiesced());
  c.stabilize();
  EXPECT_FALSE(c.core(2).quiesced()) << "the append woke the follower";
  EXPECT_EQ(c.core(2).commit_index(), c.core(1).last_index());
  EXPECT_EQ(c.node(2).applied_data().back(), "y");
  tick_until_quiesced(c, 1);
  EXPECT_TRUE(c.core(1).quiesced());
  EXPECT_TRUE(c.core(2).quiesced());
}

TEST(Quiesce, LeaderDoesNotQuiesceWhileAFollowerItHearsFromLags) {
  TestCluster c({1, 2, 3}, quiescing);
  elect_1(c);
  c.set_drop([](const Message& m) { return m.type == MessageType::kAppend && m.to == 3; });
  c.core(1).propose("y");
  c.stabilize();
  c.tick_all(10 * kQuiesceTicks);
  EXPECT_FALSE(c.core(1).quiesced());
  EXPECT_LT(c.core(3).last_index(), c.core(1).last_index());
  c.set_drop({});
  tick_until_quiesced(c, 1);
  EXPECT_TRUE(c.core(1).quiesced());
  EXPECT_EQ(c.core(3).last_index(), c.core(1).last_index());
}

TEST(Quiesce, FollowerWithAShorterLogKeepsTicking) {
  TestCluster c({1, 2, 3}, quiescing);
  elect_1(c);
  // Node 1 pretends to quiesce while node 3 misses its last entry: 3 must not stop.
  c.set_drop([](const Message& m) { return m.type == MessageType::kAppend && m.to == 3; });
  c.core(1).propose("y");
  c.stabilize();
  c.set_drop({});
  Message quiesce = make_message(MessageType::kHeartbeat, 1, 3, c.core(1).term());
  quiesce.commit = c.core(1).last_index();  // beyond what 3 holds
  quiesce.context = kQuiesceContext;
  c.deliver(quiesce);
  EXPECT_FALSE(c.core(3).quiesced());
}

TEST(Quiesce, FollowersOfADeadLeaderWaitForWakeThenElect) {
  TestCluster c({1, 2, 3}, quiescing);
  elect_1(c);
  tick_until_quiesced(c, 1);
  const Term term = c.core(1).term();
  c.stop(1);
  c.tick_all(100);
  // Quiesced followers cannot tell a dead leader from an idle one...
  EXPECT_TRUE(follows(c.core(2), 1));
  EXPECT_EQ(c.core(2).term(), term);
  // ...until the application, which has noticed the silence, wakes them.
  c.core(2).wake();
  c.core(3).wake();
  c.tick_all(40);
  const bool two_leads = c.core(2).role() == Role::kLeader;
  const bool three_leads = c.core(3).role() == Role::kLeader;
  EXPECT_TRUE(two_leads != three_leads);
  EXPECT_GT(c.core(2).term(), term);
}

// Ticks until nodes 2 and 3, quiesced, elect a leader once node 1 is gone and they
// are told so (by suspect_leader(), or only woken when `suspect` is false); -1 when
// this seed let another node win the first election.
int ticks_to_replace_a_dead_leader(std::uint64_t seed, bool suspect) {
  TestCluster c({1, 2, 3}, [seed](Config& config) {
    quiescing_with_leases(config);
    config.random_seed += seed * 7919;
  });
  elect_1(c);
  if (c.core(1).role() != Role::kLeader) return -1;
  tick_until_quiesced(c, 1);
  c.stop(1);
  for (NodeId id : {2, 3}) suspect ? c.core(id).suspect_leader() : c.core(id).wake();
  int ticks = 0;
  while (ticks < 100 && c.core(2).role() != Role::kLeader && c.core(3).role() != Role::kLeader) {
    c.tick_all();
    ++ticks;
  }
  return ticks;
}

TEST(Quiesce, FollowersThatSuspectTheirLeaderElectWithinATimeout) {
  // Within an election timeout (10 ticks) and a round of votes, unless both campaign
  // at the same tick and split the vote; plain wake() waits a whole timeout first.
  int seeds = 0;
  int quick = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const int suspecting = ticks_to_replace_a_dead_leader(seed, true);
    if (suspecting < 0) continue;
    ++seeds;
    if (suspecting <= 11) ++quick;
    EXPECT_GE(ticks_to_replace_a_dead_leader(seed, false), 10) << "seed " << seed;
  }
  ASSERT_GE(seeds, 20);
  EXPECT_GE(quick, seeds * 3 / 4);
}

TEST(Quiesce, AFalseSuspicionDoesNotDeposeALiveLeader) {
  TestCluster c({1, 2, 3}, quiescing_with_leases);
  elect_1(c);
  tick_until_quiesced(c, 1);
  const Term term = c.core(1).term();
  // Only node 3 lost its link to the leader; node 2, quiesced, still trusts it.
  c.cut(1, 3);
  c.core(3).suspect_leader();
  c.tick_all(40);
  EXPECT_TRUE(in_role_at(c.core(1), Role::kLeader, term));
  EXPECT_TRUE(follows(c.core(2), 1));
  EXPECT_EQ(c.core(2).term(), term);
}

TEST(Quiesce, SuspicionIsIgnoredByATickingFollower) {
  TestCluster c({1, 2, 3}, quiescing);
  elect_1(c);
  ASSERT_FALSE(c.core(2).quiesced());
  c.core(2).suspect_leader();
  c.tick_all(3);
  EXPECT_TRUE(follows(c.core(2), 1));
}

TEST(Quiesce, ASuspicionBeforeTheQuiescingHeartbeatKeepsTheFollowerTicking) {
  TestCluster c({1, 2, 3}, quiescing);
  elect_1(c);
  c.core(2).suspect_leader();  // node 1 died just after sending its last heartbeat
  Message quiesce = make_message(MessageType::kHeartbeat, 1, 2, c.core(1).term());
  quiesce.commit = c.core(1).last_index();
  quiesce.context = kQuiesceContext;
  c.node(2).core->step(quiesce);
  EXPECT_FALSE(c.core(2).quiesced());
}

TEST(Quiesce, AQuiescedFollowerVotesForItsDeposedLeader) {
  TestCluster c({1, 2, 3}, quiescing_with_leases);
  elect_1(c);
  tick_until_quiesced(c, 1);
  ASSERT_TRUE(c.core(2).quiesced());
  // Node 1 stepped down (it learnt of a higher term) and campaigns: its followers,
  // asleep with their leader's lease, must not refuse it forever.
  Message vote = make_message(MessageType::kVote, 1, 2, c.core(1).term() + 5);
  vote.index = c.core(1).last_index();
  vote.log_term = c.core(1).term();
  c.node(2).drain();
  c.node(2).core->step(vote);
  EXPECT_FALSE(c.core(2).quiesced());
  std::vector<Message> answers = filter(c.node(2).drain(), MessageType::kVoteResponse);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_FALSE(answers[0].reject);
}

TEST(Quiesce, AnotherVotersCampaignMakesAQuiescedFollowerWakeItsLeader) {
  TestCluster c({1, 2, 3}, quiescing);
  elect_1(c);
  tick_until_quiesced(c, 1);
  ASSERT_TRUE(c.core(1).quiesced());
  Message pre_vote = make_message(MessageType::kPreVote, 3, 2, c.core(1).term() + 1);
  pre_vote.index = c.core(1).last_index();
  pre_vote.log_term = c.core(1).term();
  c.deliver(pre_vote);  // refused in lease, but the leader is asked to wake
  c.stabilize();
  EXPECT_FALSE(c.core(1).quiesced());
}

TEST(Quiesce, OnlyFollowersHoldingTheWholeLogAreAskedToQuiesce) {
  TestCluster c({1, 2, 3}, quiescing);
  elect_1(c);
  c.isolate(3);
  c.core(1).propose("y");
  c.stabilize();
  std::vector<Message> beats;
  for (int i = 0; i < 40 && !c.core(1).quiesced(); ++i) {
    c.core(1).tick();
    c.core(2).tick();
    beats = filter(c.take_messages(), MessageType::kHeartbeat);
    for (const Message& b : beats) c.deliver(b);
    c.stabilize();
  }
  ASSERT_TRUE(c.core(1).quiesced());
  for (const Message& b : beats) EXPECT_EQ(b.context, b.to == 2 ? kQuiesceContext : "") << b.to;
}

TEST(Quiesce, LeaderQuiescesWithoutASilentFollowerWhichWakesItOnReturn) {
  TestCluster c({1, 2, 3}, quiescing);
  elect_1(c);
  c.isolate(3);
  c.core(1).propose("y");
  c.stabilize();
  // 3 is silent for an election timeout: the leader no longer waits for it.
  tick_until_quiesced(c, 1);
  c.tick_all(12);
  ASSERT_TRUE(c.core(1).quiesced());
  EXPECT_FALSE(c.core(3).quiesced());
  EXPECT_LT(c.core(3).last_index(), c.core(1).last_index());
  // Back, 3 times out and its pre-vote wakes the leader, which catches it up; the
  // others refuse the pre-vote, so the term stays.
  const Term term = c.core(1).term();
  c.heal();
  c.tick_all(60);
  EXPECT_TRUE(in_role_at(c.core(1), Role::kLeader, term));
  EXPECT_EQ(c.core(3).last_index(), c.core(1).last_index());
  tick_until_quiesced(c, 1);
  EXPECT_TRUE(c.core(1).quiesced());
  EXPECT_TRUE(c.core(3).quiesced());
}

TEST(Quiesce, NoQuiescenceWithoutAMajority) {
  TestCluster c({1, 2, 3}, quiescing);
  elect_1(c);
  c.isolate(1);
  // Check-quorum makes the cut-off leader step down; it never quiesces first.
  for (int i = 0; i < 30 && c.core(1).role() == Role::kLeader; ++i) {
    c.tick(1);
    EXPECT_FALSE(c.core(1).quiesced());
  }
  EXPECT_NE(c.core(1).role(), Role::kLeader);
}

TEST(Quiesce, WokenLeaderConfirmsLeadershipBeforeALeaseRead) {
  TestCluster c({1, 2, 3}, quiescing_with_leases);
  elect_1(c);
  tick_until_quiesced(c, 1);
  ASSERT_TRUE(c.core(1).quiesced());
  ASSERT_TRUE(c.core(1).read_index("r").ok());
  EXPECT_FALSE(c.core(1).quiesced());
  EXPECT_TRUE(c.node(1).read_states.empty()) << "answered from a lease taken before quiescing";
  c.stabilize();
  ASSERT_EQ(c.node(1).read_states.size(), 1u);
}

TEST(Quiesce, LateAnswersToTheQuiescingHeartbeatDoNotExtendTheLease) {
  TestCluster c({1, 2, 3}, quiescing_with_leases);
  elect_1(c);
  // Tick only the leader until it sends its quiescing heartbeat; hold the answers.
  std::vector<Message> beats;
  for (int i = 0; i < 5 * kQuiesceTicks && !c.core(1).quiesced(); ++i) {
    c.core(1).tick();
    beats = filter(c.take_messages(), MessageType::kHeartbeat);
    if (!c.core(1).quiesced()) {
      for (const Message& b : beats) c.deliver(b);
      c.stabilize();
    }
  }
  ASSERT_TRUE(c.core(1).quiesced());
  ASSERT_EQ(beats.size(), 2u);
  EXPECT_EQ(beats[0].context, kQuiesceContext);
  for (const Message& b : beats) c.deliver(b);
  std::vector<Message> answers = filter(c.take_messages(), MessageType::kHeartbeatResponse);
  ASSERT_EQ(answers.size(), 2u);
  c.core(1).wake();
  for (const Message& a : answers) c.deliver(a);
  EXPECT_FALSE(c.core(1).lease_valid());
}

TEST(Quiesce, AnswersToTheQuiescingHeartbeatDoNotWakeTheLeader) {
  TestCluster c({1, 2, 3}, quiescing);
  elect_1(c);
  tick_until_quiesced(c, 1);
  ASSERT_TRUE(c.core(1).quiesced());
  // tick_all delivered the answers already; a member's other message wakes it.
  Message append_answer = make_message(MessageType::kAppendResponse, 2, 1, c.core(1).term());
  append_answer.index = c.core(1).last_index();
  c.deliver(append_answer);
  EXPECT_FALSE(c.core(1).quiesced());
}

TEST(Quiesce, SingleVoterGroupQuiescesAndServes) {
  TestCluster c({1}, quiescing);
  c.elect(1);
  c.core(1).propose("x");
  c.stabilize();
  tick_until_quiesced(c, 1);
  ASSERT_TRUE(c.core(1).quiesced());
  ASSERT_TRUE(c.core(1).propose("y").status.ok());
  c.stabilize();
  EXPECT_EQ(c.node(1).applied_data().back(), "y");
}

TEST(Quiesce, OnlyNodesThatCanCampaignOrLeadWantTicks) {
  TestCluster c({1, 2}, pre_vote_and_check_quorum, {3});
  EXPECT_TRUE(c.core(1).wants_ticks());
  EXPECT_FALSE(c.core(3).wants_ticks()) << "a learner never campaigns";
  c.elect(1);
  EXPECT_TRUE(c.core(1).wants_ticks());
  EXPECT_TRUE(c.core(2).wants_ticks());
  // A node outside the group waits for its leader's messages, untouched by time.
  TestNode& outsider = c.add_node(4, ConfState{});
  EXPECT_FALSE(outsider.core->wants_ticks());
}

}  // namespace
}  // namespace kahuna::raft
