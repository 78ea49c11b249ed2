// raft::Node driving three in-process replicas over a message bus that can
// cut a node off: real coroutines and threads, in-memory storage.
#include "kahuna/raft/node.h"

#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/use_future.hpp>

#include "kahuna/raft/memory_log_storage.h"

namespace kahuna::raft {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Each test runs twice: with the node handling one Ready at a time, and
// pipelined (Config::async_storage_writes). Storage and state machine take a
// little time per call, as real ones do, so that the pipelined node's
// proposals, writes and applies overlap.
bool pipelined_mode = false;
constexpr auto kSlowCall = 300us;

asio::awaitable<void> take_a_moment() {
  asio::steady_timer timer(co_await asio::this_coro::executor, kSlowCall);
  co_await timer.async_wait(asio::use_awaitable);
}

class MemoryNodeStorage final : public NodeStorage {
 public:
  explicit MemoryNodeStorage(ConfState initial) {
    Snapshot snapshot;
    snapshot.metadata.conf_state = std::move(initial);
    log_.apply_snapshot(snapshot);
  }
  const LogStorage& log() const override { return log_; }
  asio::awaitable<bool> persist(const Ready& ready) override {
    co_await take_a_moment();
    while (hold_persists.load()) co_await take_a_moment();
    if (ready.snapshot) log_.apply_snapshot(*ready.snapshot);
    if (!ready.entries.empty()) log_.append(ready.entries);
    if (ready.hard_state) log_.set_hard_state(*ready.hard_state);
    co_return true;
  }
  asio::awaitable<bool> store_image(Index, const std::string&) override {
    ++stored_images;
    co_return true;
  }
  asio::awaitable<bool> compact(const Snapshot& snapshot) override {
    log_.compact(snapshot);
    ++compactions;
    co_return true;
  }
  std::atomic<int> compactions{0};
  std::atomic<int> stored_images{0};
  std::atomic<bool> hold_persists{false};  // a slow disk: writes wait while set

 private:
  MemoryLogStorage log_;
};

// A register map: entry "k=v" sets k; the output names what was set.
class MapStateMachine final : public StateMachine {
 public:
  Index applied_index() const override { return applied_; }
  asio::awaitable<std::vector<std::string>> apply(const std::vector<Entry>& entries) override {
    co_await take_a_moment();
    std::vector<std::string> outputs;
    std::lock_guard lock(mutex_);
    for (const Entry& entry : entries) {
      applied_ = entry.index;
      if (entry.type != EntryType::kNormal || entry.data.empty()) {
        outputs.emplace_back();
        continue;
      }
      const auto eq = entry.data.find('=');
      map_[entry.data.substr(0, eq)] = entry.data.substr(eq + 1);
      outputs.push_back("set " + entry.data.substr(0, eq));
    }
    co_return outputs;
  }
  // The map as it was at capture(); encode() waits while hold_images is set,
  // like a large state being copied.
  class MapImage final : public Image {
   public:
    MapImage(std::string image, const std::atomic<bool>& hold) : image_(std::move(image)), hold_(hold) {}
    asio::awaitable<std::string> encode() override {
      asio::steady_timer timer(co_await asio::this_coro::executor);
      while (hold_.load()) {
        timer.expires_after(2ms);
        co_await timer.async_wait(asio::use_awaitable);
      }
      co_return image_;
    }

