// The peer transport over real sockets on 127.0.0.1.
#include "transport/peer_transport.h"

#include <map>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include "transport/peer_frame.h"

namespace kahuna {
namespace {

using namespace std::chrono_literals;
using asio::ip::tcp;

std::uint16_t free_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

// What one node received: per (from, group), the payloads in order.
struct Inbox {
  std::mutex mutex;
  std::map<std::pair<std::uint64_t, std::uint32_t>, std::vector<std::string>> received;
  std::size_t total = 0;

  void add(std::uint64_t from, std::uint32_t group, std::string payload) {
    std::lock_guard lock(mutex);
    received[{from, group}].push_back(std::move(payload));
    ++total;
  }
  std::size_t count() {
    std::lock_guard lock(mutex);
    return total;
  }
};

// One node: an io_context on its own thread and a transport.
class Node {
 public:
  Node(std::uint64_t id, const std::vector<PeerConfig>& peers, PeerTransport::Options options = {})
      : transport_(
            io_, id, peers,
            [this](auto from, auto group, std::string payload) {
              inbox.add(from, group, std::move(payload));
            },
            options) {}
  ~Node() { shut_down(); }

  Status start() {
    Status status = transport_.start();
    thread_ = std::thread([this] { io_.run(); });
    return status;
  }
  void shut_down() {
    if (!thread_.joinable()) return;
    transport_.stop();
    work_.reset();
    thread_.join();
  }
  PeerTransport& transport() { return transport_; }
  Inbox inbox;

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  PeerTransport transport_;
  std::thread thread_;
};

std::vector<PeerConfig> three_peers() {
  std::vector<PeerConfig> peers;
  for (std::uint64_t id = 1; id <= 3; ++id) peers.push_back({id, HostPort{"127.0.0.1", free_port()}, {}});
  return peers;
}

template <class Predicate>
bool eventually(Predicate predicate, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

TEST(PeerTransport, EveryNodeReachesEveryOtherInOrderPerGroup) {
  const auto peers = three_peers();
  std::vector<std::unique_ptr<Node>> nodes;
  for (std::uint64_t id = 1; id <= 3; ++id) nodes.push_back(std::make_unique<Node>(id, peers));
  for (auto& node : nodes) ASSERT_TRUE(node->start());
  for (std::uint64_t a = 1; a <= 3; ++a) {
    for (std::uint64_t b = 1; b <= 3; ++b) {
      if (a == b) continue;
      ASSERT_TRUE(eventually([&] { return nodes[a - 1]->transport().connected(b); })) << a << "->" << b;
    }
  }

  constexpr int kGroups = 32;
  constexpr int kPerGroup = 200;
  for (int i = 0; i < kPerGroup; ++i) {
    for (std::uint32_t group = 0; group < kGroups; ++group) {
      for (std::uint64_t from = 1; from <= 3; ++from) {
        for (std::uint64_t to = 1; to <= 3; ++to) {
          if (from == to) continue;
          ASSERT_TRUE(
              nodes[from - 1]->transport().send(to, group, std::to_string(from) + ":" + std::to_string(i)));
        }
      }
    }
  }
  for (auto& node : nodes) {
    ASSERT_TRUE(eventually([&] { return node->inbox.count() == 2u * kGroups * kPerGroup; }))
        << node->inbox.count();
  }
  for (auto& node : nodes) {
    for (auto& [key, payloads] : node->inbox.received) {
      ASSERT_EQ(payloads.size(), static_cast<std::size_t>(kPerGroup));
      for (int i = 0; i < kPerGroup; ++i)
        EXPECT_EQ(payloads[i], std::to_string(key.first) + ":" + std::to_string(i));
    }
  }
  // Batching: far fewer socket writes than frames.
  EXPECT_LT(nodes[0]->transport().stats().writes.load(), nodes[0]->transport().stats().frames_sent.load());
}

TEST(PeerTransport, ARestartedPeerIsRedialledAndReceivesAgain) {
  const auto peers = three_peers();
  Node one(1, peers);
  ASSERT_TRUE(one.start());
  auto two = std::make_unique<Node>(2, peers);
  ASSERT_TRUE(two->start());
  ASSERT_TRUE(eventually([&] { return one.transport().connected(2); }));
  ASSERT_TRUE(one.transport().send(2, 7, "before"));
  ASSERT_TRUE(eventually([&] { return two->inbox.count() == 1; }));

  two.reset();  // node 2 goes away
  ASSERT_TRUE(eventually([&] { return !one.transport().connected(2); }));
  two = std::make_unique<Node>(2, peers);
  ASSERT_TRUE(two->start());
  ASSERT_TRUE(eventually([&] { return one.transport().connected(2) && two->transport().connected(1); }));
  ASSERT_TRUE(one.transport().send(2, 7, "after"));
  ASSERT_TRUE(two->transport().send(1, 9, "back"));
  ASSERT_TRUE(eventually([&] { return two->inbox.count() >= 1 && one.inbox.count() == 1; }));
  EXPECT_EQ(one.inbox.received[std::make_pair(2ul, 9u)], std::vector<std::string>{"back"});
}

TEST(PeerTransport, AQueueForAnUnreachablePeerIsBounded) {
  const auto peers = three_peers();
  PeerTransport::Options options;
  options.max_queue_bytes = 64 * 1024;
  Node one(1, peers, options);  // nodes 2 and 3 never start
  ASSERT_TRUE(one.start());
  int accepted = 0;
  for (int i = 0; i < 1000; ++i) accepted += one.transport().send(2, 0, std::string(1000, 'x')) ? 1 : 0;
  // Each frame costs its payload plus an 8-byte header.
  EXPECT_EQ(accepted, static_cast<int>(options.max_queue_bytes / (1000 + peer_wire::kFrameHeaderSize)));
  EXPECT_EQ(one.transport().stats().frames_dropped.load(), static_cast<std::uint64_t>(1000 - accepted));
  EXPECT_FALSE(one.transport().send(42, 0, "to a node that is not a peer"));
}

// Garbage, a wrong hello, an oversized frame and a silent connection on the
// peer port are each refused, and the real peers keep talking throughout.
TEST(PeerTransport, BadConnectionsAreRefusedWithoutDisturbingPeers) {
  const auto peers = three_peers();
  PeerTransport::Options options;
  options.max_frame_bytes = 1024;
  options.handshake_timeout = 300ms;
  Node one(1, peers, options);
  Node two(2, peers, options);
  ASSERT_TRUE(one.start());
  ASSERT_TRUE(two.start());
  ASSERT_TRUE(eventually([&] { return two.transport().connected(1); }));

  asio::io_context io;
  const tcp::endpoint target(asio::ip::make_address("127.0.0.1"), peers[1].address.port);
  auto expect_closed = [&](const std::string& bytes) {
    tcp::socket socket(io);
    socket.connect(target);
    if (!bytes.empty()) asio::write(socket, asio::buffer(bytes));
    char byte;
    std::error_code error;
    asio::read(socket, asio::buffer(&byte, 1), error);  // returns when node 2 closes it
    EXPECT_TRUE(error == asio::error::eof || error == asio::error::connection_reset) << error.message();
  };
  const std::uint64_t refused_before = two.transport().stats().connections_refused.load();
  expect_closed(std::string(64, '\xAB'));                               // garbage
  expect_closed(peer_wire::encode_hello({peer_wire::kVersion, 1, 3}));  // hello for node 3
  expect_closed(peer_wire::encode_hello({99, 1, 2}));                   // unknown version
  expect_closed(peer_wire::encode_hello({peer_wire::kVersion, 3, 2}));  // 3 must not dial 2
  expect_closed("");                                                    // silent
  EXPECT_EQ(two.transport().stats().connections_refused.load(), refused_before + 5);

  // A well-formed hello from node 1 followed by an oversized frame replaces
  // node 1's connection, then is closed for the frame; node 1 redials.
  expect_closed(peer_wire::encode_hello({peer_wire::kVersion, 1, 2}) +
                peer_wire::encode_frame(0, std::string(2048, 'y')));
  ASSERT_TRUE(eventually([&] { return one.transport().connected(2) && two.transport().connected(1); }));
  ASSERT_TRUE(eventually([&] {
    one.transport().send(2, 5, "still here");
    return two.inbox.count() > 0;
  }));
  EXPECT_EQ(two.inbox.received[std::make_pair(1ul, 5u)].front(), "still here");
}

TEST(PeerTransport, ListeningOnAPortInUseIsAClearError) {
  asio::io_context io;
  tcp::acceptor taken(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const std::vector<PeerConfig> peers = {{1, HostPort{"127.0.0.1", taken.local_endpoint().port()}, {}}};
  PeerTransport transport(io, 1, peers, [](auto, auto, std::string) {});
  const Status status = transport.start();
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_NE(status.message().find("cannot listen for peers on 127.0.0.1:"), std::string::npos)
      << status.message();
}

}  // namespace
}  // namespace kahuna
