// kahuna-bench against a real single-node kahuna server: each workload runs
// for about two seconds and its JSON report (--json -) must show answered
// requests and no failures. Each test starts its own server (ctest runs each
// test in its own process), on free ports and a fresh data directory.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "support/child_process.h"

namespace kahuna::bench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using kahuna::testing::ChildProcess;

std::uint16_t free_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  return acceptor.local_endpoint().port();
}

bool accepts_connections(std::uint16_t port) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  std::error_code error;
  socket.connect(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), port), error);
  return !error;
}

std::string read_file(const fs::path& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// One kahuna node with the binary protocol (and HTTP when its plugin is built).
class SingleServer {
 public:
  explicit SingleServer(const std::string& name) {
    dir_ = fs::temp_directory_path() / ("kahuna-bench-test-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    binary_port_ = free_port();
    http_port_ = free_port();
    std::ofstream(dir_ / "node.toml")
        << "[node]\nid = 1\ndata_dir = \"" << (dir_ / "data").string() << "\"\n\n[log]\nlevel = \"info\"\n\n"
        << "[cluster]\npartitions = 4\n\n[raft]\ntick_ms = 50\n\n[storage]\nplugin = \"rocksdb\"\n\n"
        << "[[protocol]]\nplugin = \"binary\"\nlisten = \"127.0.0.1:" << binary_port_ << "\"\n"
#ifdef KAHUNA_BENCH_TEST_HTTP
        << "\n[[protocol]]\nplugin = \"http\"\nlisten = \"127.0.0.1:" << http_port_ << "\"\n"
#endif
        ;
    // Through a shell that execs the server, so its output goes to a file
    // nobody has to drain; setpriv kills it if the test dies first.
    const std::string command = "exec setpriv --pdeathsig KILL -- '" + std::string(KAHUNA_BINARY) +
                                "' --config '" + (dir_ / "node.toml").string() + "' >> '" +
                                (dir_ / "node.log").string() + "' 2>&1";
    process_ = std::make_unique<ChildProcess>("/bin/sh", std::vector<std::string>{"-c", command}, dir_);
  }
  ~SingleServer() {
    process_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  bool wait_ready(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (log().find("ready") == std::string::npos || !accepts_connections(binary_port_)) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(50ms);
    }
    return true;
  }

  std::string binary_endpoint() const { return "127.0.0.1:" + std::to_string(binary_port_); }
  std::string http_endpoint() const { return "127.0.0.1:" + std::to_string(http_port_); }
  std::string log() const { return read_file(dir_ / "node.log"); }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
  std::uint16_t binary_port_ = 0;
  std::uint16_t http_port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

struct BenchRun {
  std::optional<int> exit_code;
  std::string json;  // stdout
  std::string log;   // stderr: the human summary and notes
};

// Runs kahuna-bench with `arguments` plus --json -, stdout and stderr apart.
BenchRun run_bench(const fs::path& dir, const std::vector<std::string>& arguments) {
  std::string command = "exec '" + std::string(KAHUNA_BENCH_BINARY) + "'";
  for (const std::string& argument : arguments) command += " '" + argument + "'";
  command += " --json - 2> '" + (dir / "bench.err").string() + "'";
  ChildProcess bench("/bin/sh", {"-c", command}, dir);
  BenchRun run;
  run.exit_code = bench.wait_for_exit(60s);
  run.json = bench.output();
  run.log = read_file(dir / "bench.err");
  return run;
}

class BenchEndToEnd : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(BenchEndToEnd, RunsWithoutErrors) {
  const std::vector<std::string> workload = GetParam();
  const bool http = std::find(workload.begin(), workload.end(), "http") != workload.end();
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::replace(name.begin(), name.end(), '/', '-');
  SingleServer server(name);
  ASSERT_TRUE(server.wait_ready(30s)) << server.log();

  std::vector<std::string> arguments = workload;
  for (const char* common :
       {"--duration", "2", "--warmup", "0.2", "--clients", "4", "--timeout-ms", "5000"}) {
    arguments.push_back(common);
  }
  arguments.push_back("--endpoints");
  arguments.push_back(http ? server.http_endpoint() : server.binary_endpoint());
  const BenchRun run = run_bench(server.dir(), arguments);
  ASSERT_TRUE(run.exit_code.has_value()) << "kahuna-bench did not finish\n" << run.log;
  EXPECT_EQ(*run.exit_code, 0) << run.log << run.json;

  rapidjson::Document report;
  report.Parse(run.json.c_str());
  ASSERT_FALSE(report.HasParseError()) << run.json << run.log;
  ASSERT_TRUE(report.IsObject());
  EXPECT_EQ(std::string(report["workload"].GetString()), workload.front());
  const auto& requests = report["requests"];
  EXPECT_GT(requests["ok"].GetUint64(), 0u) << run.json;
  EXPECT_EQ(requests["errors"].GetUint64(), 0u) << run.json;
  EXPECT_GT(report["throughput_rps"].GetDouble(), 0) << run.json;
  const auto& latency = report["latency_ms"];
  EXPECT_EQ(latency["count"].GetUint64(), requests["ok"].GetUint64());
  EXPECT_LE(latency["p50"].GetDouble(), latency["p99"].GetDouble());
  EXPECT_LE(latency["p99"].GetDouble(), latency["max"].GetDouble());
  if (workload.front() == "sequence") {
    EXPECT_GE(report["values"].GetUint64(), requests["ok"].GetUint64());
  }
  // The summary went to stderr, keeping stdout one JSON document.
  EXPECT_NE(run.log.find("throughput"), std::string::npos) << run.log;
}

std::string test_name(const ::testing::TestParamInfo<std::vector<std::string>>& info) {
  std::string name;
  for (const std::string& word : info.param) {
    for (char c : word) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    name += '_';
  }
  name.pop_back();
  return name;
}

INSTANTIATE_TEST_SUITE_P(Binary, BenchEndToEnd,
                         ::testing::Values(std::vector<std::string>{"set"},
                                           std::vector<std::string>{"get", "--keys", "500"},
                                           std::vector<std::string>{"lock"},
                                           std::vector<std::string>{"sequence", "--idempotency", "none"},
                                           std::vector<std::string>{"sequence", "--reserve", "10"}),
                         test_name);

// The open loop, with a request count instead of a duration.
TEST(BenchEndToEndOpenLoop, ServesTheRequestedCount) {
  SingleServer server("open-loop");
  ASSERT_TRUE(server.wait_ready(30s)) << server.log();
  const BenchRun run = run_bench(server.dir(), {"sequence", "--rate", "500", "--requests", "400", "--warmup",
                                                "0", "--endpoints", server.binary_endpoint()});
  ASSERT_TRUE(run.exit_code.has_value()) << run.log;
  EXPECT_EQ(*run.exit_code, 0) << run.log;
  rapidjson::Document report;
  report.Parse(run.json.c_str());
  ASSERT_FALSE(report.HasParseError()) << run.json << run.log;
  EXPECT_EQ(std::string(report["loop"].GetString()), "open");
  EXPECT_EQ(report["requests"]["ok"].GetUint64(), 400u) << run.json;
  // 400 requests due over 0.8 s.
  EXPECT_GE(report["elapsed_s"].GetDouble(), 0.7) << run.json;
}

// Ctrl-C in the middle of a long run: it stops sending, waits for the
// requests in flight, prints what it measured and exits 130.
TEST(BenchEndToEndInterrupt, SigintEndsTheRunWithAPartialReport) {
  SingleServer server("interrupt");
  ASSERT_TRUE(server.wait_ready(30s)) << server.log();
  const std::string command = "exec '" + std::string(KAHUNA_BENCH_BINARY) +
                              "' set --duration 600 --warmup 0 --clients 4 --endpoints " +
                              server.binary_endpoint() + " --json - 2> '" +
                              (server.dir() / "bench.err").string() + "'";
  ChildProcess bench("/bin/sh", {"-c", command}, server.dir());
  std::this_thread::sleep_for(2s);
  const auto interrupted_at = std::chrono::steady_clock::now();
  bench.send_signal(SIGINT);
  const std::optional<int> exit_code = bench.wait_for_exit(20s);
  ASSERT_TRUE(exit_code.has_value()) << "kahuna-bench did not stop on SIGINT";
  EXPECT_LT(std::chrono::steady_clock::now() - interrupted_at, 10s);
  EXPECT_EQ(*exit_code, 130);
  rapidjson::Document report;
  report.Parse(bench.output().c_str());
  ASSERT_FALSE(report.HasParseError()) << bench.output() << read_file(server.dir() / "bench.err");
  EXPECT_TRUE(report["interrupted"].GetBool());
  EXPECT_GT(report["requests"]["ok"].GetUint64(), 0u);
  EXPECT_EQ(report["requests"]["errors"].GetUint64(), 0u);
  EXPECT_LT(report["elapsed_s"].GetDouble(), 60.0);
  EXPECT_NE(read_file(server.dir() / "bench.err").find("interrupted"), std::string::npos);
}

// Nothing listens: the run reports the setup failure and exits 1.
// A directory of its own for a test that needs no server.
fs::path scratch_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("kahuna-bench-test-" + std::to_string(::getpid()) + "-" + name);
  fs::create_directories(dir);
  return dir;
}

TEST(BenchEndToEndUnreachable, ExitsOne) {
  const fs::path dir = scratch_dir("unreachable");
  const std::string endpoint = "127.0.0.1:" + std::to_string(free_port());
  const BenchRun run =
      run_bench(dir, {"set", "--endpoints", endpoint, "--timeout-ms", "300", "--duration", "1"});
  ASSERT_TRUE(run.exit_code.has_value());
  EXPECT_EQ(*run.exit_code, 1) << run.log;
  EXPECT_NE(run.log.find("does not answer"), std::string::npos) << run.log;
  fs::remove_all(dir);
}

// A wrong command line exits 2 before dialling anything.
TEST(BenchEndToEndUsage, BadArgumentsExitTwo) {
  const fs::path dir = scratch_dir("usage");
  const BenchRun run = run_bench(dir, {"lock", "--reserve", "3"});
  ASSERT_TRUE(run.exit_code.has_value());
  EXPECT_EQ(*run.exit_code, 2);
  EXPECT_NE(run.log.find("--reserve"), std::string::npos) << run.log;
  EXPECT_TRUE(run.json.empty()) << run.json;
  fs::remove_all(dir);
}

#ifdef KAHUNA_BENCH_TEST_HTTP
INSTANTIATE_TEST_SUITE_P(Http, BenchEndToEnd,
                         ::testing::Values(std::vector<std::string>{"mixed", "--protocol", "http", "--keys",
                                                                    "500"},
                                           std::vector<std::string>{"lock", "--protocol", "http"}),
                         test_name);
#endif

}  // namespace
}  // namespace kahuna::bench