   private:
    std::string image_;
    const std::atomic<bool>& hold_;
  };
  std::unique_ptr<Image> capture() override {
    std::lock_guard lock(mutex_);
    std::string image;
    for (const auto& [key, value] : map_) image += key + "=" + value + "\n";
    ++captures;
    return std::make_unique<MapImage>(std::move(image), hold_images);
  }
  asio::awaitable<bool> restore(const Snapshot& snapshot) override {
    std::lock_guard lock(mutex_);
    map_.clear();
    std::istringstream lines(snapshot.data);
    for (std::string line; std::getline(lines, line);) {
      const auto eq = line.find('=');
      map_[line.substr(0, eq)] = line.substr(eq + 1);
    }
    applied_ = snapshot.metadata.index;
    ++restores;
    co_return true;
  }
  std::map<std::string, std::string> contents() {
    std::lock_guard lock(mutex_);
    return map_;
  }
  std::atomic<int> restores{0};
  std::atomic<int> captures{0};
  std::atomic<bool> hold_images{false};

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> map_;
  std::atomic<Index> applied_{0};
};

class Cluster final : public MessageSender {
 public:
  explicit Cluster(std::uint64_t compact_after = 10000) {
    for (NodeId id = 1; id <= 3; ++id) {
      auto& replica = replicas_[id];
      replica.storage = std::make_unique<MemoryNodeStorage>(ConfState{{1, 2, 3}, {}});
      replica.state_machine = std::make_unique<MapStateMachine>();
      Node::Options options;
      options.core.id = id;
      options.core.random_seed = id * 7919;
      options.core.election_ticks = 10;
      options.core.async_storage_writes = pipelined_mode;
      options.tick_interval = 10ms;
      options.compact_after_entries = compact_after;
      replica.node = std::make_unique<Node>(io_.get_executor(), 5, options, *replica.storage,
                                            *replica.state_machine, *this);
    }
    for (auto& [id, replica] : replicas_) replica.node->start();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~Cluster() {
    for (auto& [id, replica] : replicas_) replica.node->stop();
    work_.reset();
    for (auto& thread : threads_) thread.join();
  }

  void send(std::uint32_t group, const Message& message) override {
    EXPECT_EQ(group, 5u);
    std::lock_guard lock(mutex_);
    if (isolated_.contains(message.from) || isolated_.contains(message.to)) return;
    const auto it = replicas_.find(message.to);
    if (it != replicas_.end()) it->second.node->receive(message);
  }

  void isolate(NodeId id) {
    std::lock_guard lock(mutex_);
    isolated_.insert(id);
  }
  void heal() {
    std::lock_guard lock(mutex_);
    isolated_.clear();
  }

  // Waits for a leader that the other reachable replicas agree on.
  NodeId leader(std::chrono::milliseconds timeout = 10s, NodeId excluding = kNoNode) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      for (auto& [id, replica] : replicas_) {
        if (id == excluding) continue;
        const NodeStatus status = replica.node->status();
        if (status.role == Role::kLeader) return id;
      }
      std::this_thread::sleep_for(5ms);
    }
    return kNoNode;
  }

  ProposalOutcome propose(NodeId on, std::string data, std::chrono::milliseconds timeout = 5s) {
    return asio::co_spawn(io_, node(on).propose(std::move(data), Clock::now() + timeout), asio::use_future)
        .get();
  }
  ProposalOutcome change(NodeId on, ConfChange change, std::chrono::milliseconds timeout = 5s) {
    return asio::co_spawn(io_, node(on).propose_conf_change(change, Clock::now() + timeout), asio::use_future)
        .get();
  }
  ReadOutcome read(NodeId on, std::chrono::milliseconds timeout = 5s) {
    return asio::co_spawn(io_, node(on).read(Clock::now() + timeout), asio::use_future).get();
  }

  Node& node(NodeId id) { return *replicas_.at(id).node; }
  MapStateMachine& state(NodeId id) { return *replicas_.at(id).state_machine; }
  MemoryNodeStorage& storage(NodeId id) { return *replicas_.at(id).storage; }
  asio::io_context& io() { return io_; }

 private:
  struct Replica {
    std::unique_ptr<MemoryNodeStorage> storage;
    std::unique_ptr<MapStateMachine> state_machine;
    std::unique_ptr<Node> node;
  };
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::map<NodeId, Replica> replicas_;
  std::mutex mutex_;
  std::set<NodeId> isolated_;
  std::vector<std::thread> threads_;
};

template <class Predicate>
bool eventually(Predicate predicate, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = Clock::now() + timeout;
  while (!predicate()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

class RaftNode : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override { pipelined_mode = GetParam(); }
};

INSTANTIATE_TEST_SUITE_P(Modes, RaftNode, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Pipelined" : "InOrder";
                         });

TEST_P(RaftNode, ConcurrentProposalsAreAppliedOnEveryReplicaWithTheirOutputs) {
  Cluster cluster;
  const NodeId leader = cluster.leader();
  ASSERT_NE(leader, kNoNode);

  constexpr int kProposals = 300;
  std::vector<std::future<ProposalOutcome>> outcomes;
  for (int i = 0; i < kProposals; ++i) {
    outcomes.push_back(asio::co_spawn(
        cluster.io(),
        cluster.node(leader).propose("k" + std::to_string(i) + "=v" + std::to_string(i), Clock::now() + 10s),
        asio::use_future));
  }
  std::set<Index> indices;
  for (int i = 0; i < kProposals; ++i) {
    const ProposalOutcome outcome = outcomes[i].get();
    ASSERT_EQ(outcome.result, NodeResult::kOk) << to_string(outcome.result);
    EXPECT_EQ(outcome.output, "set k" + std::to_string(i));
    indices.insert(outcome.index);
  }
  EXPECT_EQ(indices.size(), static_cast<std::size_t>(kProposals)) << "every proposal has its own index";
  for (NodeId id = 1; id <= 3; ++id) {
    ASSERT_TRUE(eventually([&] { return cluster.state(id).contents().size() == kProposals; })) << id;
    EXPECT_EQ(cluster.state(id).contents(), cluster.state(leader).contents());
  }
}

