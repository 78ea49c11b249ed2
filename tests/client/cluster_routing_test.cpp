// A 3-node cluster: the SDK sends every request straight to its partition's
// leader (no forwards once it knows the map), and rides out the SIGKILL of a
// leader in the middle of a workload.
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include <kahuna/client/client.h>
#include <kahuna/placement.h>

#include "server_cluster.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t kPartitions = 4;

class ClusterRoutingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    cluster_ = std::make_unique<ServerCluster>(name, ServerCluster::Options{3, kPartitions, 50});
    ASSERT_TRUE(cluster_->wait_ready(60s)) << cluster_->log(1) << cluster_->log(2) << cluster_->log(3);
    ClientOptions options;
    options.endpoints = cluster_->endpoints();
    options.call_deadline = 15s;
    client_ = std::make_unique<Client>(options);
    ASSERT_TRUE(wait_for_stable_leaders(30s)) << "leaders did not settle";
  }

  // Every partition has a leader, and the map stayed the same for a second
  // (leaders move to their preferred nodes shortly after start).
  bool wait_for_stable_leaders(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::map<std::uint32_t, std::uint64_t> previous;
    while (std::chrono::steady_clock::now() < deadline) {
      std::map<std::uint32_t, std::uint64_t> leaders;
      bool complete = true;
      if (auto status = client_->cluster_status()) {
        for (const auto& partition : status->partitions) {
          leaders[partition.id] = partition.leader;
          complete = complete && partition.leader != 0;
        }
        complete = complete && status->partitions.size() == kPartitions + 1;
      } else {
        complete = false;
      }
      if (complete && leaders == previous) {
        leaders_ = leaders;
        return true;
      }
      previous = complete ? leaders : std::map<std::uint32_t, std::uint64_t>{};
      std::this_thread::sleep_for(1s);
    }
    return false;
  }

  // A key (and lock resource) placed on each data partition.
  static std::map<std::uint32_t, std::string> key_per_partition(const std::string& stem) {
    std::map<std::uint32_t, std::string> keys;
    for (int i = 0; keys.size() < kPartitions; ++i) {
      std::string key = stem + std::to_string(i) + "/k";
      keys.emplace(partition_for_key(key, PlacementPool{kPartitions, 1}), key);
    }
    return keys;
  }

  static std::map<std::uint32_t, std::string> sequence_per_partition(const std::string& stem) {
    std::map<std::uint32_t, std::string> names;
    for (int i = 0; names.size() < kPartitions; ++i) {
      std::string name = stem + std::to_string(i);
      names.emplace(partition_for_sequence(name, PlacementPool{kPartitions, 1}), name);
    }
    return names;
  }

  // One of each kind of operation on every partition; false on the first
  // failure, described in `why`.
  bool round_on_every_partition(int round, std::string& why) {
    for (const auto& [partition, key] : key_per_partition("route")) {
      const std::string value = "r" + std::to_string(round);
      auto set = client_->set(key, value);
      if (!set || set->code != KvCode::kSet) return fail(why, "set", partition, set);
      auto get = client_->get(key);
      if (!get || get->value != std::optional<std::string>(value)) return fail(why, "get", partition, get);
      auto bucket = client_->get_by_bucket(std::string(key_space_of(key)));
      if (!bucket || bucket->items.size() != 1) return fail(why, "bucket", partition, bucket);
      const std::string owner = "owner-" + std::to_string(round);
      auto locked = client_->try_lock(key, owner, 10s);
      if (!locked || locked->code != LockCode::kLocked) return fail(why, "lock", partition, locked);
      auto unlocked = client_->unlock(key, owner);
      if (!unlocked || unlocked->code != LockCode::kUnlocked) return fail(why, "unlock", partition, unlocked);
    }
    for (const auto& [partition, name] : sequence_per_partition("seq")) {
      SequenceCreateRequest create;
      create.name = name;
      auto created = client_->create_sequence(create);
      if (!created) return fail(why, "sequence create", partition, created);
      auto next = client_->next(name);
      if (!next || next->code != SequenceCode::kSuccess) return fail(why, "next", partition, next);
    }
    return true;
  }

  template <class R>
  static bool fail(std::string& why, const char* what, std::uint32_t partition, const R& result) {
    why = std::string(what) + " on partition " + std::to_string(partition) + ": " +
          (result ? "unexpected outcome" : result.error().to_string());
    return false;
  }

  std::unique_ptr<ServerCluster> cluster_;
  std::unique_ptr<Client> client_;
  std::map<std::uint32_t, std::uint64_t> leaders_;
};

