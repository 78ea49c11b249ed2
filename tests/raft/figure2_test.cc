// The rules of figure 2 of the Raft paper, one scripted scenario each, plus the
// persistence rule of ready.h (state a message depends on is in the same Ready).
#include <gtest/gtest.h>

#include <set>

#include "raft_test_node.h"

namespace kahuna::raft {
namespace {

using namespace testing;

// --- Rules for all servers ---

TEST(Figure2, HigherTermTurnsAnyRoleIntoFollower) {
  TestNode n = make_node(1, {1, 2, 3});
  n.core->campaign();
  ASSERT_EQ(n.core->role(), Role::kCandidate);
  ASSERT_EQ(n.core->term(), 1u);
  n.drain();
  n.core->step(make_message(MessageType::kHeartbeat, 2, 1, 5));
  EXPECT_EQ(n.core->role(), Role::kFollower);
  EXPECT_EQ(n.core->term(), 5u);
  EXPECT_EQ(n.core->leader(), 2u);
  EXPECT_EQ(n.core->vote(), kNoNode);
}

TEST(Figure2, StaleTermMessagesChangeNothing) {
  TestNode n = make_node(1, {1, 2, 3}, {1, 2}, HardState{3, kNoNode, 0});
  n.core->step(append_request(2, 1, 2, 2, 2, entries_with_terms(3, {2}), 0));
  n.core->step(vote_request(3, 1, 2, 10, 2));
  std::vector<Message> out = n.drain();
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(n.core->term(), 3u);
  EXPECT_EQ(n.core->last_index(), 2u);
  EXPECT_EQ(n.core->leader(), kNoNode);
}

TEST(Figure2, CommittedEntriesAreAppliedInOrder) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(c.core(1).propose("x" + std::to_string(i)).status.ok());
  c.stabilize();
  c.tick_all(1);  // a heartbeat carries the final commit index to followers
  for (auto& [id, n] : c.nodes()) {
    ASSERT_EQ(n.applied.size(), 6u) << id;  // the leader's empty entry + 5
    for (std::size_t i = 0; i < n.applied.size(); ++i) EXPECT_EQ(n.applied[i].index, i + 1);
    EXPECT_EQ(n.applied_data(), c.node(1).applied_data());
  }
}

// --- RequestVote ---

TEST(Figure2, VoteGrantedAtMostOncePerTerm) {
  TestNode n = make_node(1, {1, 2, 3});
  n.core->step(vote_request(2, 1, 1, 0, 0));
  n.core->step(vote_request(3, 1, 1, 0, 0));
  n.core->step(vote_request(2, 1, 1, 0, 0));  // a retransmission gets the same answer
  std::vector<Message> out = filter(n.drain(), MessageType::kVoteResponse);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_FALSE(out[0].reject);
  EXPECT_TRUE(out[1].reject);
  EXPECT_FALSE(out[2].reject);
  EXPECT_EQ(n.core->vote(), 2u);
}

TEST(Figure2, VoteIsPersistedInTheReadyThatCarriesTheResponse) {
  TestNode n = make_node(1, {1, 2, 3});
  n.core->step(vote_request(2, 1, 4, 0, 0));
  Ready rd = n.core->ready();
  ASSERT_TRUE(rd.hard_state.has_value());
  EXPECT_EQ(rd.hard_state->term, 4u);
  EXPECT_EQ(rd.hard_state->vote, 2u);
  ASSERT_EQ(rd.messages.size(), 1u);
  EXPECT_FALSE(rd.messages[0].reject);
  n.core->advance(rd);
}

TEST(Figure2, VoteSurvivesRestart) {
  TestNode n = make_node(1, {1, 2, 3});
  n.core->step(vote_request(2, 1, 1, 0, 0));
  n.drain();
  n.restart();
  EXPECT_EQ(n.core->term(), 1u);
  EXPECT_EQ(n.core->vote(), 2u);
  n.core->step(vote_request(3, 1, 1, 0, 0));
  std::vector<Message> out = filter(n.drain(), MessageType::kVoteResponse);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].reject);
}