// One change at a time through the driver: a voter removed, writes going on
// without it, then the same node back as a learner, caught up, promoted.
TEST_P(RaftNode, MembershipChangesOneAtATimeWhileWritesGoOn) {
  Cluster cluster;
  const NodeId leader = cluster.leader();
  ASSERT_NE(leader, kNoNode);
  const NodeId other = leader == 3 ? 2 : 3;
  ASSERT_EQ(cluster.propose(leader, "before=1").result, NodeResult::kOk);

  const ProposalOutcome removed = cluster.change(leader, ConfChange{ConfChangeType::kRemoveNode, other});
  ASSERT_EQ(removed.result, NodeResult::kOk) << to_string(removed.result);
  EXPECT_EQ(cluster.node(leader).membership().voters.size(), 2u);
  cluster.isolate(other);  // gone: the two that remain are the whole quorum
  ASSERT_EQ(cluster.propose(leader, "without=2").result, NodeResult::kOk);
  cluster.heal();

  // A change the membership does not allow: promoting a node that is no learner.
  EXPECT_EQ(cluster.change(leader, ConfChange{ConfChangeType::kPromoteLearner, other}).result,
            NodeResult::kRetry);
  const ProposalOutcome learner = cluster.change(leader, ConfChange{ConfChangeType::kAddLearner, other});
  ASSERT_EQ(learner.result, NodeResult::kOk) << to_string(learner.result);
  ASSERT_TRUE(eventually([&] { return cluster.state(other).contents()["without"] == "2"; }))
      << "the learner caught up";
  const ProposalOutcome promoted = cluster.change(leader, ConfChange{ConfChangeType::kPromoteLearner, other});
  ASSERT_EQ(promoted.result, NodeResult::kOk) << to_string(promoted.result);
  ASSERT_TRUE(eventually([&] { return cluster.node(other).membership().voters.size() == 3; }));
  EXPECT_TRUE(cluster.node(leader).membership().learners.empty());
  ASSERT_EQ(cluster.propose(leader, "after=3").result, NodeResult::kOk);
  ASSERT_TRUE(eventually([&] { return cluster.state(other).contents()["after"] == "3"; }));
}

TEST_P(RaftNode, AFollowerAnswersNotLeaderWithAHint) {
  Cluster cluster;
  const NodeId leader = cluster.leader();
  ASSERT_NE(leader, kNoNode);
  const NodeId follower = leader == 1 ? 2 : 1;
  ASSERT_TRUE(eventually([&] { return cluster.node(follower).status().leader == leader; }));
  const ProposalOutcome outcome = cluster.propose(follower, "a=1");
  EXPECT_EQ(outcome.result, NodeResult::kNotLeader);
  EXPECT_EQ(outcome.leader_hint, leader);
}

TEST_P(RaftNode, AReadBarrierOnAFollowerSeesEveryEarlierWrite) {
  Cluster cluster;
  const NodeId leader = cluster.leader();
  ASSERT_NE(leader, kNoNode);
  const ProposalOutcome write = cluster.propose(leader, "x=42");
  ASSERT_EQ(write.result, NodeResult::kOk);
  const NodeId follower = leader == 3 ? 2 : 3;
  ASSERT_TRUE(eventually([&] { return cluster.node(follower).status().leader == leader; }));
  const ReadOutcome read = cluster.read(follower);
  ASSERT_EQ(read.result, NodeResult::kOk) << to_string(read.result);
  EXPECT_GE(read.index, write.index);
  EXPECT_EQ(cluster.state(follower).contents()["x"], "42") << "the barrier waited for the follower to apply";
}

