// A one-node kernel in the test process: a real storage engine, log writer,
// Raft groups and Kernel, with io threads, driven through KernelApi.
#pragma once

#include <filesystem>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>

#include <kahuna/plugin_loader.h>

#include "api/kernel.h"
#include "replication/replication_host.h"

namespace kahuna::testing {

class KernelNode {
 public:
  // Opens (or reopens) a node whose data lives in `dir`.
  KernelNode(const std::filesystem::path& dir, const std::string& engine_name, std::uint32_t partitions);
  ~KernelNode();

  Kernel& kernel() { return *kernel_; }
  asio::io_context& io() { return io_; }

  // Runs `operation` on the io threads and waits for its result.
  template <class T>
  T run(asio::awaitable<T> operation) {
    return asio::co_spawn(io_, std::move(operation), asio::use_future).get();
  }

 private:
  Config config_;
  LoadedPlugin plugin_;
  PluginObject<StorageEngine> engine_;
  std::unique_ptr<LogWriter> log_writer_;
  std::unique_ptr<services::HybridClock> clock_;
  services::ServiceOptions options_;
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::unique_ptr<ReplicationHost> host_;
  std::unique_ptr<Kernel> kernel_;
};

// A fresh directory per test, removed afterwards.
class KernelTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  void start(const std::string& engine = "rocksdb");
  void restart();

  std::filesystem::path dir_;
  std::string engine_name_;
  std::unique_ptr<KernelNode> node_;
  Kernel& kernel() { return node_->kernel(); }
  template <class T>
  T run(asio::awaitable<T> operation) {
    return node_->run(std::move(operation));
  }
};

}  // namespace kahuna::testing
