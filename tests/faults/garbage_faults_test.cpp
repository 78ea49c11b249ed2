// Garbage at the edges: while clients run the register workload, a nemesis
// throws malformed, truncated, oversized and slow traffic at every node's
// binary, HTTP and peer ports (garbage_nemesis.h). The history must stay
// linearizable, and every node must still be running and serving both
// protocols afterwards.
#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include "fault_run.h"
#include "garbage_nemesis.h"
#include "register_faults.h"

namespace kahuna::faults {
namespace {

// "GET /health" over plain TCP; true on a 200.
bool http_healthy(const std::string& endpoint) {
  const std::string host_port = endpoint.substr(endpoint.find("//") + 2);
  const auto colon = host_port.rfind(':');
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  std::error_code error;
  socket.connect(asio::ip::tcp::endpoint(asio::ip::make_address(host_port.substr(0, colon)),
                                         static_cast<std::uint16_t>(std::stoi(host_port.substr(colon + 1)))),
                 error);
  if (error) return false;
  const std::string request = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  asio::write(socket, asio::buffer(request), error);
  if (error) return false;
  std::string reply;
  char buffer[1024];
  for (;;) {
    const std::size_t n = socket.read_some(asio::buffer(buffer), error);
    reply.append(buffer, n);
    if (error) break;
  }
  return reply.starts_with("HTTP/1.1 200");
}

TEST(GarbageFaults, LinearizableAndServingWhileGarbageHitsEveryPort) {
  testing::ClusterOptions options{3, kPartitions};
  options.http = KAHUNA_FAULTS_WITH_HTTP;
  FaultRun run(options);
  run.start();
  History<RegisterOp> history;
  GarbageNemesis garbage(run.cluster, run.seed + 7);
  run.workload([&](const ProcessContext& c,
                   const std::atomic<bool>& s) { run_register_process(c, kKeys, s, history); },
               [&] {
                 const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
                 while (std::chrono::steady_clock::now() < until) {
                   garbage.burst();
                   sleep_ms(run.random, 200, 500);
                 }
                 garbage.release();
                 sleep_ms(run.random, 500, 1000);
               });
  std::cout << "[ nemesis  ] " << garbage.total() << " garbage connections:";
  for (const auto& [kind, count] : garbage.counts()) std::cout << " " << kind << "=" << count << ";";
  std::cout << std::endl;
  for (int id = 1; id <= run.cluster.size(); ++id) {
    ASSERT_FALSE(run.cluster.crashed(id))
        << "node " << id << " died under garbage (seed " << run.seed << "):\n"
        << run.cluster.output(id);
  }
  expect_linearizable(run.cluster, history, run.seed);
  // Every node still answers on each protocol itself (a read of its own
  // status, then HTTP health).
  for (int id = 1; id <= run.cluster.size(); ++id) {
    EXPECT_TRUE(testing::eventually([&] { return !run.admin.status(id).partitions.empty(); },
                                    std::chrono::seconds(10)))
        << "node " << id << " no longer serves the binary protocol (seed " << run.seed << ")";
    if (options.http) {
      EXPECT_TRUE(testing::eventually([&] { return http_healthy(run.cluster.http_endpoint(id)); },
                                      std::chrono::seconds(10)))
          << "node " << id << " no longer serves HTTP (seed " << run.seed << ")";
    }
    EXPECT_FALSE(run.cluster.crashed(id)) << "node " << id << " died (seed " << run.seed << "):\n"
                                          << run.cluster.output(id);
  }
}

}  // namespace
}  // namespace kahuna::faults