TEST_P(RaftNode, AfterTheLeaderIsCutOffAnotherIsElectedAndWritesContinue) {
  Cluster cluster;
  const NodeId old_leader = cluster.leader();
  ASSERT_NE(old_leader, kNoNode);
  ASSERT_EQ(cluster.propose(old_leader, "before=1").result, NodeResult::kOk);
  cluster.isolate(old_leader);
  const NodeId new_leader = cluster.leader(10s, old_leader);
  ASSERT_NE(new_leader, kNoNode);
  ASSERT_NE(new_leader, old_leader);
  ASSERT_EQ(cluster.propose(new_leader, "after=2").result, NodeResult::kOk);
  // A proposal on the cut-off old leader cannot commit: it times out or is
  // refused once that node learns it lost leadership.
  const ProposalOutcome stale = cluster.propose(old_leader, "stale=3", 500ms);
  EXPECT_NE(stale.result, NodeResult::kOk);
  cluster.heal();
  ASSERT_TRUE(eventually([&] { return cluster.state(old_leader).contents().contains("after"); }));
  EXPECT_FALSE(cluster.state(new_leader).contents().contains("stale"));
}

// A proposal appended by a leader that was then cut off: once it rejoins,
// its entry's index is filled by the new leader — through entries (the
// index committed with another term: definitely not applied, kDropped) or
// through a snapshot (nothing tells what the index held: kUnknown). Either
// way the proposer hears it, and never kOk.
void ProposalOfACutOffLeaderEnds(std::uint64_t compact_after, NodeResult expected) {
  Cluster cluster(compact_after);
  const NodeId old_leader = cluster.leader();
  ASSERT_NE(old_leader, kNoNode);
  ASSERT_EQ(cluster.propose(old_leader, "before=1").result, NodeResult::kOk);
  cluster.isolate(old_leader);
  auto pending = asio::co_spawn(cluster.io(), cluster.node(old_leader).propose("lost=1", Clock::now() + 60s),
                                asio::use_future);
  const NodeId new_leader = cluster.leader(10s, old_leader);
  ASSERT_NE(new_leader, kNoNode);
  for (int i = 0; i < 40; ++i) {
    ASSERT_EQ(cluster.propose(new_leader, "k" + std::to_string(i) + "=1").result, NodeResult::kOk);
  }
  if (expected == NodeResult::kUnknown) {
    ASSERT_TRUE(eventually([&] { return cluster.storage(new_leader).compactions.load() > 0; }));
  }
  cluster.heal();
  ASSERT_EQ(pending.wait_for(20s), std::future_status::ready);
  EXPECT_EQ(pending.get().result, expected) << to_string(expected);
  EXPECT_FALSE(cluster.state(new_leader).contents().contains("lost"));
}

TEST_P(RaftNode, AProposalWhoseIndexCommitsWithAnotherTermIsDropped) {
  ProposalOfACutOffLeaderEnds(/*compact_after=*/100000, NodeResult::kDropped);
}

TEST_P(RaftNode, AProposalASnapshotCoversIsUnknown) {
  ProposalOfACutOffLeaderEnds(/*compact_after=*/10, NodeResult::kUnknown);
}

TEST_P(RaftNode, ALaggingReplicaCatchesUpFromASnapshotAfterCompaction) {
  Cluster cluster(/*compact_after=*/50);
  const NodeId leader = cluster.leader();
  ASSERT_NE(leader, kNoNode);
  const NodeId lagging = leader == 1 ? 3 : 1;
  cluster.isolate(lagging);
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(cluster.propose(leader, "k" + std::to_string(i) + "=" + std::to_string(i)).result,
              NodeResult::kOk);
  }
  ASSERT_TRUE(eventually([&] { return cluster.storage(leader).compactions.load() > 0; }));
  EXPECT_GT(cluster.node(leader).status().first_index, 1u);
  cluster.heal();
  ASSERT_TRUE(eventually([&] { return cluster.state(lagging).contents().size() == 200; }));
  EXPECT_GT(cluster.state(lagging).restores.load(), 0) << "caught up by snapshot, not by log";
  EXPECT_EQ(cluster.state(lagging).contents(), cluster.state(leader).contents());
}

