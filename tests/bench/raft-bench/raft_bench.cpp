// kahuna-raft-bench: committed proposals per second of G Raft groups (as a
// node hosts them: 16 data partitions + 1 by default) over three in-process
// replicas, each with its own storage engine and one log writer shared by
// all its groups (fsync on), leaders spread over the replicas, at 1, 64 and
// 512 concurrent proposers spread over the groups; p50/p99 commit latency;
// syncs per commit; and the disk's raw fdatasync rate in the same run.
//
//   build/bin/kahuna-raft-bench [--engine rocksdb|lmdb] [--groups 17] [--seconds 5] [--dir DIR] [--in-order]
//
// Messages between replicas go through memory, not TCP: this measures the
// Raft core, the driver and the durable write path, not the network.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include <CLI/CLI.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_future.hpp>

#include <kahuna/plugin_loader.h>
#include <kahuna/raft/node.h>

#include "replication/durable_node_storage.h"
#include "storage/log_writer.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using kahuna::raft::NodeId;

// Counts applied entries; the output is empty.
class CountingStateMachine final : public kahuna::raft::StateMachine {
 public:
  // Nothing to copy: a counter is its applied index.
  class NoImage final : public Image {
   public:
    asio::awaitable<std::string> encode() override { co_return std::string(); }
  };

  kahuna::raft::Index applied_index() const override { return applied_; }
  asio::awaitable<std::vector<std::string>> apply(const std::vector<kahuna::raft::Entry>& entries) override {
    applied_ = entries.back().index;
    co_return std::vector<std::string>(entries.size());
  }
  std::unique_ptr<Image> capture() override { return std::make_unique<NoImage>(); }
  asio::awaitable<bool> restore(const kahuna::raft::Snapshot& snapshot) override {
    applied_ = snapshot.metadata.index;
    co_return true;
  }

 private:
  std::atomic<kahuna::raft::Index> applied_{0};
};

struct Group {
  std::unique_ptr<kahuna::DurableNodeStorage> storage;
  CountingStateMachine state_machine;
  std::unique_ptr<kahuna::raft::Node> node;
};

struct Replica {
  kahuna::PluginObject<kahuna::StorageEngine> engine;
  std::unique_ptr<kahuna::LogWriter> log_writer;
  std::unique_ptr<kahuna::SnapshotFiles> snapshot_files;
  std::vector<std::unique_ptr<Group>> groups;
};

class Bus final : public kahuna::raft::MessageSender {
 public:
  std::map<NodeId, Replica*> replicas;
  void send(std::uint32_t group, const kahuna::raft::Message& message) override {
    replicas.at(message.to)->groups.at(group)->node->receive(message);
  }
};