TEST(Figure2, VoteOnlyForCandidateWithUpToDateLog) {
  struct Case {
    Index last_index;
    Term last_term;
    bool granted;
  };
  // Voter's log: terms {1, 2} (last entry index 2, term 2).
  for (Case tc :
       {Case{5, 1, false}, Case{1, 2, false}, Case{2, 2, true}, Case{3, 2, true}, Case{1, 3, true}}) {
    TestNode n = make_node(1, {1, 2, 3}, {1, 2}, HardState{2, kNoNode, 0});
    n.core->step(vote_request(2, 1, 3, tc.last_index, tc.last_term));
    std::vector<Message> out = filter(n.drain(), MessageType::kVoteResponse);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(!out[0].reject, tc.granted) << tc.last_index << "/" << tc.last_term;
  }
}

TEST(Figure2, CandidateWinsWithMajorityAndAppendsEntryOfItsTerm) {
  TestNode n = make_node(1, {1, 2, 3, 4, 5});
  n.core->campaign();
  std::vector<Message> requests = filter(n.drain(), MessageType::kVote);
  ASSERT_EQ(requests.size(), 4u);
  Message grant = make_message(MessageType::kVoteResponse, 2, 1, 1);
  n.core->step(grant);
  EXPECT_EQ(n.core->role(), Role::kCandidate);
  Message reject = make_message(MessageType::kVoteResponse, 3, 1, 1);
  reject.reject = true;
  n.core->step(reject);
  EXPECT_EQ(n.core->role(), Role::kCandidate);
  grant.from = 4;
  n.core->step(grant);
  EXPECT_EQ(n.core->role(), Role::kLeader);
  EXPECT_EQ(n.core->last_index(), 1u);
  EXPECT_EQ(n.core->term_at(1), 1u);
}

TEST(Figure2, CandidateLosesWhenMajorityRejects) {
  TestNode n = make_node(1, {1, 2, 3});
  n.core->campaign();
  n.drain();
  Message reject = make_message(MessageType::kVoteResponse, 2, 1, 1);
  reject.reject = true;
  n.core->step(reject);
  reject.from = 3;
  n.core->step(reject);
  EXPECT_EQ(n.core->role(), Role::kFollower);
  EXPECT_EQ(n.core->term(), 1u);
}

TEST(Figure2, CandidateBecomesFollowerOnAppendFromLeaderOfSameTerm) {
  TestNode n = make_node(1, {1, 2, 3});
  n.core->campaign();
  n.drain();
  n.core->step(append_request(2, 1, 1, 0, 0, {}, 0));
  EXPECT_EQ(n.core->role(), Role::kFollower);
  EXPECT_EQ(n.core->leader(), 2u);
  EXPECT_EQ(n.core->vote(), 1u);  // keeps its own vote for this term
}

TEST(Figure2, ElectionTimeoutIsRandomizedWithinOneToTwoTimeouts) {
  std::set<int> seen;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    TestNode n = make_node(1, {1, 2, 3}, {}, {}, [seed](Config& c) { c.random_seed = seed; });
    int ticks = 0;
    while (n.core->role() == Role::kFollower && ticks < 100) {
      n.core->tick();
      ++ticks;
    }
    EXPECT_GE(ticks, 10);
    EXPECT_LT(ticks, 20);
    seen.insert(ticks);
  }
  EXPECT_GT(seen.size(), 3u);
}

TEST(Figure2, CandidateStartsNewElectionAfterTimeout) {
  TestNode n = make_node(1, {1, 2, 3});
  n.core->campaign();
  n.drain();
  ASSERT_EQ(n.core->term(), 1u);
  for (int i = 0; i < 20 && n.core->term() == 1; ++i) n.core->tick();
  EXPECT_EQ(n.core->role(), Role::kCandidate);
  EXPECT_EQ(n.core->term(), 2u);
  EXPECT_EQ(filter(n.drain(), MessageType::kVote).size(), 2u);
}

TEST(Figure2, LeaderSendsHeartbeatsEveryHeartbeatInterval) {
  TestNode n = make_node(1, {1, 2, 3}, {}, {}, [](Config& c) { c.heartbeat_ticks = 3; });
  n.core->campaign();
  n.drain();
  n.core->step(make_message(MessageType::kVoteResponse, 2, 1, 1));
  ASSERT_EQ(n.core->role(), Role::kLeader);
  n.drain();
  n.core->tick();
  n.core->tick();
  EXPECT_TRUE(filter(n.drain(), MessageType::kHeartbeat).empty());
  n.core->tick();
  EXPECT_EQ(filter(n.drain(), MessageType::kHeartbeat).size(), 2u);
}

