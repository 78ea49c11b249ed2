// Three Raft replicas over the segmented log, each on its own fault-injecting
// file system, lose power together while clients write (label: powercut).
// After the cut the replicas restart from what their disks kept: every write
// a client saw acknowledged must still be applied.
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <unistd.h>

#include <gtest/gtest.h>
#include <kahuna/raft/node.h>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_future.hpp>

#include "fault_injection_file_system.h"
#include "raftlog/segmented_log.h"
#include "replication/segmented_node_storage.h"
#include "services/map_engine.h"

namespace kahuna {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using raftlog::FaultInjectionFileSystem;

constexpr std::uint32_t kGroup = 1;

// Remembers every applied value; its state lives in memory only, so a
// restarted replica rebuilds it from the log.
class RecordingStateMachine final : public raft::StateMachine {
 public:
  raft::Index applied_index() const override { return 0; }
  asio::awaitable<std::vector<std::string>> apply(const std::vector<raft::Entry>& entries) override {
    std::lock_guard lock(mutex_);
    for (const raft::Entry& entry : entries) {
      if (entry.type == raft::EntryType::kNormal && !entry.data.empty()) values_.insert(entry.data);
    }
    co_return std::vector<std::string>(entries.size());
  }
  std::unique_ptr<Image> capture() override { return nullptr; }  // compaction is off
  asio::awaitable<bool> restore(const raft::Snapshot&) override { co_return false; }
  bool has(const std::string& value) {
    std::lock_guard lock(mutex_);
    return values_.contains(value);
  }

 private:
  std::mutex mutex_;
  std::set<std::string> values_;
};

class Cluster final : public raft::MessageSender {
 public:
  Cluster(std::map<raft::NodeId, FaultInjectionFileSystem>& disks, const std::filesystem::path& dir) {
    for (raft::NodeId id = 1; id <= 3; ++id) {
      Replica& replica = replicas_[id];
      raftlog::SegmentedLog::Options options;
      options.directory = "/raftlog";
      options.segment_bytes = 64 << 10;
      const Status opened = raftlog::SegmentedLog::open(disks[id], options, 2, {{1, 2, 3}, {}}, replica.log);
      EXPECT_TRUE(opened) << opened.to_string();
      if (!opened) continue;
      replica.files = std::make_unique<SnapshotFiles>(dir / std::to_string(id));
      EXPECT_TRUE(replica.files->prepare());
      replica.storage = std::make_unique<SegmentedNodeStorage>(*replica.log, kGroup, *replica.files, engine_,
                                                               images_.get_executor());
      replica.machine = std::make_unique<RecordingStateMachine>();
      raft::Node::Options node_options;
      node_options.core.id = id;
      node_options.core.random_seed = id * 7919;
      node_options.core.election_ticks = 10;
      node_options.core.max_inflight_appends = 64;
      node_options.tick_interval = 10ms;
      node_options.compact_after_entries = 0;
      replica.node = std::make_unique<raft::Node>(io_.get_executor(), kGroup, node_options, *replica.storage,
                                                  *replica.machine, *this);
    }
    for (auto& [id, replica] : replicas_) {
      if (replica.node) replica.node->start();
    }
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }

  ~Cluster() {
    for (auto& [id, replica] : replicas_) {
      if (replica.node) replica.node->stop();
    }
    for (auto& [id, replica] : replicas_) {
      if (replica.node) asio::co_spawn(io_, replica.node->wait_stopped(), asio::use_future).get();
    }
    work_.reset();
    for (auto& thread : threads_) thread.join();
    for (auto& [id, replica] : replicas_) {
      if (replica.log) replica.log->stop();
    }
  }

  void send(std::uint32_t group, const raft::Message& message) override {
    const auto it = replicas_.find(message.to);
    if (it != replicas_.end() && it->second.node) it->second.node->receive(message);
    (void)group;
  }