double raw_fdatasync_per_second(const fs::path& dir) {
  const fs::path file = dir / "raw-fdatasync";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const std::string block(4096, 'x');
  const auto start = Clock::now();
  int count = 0;
  while (Clock::now() - start < std::chrono::seconds(2)) {
    if (::pwrite(fd, block.data(), block.size(), 0) < 0 || ::fdatasync(fd) != 0) break;
    ++count;
  }
  ::close(fd);
  fs::remove(file);
  return count / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kahuna-raft-bench: committed proposals per second of a 3-replica Raft group, fsync on"};
  std::string engine_name = "rocksdb";
  double seconds = 5;
  std::uint32_t group_count = 17;
  fs::path root = fs::temp_directory_path() / "kahuna-raft-bench";
  app.add_option("--engine", engine_name, "storage engine plugin")->capture_default_str();
  app.add_option("--seconds", seconds, "measuring time per proposer count")->capture_default_str();
  app.add_option("--groups", group_count, "Raft groups (partitions) per replica")
      ->check(CLI::Range(1u, 4096u))
      ->capture_default_str();
  app.add_option("--dir", root, "where the replicas keep their data")->capture_default_str();
  bool in_order = false;
  app.add_flag("--in-order", in_order,
               "one Ready at a time per group instead of pipelined ([raft] pipeline = false)");
  CLI11_PARSE(app, argc, argv);

  fs::remove_all(root);
  fs::create_directories(root);
  std::cout << "raw fdatasync (4 KiB): " << static_cast<int>(raw_fdatasync_per_second(root)) << "/s\n";

  asio::io_context io;
  auto work = asio::make_work_guard(io);
  asio::thread_pool image_thread(1);  // compaction images, off the io threads
  Bus bus;
  std::map<NodeId, Replica> replicas;
  kahuna::LoadedPlugin plugin;
  if (auto s = kahuna::LoadedPlugin::open(
          kahuna::plugin_file_path(KAHUNA_BUILD_PLUGIN_DIR, kahuna::PluginKind::kStorage, engine_name),
          kahuna::PluginKind::kStorage, plugin);
      !s) {
    std::cerr << s.to_string() << "\n";
    return 1;
  }
  for (NodeId id = 1; id <= 3; ++id) {
    Replica& replica = replicas[id];
    const fs::path dir = root / std::to_string(id);
    fs::create_directories(dir);
    if (auto s = plugin.create(kahuna::PluginContext{nullptr, dir.string()}, replica.engine); !s) {
      std::cerr << s.to_string() << "\n";
      return 1;
    }
    replica.log_writer = std::make_unique<kahuna::LogWriter>(*replica.engine);
    replica.snapshot_files = std::make_unique<kahuna::SnapshotFiles>(dir / "snapshots");
    if (auto s = replica.snapshot_files->prepare(); !s) {
      std::cerr << s.to_string() << "\n";
      return 1;
    }
    for (std::uint32_t g = 0; g < group_count; ++g) {
      auto group = std::make_unique<Group>();
      std::unique_ptr<kahuna::EngineLogStorage> log;
      if (auto s = kahuna::EngineLogStorage::open(*replica.engine, g, {{1, 2, 3}, {}},
                                                  *replica.snapshot_files, log);
          !s) {
        std::cerr << s.to_string() << "\n";
        return 1;
      }
      group->storage = std::make_unique<kahuna::DurableNodeStorage>(
          std::move(log), *replica.log_writer, *replica.snapshot_files, image_thread.get_executor());
      kahuna::raft::Node::Options options;
      options.core.id = id;
      options.core.random_seed = id * 1000 + g;
      options.core.max_inflight_appends = 256;
      options.core.async_storage_writes = !in_order;
      options.tick_interval = std::chrono::milliseconds(50);
      group->node = std::make_unique<kahuna::raft::Node>(io.get_executor(), g, options, *group->storage,
                                                         group->state_machine, bus);
      replica.groups.push_back(std::move(group));
    }
    bus.replicas[id] = &replica;
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back([&io] { io.run(); });
  for (auto& [id, replica] : replicas) {
    for (auto& group : replica.groups) group->node->start();
  }
  // Leaders spread over the replicas, as the server balances them.
  std::vector<kahuna::raft::Node*> leaders;
  for (std::uint32_t g = 0; g < group_count; ++g) {
    Replica& owner = replicas[g % 3 + 1];
    owner.groups[g]->node->campaign();
    while (owner.groups[g]->node->status().role != kahuna::raft::Role::kLeader) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    leaders.push_back(owner.groups[g]->node.get());
  }
  auto total_syncs = [&] {
    std::uint64_t syncs = 0;
    for (auto& [id, replica] : replicas) syncs += replica.log_writer->stats().synced_commits.load();
    return syncs;
  };

  std::cout << "engine " << engine_name << ", " << group_count
            << " groups x 3 replicas in one process, leaders spread, fsync on, 2 io threads\n";
  std::cout << "proposers  commits/s  p50_ms  p99_ms  fsyncs/commit(3 replicas)\n";
  const std::string payload(128, 'p');
  for (int proposers : {1, 64, 512}) {
    std::atomic<bool> running{true};
    std::mutex latencies_mutex;
    std::vector<double> latencies;
    std::atomic<std::uint64_t> committed{0};
    std::atomic<int> finished{0};
    const std::uint64_t syncs_before = total_syncs();
    const auto start = Clock::now();
    for (int p = 0; p < proposers; ++p) {
      asio::co_spawn(
          io,
          [&, p]() -> asio::awaitable<void> {
            kahuna::raft::Node& leader = *leaders[static_cast<std::size_t>(p) % leaders.size()];
            std::vector<double> mine;
            while (running) {
              const auto sent = Clock::now();
              auto outcome = co_await leader.propose(payload, sent + std::chrono::seconds(10));
              if (outcome.result != kahuna::raft::NodeResult::kOk) continue;
              mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
              committed.fetch_add(1);
            }
            std::lock_guard lock(latencies_mutex);
            latencies.insert(latencies.end(), mine.begin(), mine.end());
            finished.fetch_add(1);
          },
          asio::detached);
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    running = false;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const std::uint64_t count = committed.load();
    const std::uint64_t syncs = total_syncs() - syncs_before;
    while (finished.load() < proposers) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::sort(latencies.begin(), latencies.end());
    auto percentile = [&](double q) {
      return latencies.empty() ? 0.0 : latencies[static_cast<std::size_t>(q * (latencies.size() - 1))];
    };
    std::printf("%9d  %9.0f  %6.2f  %6.2f  %.3f\n", proposers, count / elapsed, percentile(0.5),
                percentile(0.99), count == 0 ? 0.0 : static_cast<double>(syncs) / static_cast<double>(count));
  }

  for (auto& [id, replica] : replicas) {
    for (auto& group : replica.groups) group->node->stop();
  }
  for (auto& [id, replica] : replicas) {
    for (auto& group : replica.groups)
      asio::co_spawn(io, group->node->wait_stopped(), asio::use_future).get();
  }
  work.reset();
  for (auto& thread : threads) thread.join();
  for (auto& [id, replica] : replicas) replica.log_writer->stop();
  replicas.clear();
  fs::remove_all(root);
  return 0;
}