// --- AppendEntries ---

TEST(Figure2, AppendRejectedWithoutMatchingPreviousEntry) {
  TestNode n = make_node(1, {1, 2, 3}, {1});
  n.core->step(append_request(2, 1, 2, 2, 1, entries_with_terms(3, {2}), 0));
  std::vector<Message> out = filter(n.drain(), MessageType::kAppendResponse);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].reject);
  EXPECT_EQ(out[0].index, 2u);
  EXPECT_EQ(out[0].reject_hint, 1u);  // our log ends at 1
  EXPECT_EQ(n.core->last_index(), 1u);
}

TEST(Figure2, AppendDeletesConflictingEntriesAndAppendsNewOnes) {
  TestNode n = make_node(1, {1, 2, 3}, {1, 1, 1, 1}, HardState{1, kNoNode, 0});
  n.core->step(append_request(2, 1, 2, 2, 1, entries_with_terms(3, {2}), 0));
  std::vector<Message> out = filter(n.drain(), MessageType::kAppendResponse);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].reject);
  EXPECT_EQ(out[0].index, 3u);
  EXPECT_EQ(n.core->last_index(), 3u);
  EXPECT_EQ(n.core->term_at(3), 2u);
  EXPECT_EQ(n.storage->last_index(), 3u);  // the application truncated its log too
  EXPECT_EQ(n.storage->term(3), 2u);
}

TEST(Figure2, AppendAcknowledgementLeavesWithTheEntriesToPersist) {
  TestNode n = make_node(1, {1, 2, 3});
  n.core->step(append_request(2, 1, 1, 0, 0, entries_with_terms(1, {1, 1}), 0));
  Ready rd = n.core->ready();
  EXPECT_EQ(rd.entries.size(), 2u);
  ASSERT_EQ(rd.messages.size(), 1u);
  EXPECT_EQ(rd.messages[0].index, 2u);
  n.core->advance(rd);
}

TEST(Figure2, FollowerCommitIsMinOfLeaderCommitAndLastNewEntry) {
  TestNode n = make_node(1, {1, 2, 3});
  n.core->step(append_request(2, 1, 1, 0, 0, entries_with_terms(1, {1, 1}), 5));
  n.drain();
  EXPECT_EQ(n.core->commit_index(), 2u);
  n.core->step(append_request(2, 1, 1, 2, 1, entries_with_terms(3, {1, 1}), 3));
  n.drain();
  EXPECT_EQ(n.core->commit_index(), 3u);
  EXPECT_EQ(n.applied.size(), 3u);
}

// --- Rules for leaders ---

TEST(Figure2, LeaderCommitsOnlyEntriesOfItsTermByCounting) {
  // Figure 8: entry 2 (term 2) replicated on a majority must not be committed by a
  // term-3 leader until an entry of term 3 is replicated on a majority too.
  TestNode n = make_node(1, {1, 2, 3}, {1, 2}, HardState{2, kNoNode, 1});
  n.core->campaign();
  n.drain();
  n.core->step(make_message(MessageType::kVoteResponse, 2, 1, 3));
  ASSERT_EQ(n.core->role(), Role::kLeader);
  ASSERT_EQ(n.core->last_index(), 3u);
  n.drain();
  n.core->step(append_response(2, 1, 3, 2));
  EXPECT_EQ(n.core->commit_index(), 1u);
  n.core->step(append_response(2, 1, 3, 3));
  EXPECT_EQ(n.core->commit_index(), 3u);
}

TEST(Figure2, LeaderRetriesWithLowerNextIndexAfterRejection) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.stop(3);
  for (int i = 0; i < 3; ++i) c.core(1).propose("a");
  c.stabilize();
  // Node 3 missed everything after the first entry; it catches up once it is back.
  c.resume(3);
  c.tick_all(3);
  EXPECT_EQ(c.core(3).last_index(), c.core(1).last_index());
  EXPECT_EQ(c.core(3).commit_index(), c.core(1).commit_index());
}

}  // namespace
}  // namespace kahuna::raft