  raft::NodeId leader(std::chrono::milliseconds timeout = 10s) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      for (auto& [id, replica] : replicas_) {
        if (replica.node && replica.node->status().role == raft::Role::kLeader) return id;
      }
      std::this_thread::sleep_for(5ms);
    }
    return raft::kNoNode;
  }

  raft::ProposalOutcome propose(raft::NodeId on, std::string data, std::chrono::milliseconds timeout = 2s) {
    return asio::co_spawn(io_, replicas_.at(on).node->propose(std::move(data), Clock::now() + timeout),
                          asio::use_future)
        .get();
  }

  // Writers: each proposes its own numbered values to whichever node leads
  // and records those acknowledged, until `stop` is set.
  void start_writers(int count, std::atomic<bool>& stop, std::mutex& mutex,
                     std::vector<std::string>& acknowledged) {
    for (int writer = 0; writer < count; ++writer) {
      asio::co_spawn(
          io_,
          [this, writer, &stop, &mutex, &acknowledged]() -> asio::awaitable<void> {
            for (int n = 0; !stop.load(); ++n) {
              const std::string value = "w" + std::to_string(writer) + "-" + std::to_string(n);
              raft::NodeId target = 1;
              for (auto& [id, replica] : replicas_) {
                if (replica.node->status().role == raft::Role::kLeader) target = id;
              }
              const raft::ProposalOutcome outcome =
                  co_await replicas_.at(target).node->propose(value, Clock::now() + 1s);
              if (outcome.result == raft::NodeResult::kOk) {
                std::lock_guard lock(mutex);
                acknowledged.push_back(value);
              }
            }
          },
          asio::detached);
    }
  }

  bool applied_everywhere(const std::string& value) {
    for (auto& [id, replica] : replicas_) {
      if (!replica.machine->has(value)) return false;
    }
    return true;
  }
  bool applied_on(raft::NodeId id, const std::string& value) { return replicas_.at(id).machine->has(value); }

 private:
  struct Replica {
    std::unique_ptr<raftlog::SegmentedLog> log;
    std::unique_ptr<SnapshotFiles> files;
    std::unique_ptr<SegmentedNodeStorage> storage;
    std::unique_ptr<RecordingStateMachine> machine;
    std::unique_ptr<raft::Node> node;
  };
  services::testing::MapEngine engine_;
  asio::thread_pool images_{1};
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::map<raft::NodeId, Replica> replicas_;
  std::vector<std::thread> threads_;
};

void run_seed(std::uint64_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 random(seed);
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("kahuna-powercut-" + std::to_string(::getpid()) + "-" + std::to_string(seed));
  std::filesystem::remove_all(dir);
  std::map<raft::NodeId, FaultInjectionFileSystem> disks;
  for (raft::NodeId id = 1; id <= 3; ++id) disks[id];
  std::vector<std::string> acknowledged;
  for (int round = 0; round < 2; ++round) {
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::vector<std::string> acked_now;
    {
      Cluster cluster(disks, dir);
      ASSERT_NE(cluster.leader(), raft::kNoNode);
      // Everything acknowledged before the previous cut is applied again.
      const std::string barrier = "barrier-" + std::to_string(round);
      raft::ProposalOutcome outcome;
      int attempts = 0;
      do {
        outcome = cluster.propose(cluster.leader(), barrier);
      } while (outcome.result != raft::NodeResult::kOk && ++attempts < 50);
      ASSERT_EQ(outcome.result, raft::NodeResult::kOk);
      const raft::NodeId leader = cluster.leader();
      for (const std::string& value : acknowledged) {
        ASSERT_TRUE(cluster.applied_on(leader, value)) << value << " was acknowledged before the power cut";
      }
      cluster.start_writers(8, stop, mutex, acked_now);
      // Let the writers run for a random while, then cut every disk at once.
      const auto wait = std::chrono::milliseconds(50 + random() % 150);
      std::this_thread::sleep_for(wait);
      for (auto& [id, disk] : disks) disk.power_cut(random, /*tear=*/true);
      stop = true;
    }
    std::lock_guard lock(mutex);
    ASSERT_GT(acked_now.size(), 0u);
    acknowledged.insert(acknowledged.end(), acked_now.begin(), acked_now.end());
  }
  std::filesystem::remove_all(dir);
}

TEST(ClusterPowerCut, EveryAcknowledgedProposalSurvivesAPowerCutOfEveryReplica) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    run_seed(seed);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace kahuna
