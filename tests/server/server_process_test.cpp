// The kahuna binary as a user runs it: real processes, real signals.
#include <signal.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "support/child_process.h"

namespace kahuna {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::ChildProcess;

class ServerProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kahuna-server-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write_config(const std::string& text) {
    const fs::path file = dir_ / "node.toml";
    std::ofstream(file) << text;
    return file;
  }

  fs::path default_config() const { return fs::path(KAHUNA_SOURCE_DIR) / "conf" / "kahuna.toml"; }

  fs::path dir_;
};

TEST_F(ServerProcessTest, StartsOnTheDefaultConfigAndStopsOnSigtermWithinASecond) {
  ChildProcess server(KAHUNA_BINARY, {"--config", default_config().string()}, dir_);
  ASSERT_TRUE(server.wait_for_output("ready", 30s)) << server.output();
  EXPECT_NE(server.output().find("storage: loaded plugin 'rocksdb'"), std::string::npos) << server.output();
  EXPECT_TRUE(fs::exists(dir_ / "data" / "KAHUNA")) << "the default data directory is ./data";

  const auto asked = std::chrono::steady_clock::now();
  server.send_signal(SIGTERM);
  const auto code = server.wait_for_exit(5s);
  const auto took = std::chrono::steady_clock::now() - asked;
  ASSERT_TRUE(code.has_value()) << "killed by signal " << server.killed_by() << "\n" << server.output();
  EXPECT_EQ(*code, 0) << server.output();
  EXPECT_LT(took, 1s);
  EXPECT_NE(server.output().find("stopped cleanly"), std::string::npos) << server.output();
}

TEST_F(ServerProcessTest, SigintAlsoStopsCleanlyAndTheDataDirectoryIsReusedByBothEngines) {
  for (const char* engine : {"rocksdb", "lmdb"}) {
    const fs::path data = dir_ / engine;
    const fs::path config = write_config("[node]\nid = 3\ndata_dir = \"" + data.string() +
                                         "\"\n[storage]\nplugin = \"" + engine + "\"\n");
    for (int run = 0; run < 2; ++run) {
      ChildProcess server(KAHUNA_BINARY, {"--config", config.string()}, dir_);
      ASSERT_TRUE(server.wait_for_output("ready", 30s)) << engine << " run " << run << "\n"
                                                        << server.output();
      server.send_signal(SIGINT);
      const auto code = server.wait_for_exit(5s);
      ASSERT_TRUE(code.has_value()) << server.output();
      EXPECT_EQ(*code, 0) << server.output();
    }
  }
}

TEST_F(ServerProcessTest, ABadConfigurationExitsWithCode2AndNamesFileAndKey) {
  const fs::path config =
      write_config("[node]\nid = \"one\"\ndata_dir = \"d\"\n[storage]\nplugin = \"rocksdb\"\n");
  ChildProcess server(KAHUNA_BINARY, {"--config", config.string()}, dir_);
  const auto code = server.wait_for_exit(10s);
  ASSERT_TRUE(code.has_value()) << server.output();
  EXPECT_EQ(*code, 2);
  EXPECT_NE(server.output().find(config.string() + ":2:1: node.id: expected an integer, got a string"),
            std::string::npos)
      << server.output();
  EXPECT_FALSE(fs::exists(dir_ / "d")) << "nothing starts before the whole file is valid";
}

TEST_F(ServerProcessTest, AnotherNodesDataDirectoryIsRefused) {
  const fs::path data = dir_ / "data";
  const fs::path first =
      write_config("[node]\nid = 1\ndata_dir = \"" + data.string() + "\"\n[storage]\nplugin = \"rocksdb\"\n");
  {
    ChildProcess server(KAHUNA_BINARY, {"--config", first.string()}, dir_);
    ASSERT_TRUE(server.wait_for_output("ready", 30s)) << server.output();
    server.send_signal(SIGTERM);
    ASSERT_EQ(server.wait_for_exit(5s), 0) << server.output();
  }
  const fs::path second =
      write_config("[node]\nid = 2\ndata_dir = \"" + data.string() + "\"\n[storage]\nplugin = \"lmdb\"\n");
  ChildProcess server(KAHUNA_BINARY, {"--config", second.string()}, dir_);
  const auto code = server.wait_for_exit(10s);
  ASSERT_TRUE(code.has_value()) << server.output();
  EXPECT_EQ(*code, 2);
  EXPECT_NE(server.output().find("belongs to node 1, but this is node 2"), std::string::npos)
      << server.output();
}

TEST_F(ServerProcessTest, VersionHelpAndCheckConfig) {
  {
    ChildProcess server(KAHUNA_BINARY, {"--version"}, dir_);
    EXPECT_EQ(server.wait_for_exit(5s), 0);
    EXPECT_NE(server.output().find("kahuna 0."), std::string::npos) << server.output();
  }
  {
    ChildProcess server(KAHUNA_BINARY, {"--help"}, dir_);
    EXPECT_EQ(server.wait_for_exit(5s), 0);
    EXPECT_NE(server.output().find("--config"), std::string::npos) << server.output();
  }
  {
    ChildProcess server(KAHUNA_BINARY, {"--config", default_config().string(), "--check-config"}, dir_);
    EXPECT_EQ(server.wait_for_exit(5s), 0) << server.output();
    EXPECT_NE(server.output().find("configuration is valid"), std::string::npos) << server.output();
  }
  {
    ChildProcess server(KAHUNA_BINARY, {"--no-such-flag"}, dir_);
    EXPECT_EQ(server.wait_for_exit(5s), 2) << server.output();
  }
  {
    ChildProcess server(KAHUNA_BINARY, {"--config", (dir_ / "absent.toml").string()}, dir_);
    EXPECT_EQ(server.wait_for_exit(5s), 2) << server.output();
    EXPECT_NE(server.output().find("cannot read configuration file"), std::string::npos) << server.output();
  }
}

}  // namespace
}  // namespace kahuna