TEST_F(ClusterRoutingTest, RequestsGoStraightToEachPartitionsLeader) {
  std::set<std::uint64_t> leading_nodes;
  for (const auto& [partition, leader] : leaders_) {
    if (partition != 0) leading_nodes.insert(leader);
  }
  EXPECT_GT(leading_nodes.size(), 1u) << "leaders spread over the nodes";

  std::string why;
  ASSERT_TRUE(round_on_every_partition(0, why)) << why;  // warm-up: learns the map
  const ClientMetrics warm = client_->metrics();
  for (int round = 1; round <= 3; ++round) ASSERT_TRUE(round_on_every_partition(round, why)) << why;
  const ClientMetrics after = client_->metrics();
  EXPECT_EQ(after.forwarded_replies, warm.forwarded_replies) << "no request was forwarded after warm-up";
  EXPECT_EQ(after.must_retry_replies, warm.must_retry_replies);
  EXPECT_GE(after.connections_opened, leading_nodes.size()) << "one connection per leading node";
  EXPECT_LE(after.connections_opened, 3u);
}

TEST_F(ClusterRoutingTest, AWorkloadSurvivesTheKillOfAPartitionLeader) {
  // A node that leads a data partition, and not the one every seed list starts with.
  std::uint64_t victim = 0;
  for (const auto& [partition, leader] : leaders_) {
    if (partition != 0 && leader != 1) victim = leader;
  }
  if (victim == 0) victim = leaders_.at(1);

  std::atomic<bool> stop{false};
  std::atomic<int> operations{0};
  std::string first_failure;
  std::mutex failure_mutex;
  auto worker = [&](int id) {
    const auto keys = key_per_partition("work" + std::to_string(id) + "-");
    const auto names = sequence_per_partition("workseq" + std::to_string(id) + "-");
    for (const auto& [partition, name] : names) {
      SequenceCreateRequest create;
      create.name = name;
      (void)client_->create_sequence(create);
    }
    std::map<std::string, std::int64_t> last_value;
    for (int i = 0; !stop.load(); ++i) {
      std::string failure;
      for (const auto& [partition, key] : keys) {
        const std::string value = std::to_string(i);
        auto set = client_->set(key, value);
        if (!set || set->code != KvCode::kSet) {
          failure = "set " + key + ": " + (set ? std::string(to_string(set->code)) : set.error().to_string());
          break;
        }
        auto get = client_->get(key);
        if (!get || get->code != KvCode::kGet) {
          failure = "get " + key + ": " + (get ? std::string(to_string(get->code)) : get.error().to_string());
          break;
        }
        const std::string owner = "w" + std::to_string(id) + "-" + std::to_string(i);
        auto locked = client_->try_lock(key, owner, 5s);
        if (!locked || locked->code != LockCode::kLocked) {
          failure = "lock " + key + ": " +
                    (locked ? std::string(to_string(locked->code)) : locked.error().to_string());
          break;
        }
        // A retried unlock carries its request id, so it reports its first
        // run's unlocked rather than lockDoesNotExist.
        auto unlocked = client_->unlock(key, owner);
        if (!unlocked || unlocked->code != LockCode::kUnlocked) {
          failure = "unlock " + key + ": " +
                    (unlocked ? std::string(to_string(unlocked->code)) : unlocked.error().to_string());
          break;
        }
        operations += 4;
      }
      for (const auto& [partition, name] : names) {
        if (!failure.empty()) break;
        auto next = client_->next(name);
        if (!next || next->code != SequenceCode::kSuccess || next->allocation.start <= last_value[name]) {
          failure = "next " + name + ": " +
                    (next ? std::string(to_string(next->code)) + " " + std::to_string(next->allocation.start)
                          : next.error().to_string());
          break;
        }
        last_value[name] = next->allocation.start;
        ++operations;
      }
      if (!failure.empty()) {
        std::lock_guard lock(failure_mutex);
        if (first_failure.empty()) first_failure = failure;
        return;
      }
    }
  };

  std::vector<std::thread> workers;
  for (int id = 0; id < 3; ++id) workers.emplace_back(worker, id);
  std::this_thread::sleep_for(1500ms);
  const int before_kill = operations.load();
  cluster_->kill(victim);
  std::this_thread::sleep_for(5s);
  const int after_kill = operations.load();
  std::this_thread::sleep_for(1s);
  stop = true;
  for (auto& thread : workers) thread.join();

  EXPECT_TRUE(first_failure.empty()) << "killed node " << victim << ": " << first_failure;
  EXPECT_GT(before_kill, 0);
  EXPECT_GT(operations.load(), after_kill) << "the workload still makes progress after the kill";
  const ClientMetrics metrics = client_->metrics();
  EXPECT_GT(metrics.transport_failures + metrics.must_retry_replies + metrics.outcome_unknown_replies, 0u)
      << "the kill was noticed";
}

}  // namespace
}  // namespace kahuna::client::testing