TEST_P(RaftNode, ProposalsCommitWhileACompactionImageIsEncoded) {
  // A large state takes long to copy; the group must go on committing
  // meanwhile, and compact once the image is ready.
  Cluster cluster(/*compact_after=*/50);
  const NodeId leader = cluster.leader();
  ASSERT_NE(leader, kNoNode);
  for (NodeId id = 1; id <= 3; ++id) cluster.state(id).hold_images = true;
  for (int i = 0; i < 60; ++i)
    ASSERT_EQ(cluster.propose(leader, "a" + std::to_string(i) + "=1").result, NodeResult::kOk);
  ASSERT_TRUE(eventually([&] { return cluster.state(leader).captures.load() > 0; }));
  for (int i = 0; i < 200; ++i)
    ASSERT_EQ(cluster.propose(leader, "b" + std::to_string(i) + "=1").result, NodeResult::kOk);
  EXPECT_EQ(cluster.storage(leader).compactions.load(), 0) << "compacted before its image was made";
  EXPECT_EQ(cluster.state(leader).captures.load(), 1) << "one image at a time";
  for (NodeId id = 1; id <= 3; ++id) cluster.state(id).hold_images = false;
  ASSERT_TRUE(eventually([&] { return cluster.storage(leader).compactions.load() > 0; }));
  EXPECT_GT(cluster.node(leader).status().first_index, 50u);
  EXPECT_GE(cluster.storage(leader).stored_images.load(), cluster.storage(leader).compactions.load())
      << "the log was compacted before its image was stored";
  EXPECT_EQ(cluster.state(leader).contents().size(), 260u);
}

TEST_P(RaftNode, StoppingWaitsForAnImageBeingEncoded) {
  auto cluster = std::make_unique<Cluster>(/*compact_after=*/20);
  const NodeId leader = cluster->leader();
  ASSERT_NE(leader, kNoNode);
  cluster->state(leader).hold_images = true;
  for (int i = 0; i < 30; ++i)
    ASSERT_EQ(cluster->propose(leader, "k" + std::to_string(i) + "=1").result, NodeResult::kOk);
  ASSERT_TRUE(eventually([&] { return cluster->state(leader).captures.load() > 0; }));
  cluster->node(leader).stop();
  auto stopped = asio::co_spawn(cluster->io(), cluster->node(leader).wait_stopped(), asio::use_future);
  EXPECT_EQ(stopped.wait_for(200ms), std::future_status::timeout)
      << "stopped while the image was still being read";
  cluster->state(leader).hold_images = false;
  EXPECT_EQ(stopped.wait_for(10s), std::future_status::ready);
}

// Pipelined, a leader's own disk write does not hold back a commit that the
// two followers already made durable: they apply the entry while the
// leader's write is still under way. The proposer hears kOk once the leader
// has written and applied it too.
TEST(RaftNodePipelined, TwoFollowersCommitWhileTheLeadersOwnWriteIsSlow) {
  pipelined_mode = true;
  Cluster cluster;
  const NodeId leader = cluster.leader();
  ASSERT_NE(leader, kNoNode);
  ASSERT_EQ(cluster.propose(leader, "warm=1").result, NodeResult::kOk);
  cluster.storage(leader).hold_persists = true;
  auto pending = asio::co_spawn(cluster.io(), cluster.node(leader).propose("fast=1", Clock::now() + 30s),
                                asio::use_future);
  for (NodeId id = 1; id <= 3; ++id) {
    if (id == leader) continue;
    EXPECT_TRUE(eventually([&] { return cluster.state(id).contents().contains("fast"); }, 5s))
        << "follower " << id;
  }
  EXPECT_EQ(pending.wait_for(0s), std::future_status::timeout);  // not before its own write
  EXPECT_FALSE(cluster.state(leader).contents().contains("fast"));
  cluster.storage(leader).hold_persists = false;
  ASSERT_EQ(pending.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(pending.get().result, NodeResult::kOk);
  EXPECT_TRUE(cluster.state(leader).contents().contains("fast"));
  pipelined_mode = false;
}

// An appended proposal may still commit after the node stops (it is in
// the log, here and maybe elsewhere): its proposer must hear "unknown", never
// a definite failure; a proposal that arrives after the stop was never
// appended and hears "shutting down".
TEST_P(RaftNode, StoppingCompletesAppendedProposalsWithUnknown) {
  auto cluster = std::make_unique<Cluster>();
  const NodeId leader = cluster->leader();
  ASSERT_NE(leader, kNoNode);
  const NodeId follower = leader == 1 ? 2 : 1;
  cluster->isolate(leader);  // the leader's proposals can no longer commit
  auto pending = asio::co_spawn(cluster->io(), cluster->node(leader).propose("z=1", Clock::now() + 30s),
                                asio::use_future);
  std::this_thread::sleep_for(50ms);
  cluster->node(leader).stop();
  EXPECT_EQ(pending.get().result, NodeResult::kUnknown);
  EXPECT_EQ(cluster->propose(leader, "late=1").result, NodeResult::kShuttingDown);
  (void)follower;
}

}  // namespace
}  // namespace kahuna::raft
