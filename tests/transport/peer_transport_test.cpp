// The peer transport over real sockets on 127.0.0.1.
#include "transport/peer_transport.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <gtest/gtest.h>
#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
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
  asio::io_context& io() { return io_; }
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

// --- Membership changes -----------------------------------------------------
//
// These nodes listen on port 0 and learn each other's real port through
// add_peer(): no port is picked before it is bound.

PeerConfig any_port(std::uint64_t id) { return {id, HostPort{"127.0.0.1", 0}, {}}; }

// A started node's entry, as another node adds it.
PeerConfig entry(std::uint64_t id, Node& node) { return {id, node.transport().listen_address(), {}}; }

// Every node of `nodes` (id -> node, all started) adds every other.
void add_each_other(const std::map<std::uint64_t, Node*>& nodes) {
  for (const auto& [id, node] : nodes) {
    for (const auto& [other_id, other] : nodes) {
      if (id != other_id) node->transport().add_peer(entry(other_id, *other));
    }
  }
}

bool delivered(Inbox& inbox, std::uint64_t from, std::uint32_t group, const std::string& payload) {
  std::lock_guard lock(inbox.mutex);
  const auto& payloads = inbox.received[{from, group}];
  return std::find(payloads.begin(), payloads.end(), payload) != payloads.end();
}

// Both directions carry a fresh message: `a` and `b` are connected peers.
void expect_traffic(Node& a, std::uint64_t a_id, Node& b, std::uint64_t b_id, const std::string& tag) {
  ASSERT_TRUE(eventually([&] { return a.transport().connected(b_id) && b.transport().connected(a_id); }))
      << tag;
  ASSERT_TRUE(a.transport().send(b_id, 3, "a:" + tag));
  ASSERT_TRUE(b.transport().send(a_id, 4, "b:" + tag));
  EXPECT_TRUE(eventually([&] { return delivered(b.inbox, a_id, 3, "a:" + tag); })) << tag;
  EXPECT_TRUE(eventually([&] { return delivered(a.inbox, b_id, 4, "b:" + tag); })) << tag;
}

// `first` runs alone (its config names only itself); `second` joins later:
// each learns of the other through add_peer(), `second` before its start().
void join_a_node_started_alone(std::uint64_t first_id, std::uint64_t second_id) {
  Node first(first_id, {any_port(first_id)});
  ASSERT_TRUE(first.start());
  EXPECT_NE(first.transport().listen_address().port, 0);
  EXPECT_TRUE(first.transport().peer_ids().empty());

  Node second(second_id, {any_port(second_id)});
  second.transport().add_peer(entry(first_id, first));
  second.transport().add_peer(entry(first_id, first));  // idempotent
  second.transport().add_peer(any_port(second_id));     // its own id: ignored
  ASSERT_TRUE(second.start());
  first.transport().add_peer(entry(second_id, second));
  EXPECT_EQ(first.transport().peer_ids(), std::vector<std::uint64_t>{second_id});
  EXPECT_EQ(second.transport().peer_ids(), std::vector<std::uint64_t>{first_id});
  expect_traffic(first, first_id, second, second_id, "joined");
}

TEST(PeerTransport, ANodeStartedAloneIsJoinedByAHigherId) { join_a_node_started_alone(1, 2); }

TEST(PeerTransport, ANodeStartedAloneIsJoinedByALowerId) { join_a_node_started_alone(5, 3); }

// A port bound but not listening: every connection to it is refused, and
// nothing else can take it meanwhile.
struct RefusingPort {
  RefusingPort() {
    socket.open(tcp::v4());
    socket.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  }
  std::uint16_t port() const { return socket.local_endpoint().port(); }
  asio::io_context io;
  tcp::socket socket{io};
};

PeerTransport::Options fast_redial() {
  PeerTransport::Options options;
  options.min_backoff = 5ms;
  options.max_backoff = 40ms;
  return options;
}

// Node 2 removes node 1, which dials it: node 1 keeps redialling (it still
// has node 2 as a peer) and each hello is refused, until node 2 adds it back.
TEST(PeerTransport, ARemovedDialingPeerIsRefusedUntilAddedAgain) {
  Node one(1, {any_port(1)}, fast_redial());
  Node two(2, {any_port(2)}, fast_redial());
  ASSERT_TRUE(one.start());
  ASSERT_TRUE(two.start());
  add_each_other({{1, &one}, {2, &two}});
  expect_traffic(one, 1, two, 2, "before");

  const std::uint64_t refused_before = two.transport().stats().connections_refused.load();
  two.transport().remove_peer(1);
  two.transport().remove_peer(1);  // unknown by now: ignored
  EXPECT_TRUE(two.transport().peer_ids().empty());
  EXPECT_FALSE(two.transport().connected(1));
  const std::uint64_t dropped_before = two.transport().stats().frames_dropped.load();
  EXPECT_FALSE(two.transport().send(1, 0, "to a removed peer"));
  EXPECT_EQ(two.transport().stats().frames_dropped.load(), dropped_before + 1);
  ASSERT_TRUE(eventually([&] { return !one.transport().connected(2); }));

  // Node 1 redials and is refused, again and again; nothing it sends arrives.
  const std::size_t received_before = two.inbox.count();
  one.transport().send(2, 3, "while removed");
  ASSERT_TRUE(
      eventually([&] { return two.transport().stats().connections_refused.load() >= refused_before + 3; }));
  for (int i = 0; i < 20; ++i) {
    EXPECT_FALSE(two.transport().connected(1));
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(two.inbox.count(), received_before);

  two.transport().add_peer(entry(1, one));
  EXPECT_EQ(two.transport().peer_ids(), std::vector<std::uint64_t>{1});
  expect_traffic(one, 1, two, 2, "re-added");
}

// Node 1 removes node 2, which it dials: the connection closes and node 1
// stops dialling, so nothing reconnects until node 1 adds node 2 back.
TEST(PeerTransport, ARemovedPeerIsNoLongerDialledUntilAddedAgain) {
  Node one(1, {any_port(1)}, fast_redial());
  Node two(2, {any_port(2)}, fast_redial());
  ASSERT_TRUE(one.start());
  ASSERT_TRUE(two.start());
  add_each_other({{1, &one}, {2, &two}});
  expect_traffic(one, 1, two, 2, "before");

  const std::uint64_t opened_before = one.transport().stats().connections_opened.load();
  one.transport().remove_peer(2);
  EXPECT_FALSE(one.transport().send(2, 0, "to a removed peer"));
  EXPECT_FALSE(one.transport().connected(2));
  ASSERT_TRUE(eventually([&] { return !two.transport().connected(1); }));
  std::this_thread::sleep_for(200ms);  // several backoffs: a live dialler would have reconnected
  EXPECT_FALSE(two.transport().connected(1));
  EXPECT_EQ(one.transport().stats().connections_opened.load(), opened_before);

  one.transport().add_peer(entry(2, two));
  expect_traffic(one, 1, two, 2, "re-added");
}

// Removals, re-additions and address updates while other threads send and
// query: for the sanitizers as much as for the assertions.
TEST(PeerTransport, MembershipChangesRaceWithSendersSafely) {
  Node one(1, {any_port(1)}, fast_redial());
  Node two(2, {any_port(2)}, fast_redial());
  Node three(3, {any_port(3)}, fast_redial());
  ASSERT_TRUE(one.start());
  ASSERT_TRUE(two.start());
  ASSERT_TRUE(three.start());
  add_each_other({{1, &one}, {2, &two}, {3, &three}});

  std::atomic<bool> done{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < 2; ++t) {
    senders.emplace_back([&] {
      while (!done) {
        for (std::uint64_t to : {2u, 3u}) one.transport().send(to, 1, "noise");
        one.transport().connected(2);
        one.transport().peer_ids();
        std::this_thread::sleep_for(20us);
      }
    });
  }
  const RefusingPort refusing;
  const PeerConfig moved{3, HostPort{"127.0.0.1", refusing.port()}, {}};
  for (int i = 0; i < 30; ++i) {
    const std::uint64_t id = 2 + i % 2;
    one.transport().remove_peer(id);
    std::this_thread::sleep_for(2ms);
    one.transport().add_peer(entry(id, id == 2 ? two : three));
    one.transport().add_peer(moved);
    one.transport().add_peer(entry(3, three));
  }
  done = true;
  for (auto& sender : senders) sender.join();
  EXPECT_EQ(one.transport().peer_ids(), (std::vector<std::uint64_t>{2, 3}));
  // Right after the churn a connection may still be replaced (a removed
  // peer's last dial can land after its successor's), losing what was
  // written on it, as any failed connection does: so resend until through.
  for (auto [node, id] : {std::pair{&two, 2u}, std::pair{&three, 3u}}) {
    ASSERT_TRUE(eventually([&] {
      one.transport().send(id, 3, "to");
      node->transport().send(1, 4, "from");
      return delivered(node->inbox, 1, 3, "to") && delivered(one.inbox, id, 4, "from");
    })) << id;
  }
}

// --- Requests from nodes that are not peers ---------------------------------

// Runs one PeerTransport::request() on an io_context of its own.
PeerTransport::RequestResult request(const HostPort& address, std::string payload,
                                     std::chrono::milliseconds timeout, std::uint64_t self = 77) {
  asio::io_context io;
  std::optional<PeerTransport::RequestResult> result;
  asio::co_spawn(io, PeerTransport::request(io.get_executor(), self, address, std::move(payload), timeout),
                 [&](std::exception_ptr error, PeerTransport::RequestResult r) {
                   if (error) std::rethrow_exception(error);
                   result = std::move(r);
                 });
  io.run();
  return std::move(*result);
}

asio::awaitable<std::string> echo(std::uint64_t, std::string request) { co_return request; }

// A node that knows no peer yet answers, after awaiting, a node it does not know.
TEST(PeerTransport, ARequestFromAnUnknownNodeIsAnsweredByANodeAlone) {
  Node one(1, {any_port(1)});
  std::atomic<std::uint64_t> asked_by{0};
  one.transport().set_request_handler(
      [&](std::uint64_t from, std::string request) -> asio::awaitable<std::string> {
        asked_by = from;
        asio::steady_timer timer(co_await asio::this_coro::executor, 100ms);
        co_await timer.async_wait(asio::use_awaitable);  // as if awaiting a Raft proposal
        co_return "welcome " + std::to_string(from) + ": " + request;
      });
  ASSERT_TRUE(one.start());
  const HostPort address = one.transport().listen_address();

  const auto started = std::chrono::steady_clock::now();
  const auto result = request(address, "let me in", 5s, 77);
  ASSERT_TRUE(result.status) << result.status.to_string();
  EXPECT_EQ(result.reply, "welcome 77: let me in");
  EXPECT_EQ(asked_by.load(), 77u);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 100ms);
  EXPECT_EQ(one.transport().stats().connections_refused.load(), 0u);

  // One exchange after another, with a payload far over a socket buffer.
  const std::string large(4u << 20, 'z');
  const auto second = request(address, large, 5s, 78);
  ASSERT_TRUE(second.status) << second.status.to_string();
  EXPECT_EQ(second.reply, "welcome 78: " + large);
}

TEST(PeerTransport, ARequestToANodeWithoutAHandlerFailsCleanly) {
  Node one(1, {any_port(1)});
  Node two(2, {any_port(2)});
  ASSERT_TRUE(one.start());
  ASSERT_TRUE(two.start());
  add_each_other({{1, &one}, {2, &two}});
  expect_traffic(one, 1, two, 2, "before");
  // Counted from here: the peers' own dials while they met may have been
  // refused too (a peer that only accepts from node 1 refuses its dial).
  const std::uint64_t refused_before = two.transport().stats().connections_refused.load();

  const HostPort address = two.transport().listen_address();
  const auto result = request(address, "let me in", 5s);
  EXPECT_EQ(result.status.code(), StatusCode::kIOError);
  EXPECT_NE(result.status.message().find(address.to_string() + " closed the connection without a reply"),
            std::string::npos)
      << result.status.message();
  EXPECT_EQ(two.transport().stats().connections_refused.load() - refused_before, 1u);
  expect_traffic(one, 1, two, 2, "after");
}

TEST(PeerTransport, ARequestWhereNothingListensNamesTheAddress) {
  const RefusingPort refusing;
  const HostPort nowhere{"127.0.0.1", refusing.port()};
  const auto result = request(nowhere, "anyone?", 5s);
  EXPECT_EQ(result.status.code(), StatusCode::kIOError);
  EXPECT_NE(result.status.message().find("cannot connect to " + nowhere.to_string()), std::string::npos)
      << result.status.message();
}

TEST(PeerTransport, ARequestToASilentListenerTimesOut) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const HostPort silent{"127.0.0.1", acceptor.local_endpoint().port()};
  tcp::socket accepted(io);
  acceptor.async_accept(accepted, [](std::error_code) {});  // accepts, then says nothing

  std::optional<PeerTransport::RequestResult> result;
  const auto started = std::chrono::steady_clock::now();
  asio::co_spawn(io, PeerTransport::request(io.get_executor(), 77, silent, "hello?", 300ms),
                 [&](std::exception_ptr, PeerTransport::RequestResult r) { result = std::move(r); });
  io.run();
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(accepted.is_open());
  EXPECT_EQ(result->status.code(), StatusCode::kIOError);
  EXPECT_NE(result->status.message().find("request to " + silent.to_string() + " timed out after 300 ms"),
            std::string::npos)
      << result->status.message();
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 2s);
}

TEST(PeerTransport, AMalformedRequestIsRefused) {
  PeerTransport::Options options;
  options.max_frame_bytes = 1024;
  options.handshake_timeout = 300ms;
  Node one(1, {any_port(1)}, options);
  one.transport().set_request_handler(echo);
  ASSERT_TRUE(one.start());

  asio::io_context io;
  const tcp::endpoint target(asio::ip::make_address("127.0.0.1"), one.transport().listen_address().port);
  // Sends `bytes`, then reads until the node closes: what came back.
  auto exchange = [&](const std::string& bytes) {
    tcp::socket socket(io);
    socket.connect(target);
    asio::write(socket, asio::buffer(bytes));
    std::string reply;
    std::error_code error;
    asio::read(socket, asio::dynamic_buffer(reply), error);
    EXPECT_TRUE(error == asio::error::eof || error == asio::error::connection_reset) << error.message();
    return reply;
  };
  const std::string hello = peer_wire::encode_hello({peer_wire::kVersion, 9, 0});
  EXPECT_EQ(exchange(hello + peer_wire::encode_frame(5, "wrong channel")), "");
  std::string oversized = hello;
  peer_wire::put<std::uint32_t>(oversized, 0xFFFFFF00u);
  peer_wire::put<std::uint32_t>(oversized, peer_wire::kRequestChannel);
  EXPECT_EQ(exchange(oversized), "");
  EXPECT_EQ(exchange(hello), "");  // no request within the handshake timeout
  EXPECT_EQ(exchange(peer_wire::encode_hello({peer_wire::kVersion, 1, 0}) +  // this node's own id
                     peer_wire::encode_frame(peer_wire::kRequestChannel, "me?")),
            "");
  EXPECT_EQ(one.transport().stats().connections_refused.load(), 4u);

  // A well-formed one still works.
  EXPECT_EQ(exchange(hello + peer_wire::encode_frame(peer_wire::kRequestChannel, "echo")),
            peer_wire::encode_frame(peer_wire::kRequestChannel, "echo"));
  EXPECT_EQ(one.transport().stats().connections_refused.load(), 4u);
}

TEST(PeerTransport, AProtocolVersionMismatchIsNamedOnBothSides) {
  // The server side answers a request's foreign hello with its own.
  Node one(1, {any_port(1)});
  one.transport().set_request_handler(echo);
  ASSERT_TRUE(one.start());
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), one.transport().listen_address().port));
  asio::write(socket, asio::buffer(peer_wire::encode_hello({99, 9, 0})));
  char bytes[peer_wire::kHelloSize];
  asio::read(socket, asio::buffer(bytes));
  peer_wire::Hello theirs;
  ASSERT_TRUE(peer_wire::decode_hello(bytes, theirs));
  EXPECT_EQ(theirs.version, peer_wire::kVersion);
  EXPECT_TRUE(eventually([&] { return one.transport().stats().connections_refused.load() == 1; }));

  // The client side names the other version: a fake node answers with a
  // hello of version 99.
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const HostPort fake{"127.0.0.1", acceptor.local_endpoint().port()};
  std::thread server([&] {
    asio::io_context server_io;
    tcp::socket accepted = acceptor.accept(server_io);
    char hello[peer_wire::kHelloSize];
    asio::read(accepted, asio::buffer(hello));
    asio::write(accepted, asio::buffer(peer_wire::encode_hello({99, 5, 77})));
  });
  const auto result = request(fake, "let me in", 5s);
  server.join();
  EXPECT_EQ(result.status.code(), StatusCode::kNotSupported);
  EXPECT_NE(result.status.message().find(fake.to_string() + " speaks peer protocol version 99"),
            std::string::npos)
      << result.status.message();
}

// stop() must not wait for a handler that would take an hour.
TEST(PeerTransport, StopCancelsARequestInProgress) {
  auto one = std::make_unique<Node>(1, std::vector<PeerConfig>{any_port(1)});
  std::atomic<bool> handling{false};
  one->transport().set_request_handler([&](std::uint64_t, std::string) -> asio::awaitable<std::string> {
    handling = true;
    asio::steady_timer timer(co_await asio::this_coro::executor, 1h);
    co_await timer.async_wait(asio::use_awaitable);
    co_return "too late";
  });
  ASSERT_TRUE(one->start());
  const HostPort address = one->transport().listen_address();
  std::optional<PeerTransport::RequestResult> result;
  std::thread requester([&] { result = request(address, "slow", 10s); });
  ASSERT_TRUE(eventually([&] { return handling.load(); }));
  const auto started = std::chrono::steady_clock::now();
  one.reset();  // stop() and join the io thread
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  requester.join();
  ASSERT_TRUE(result.has_value());
  EXPECT_NE(result->status.message().find("closed the connection without a reply"), std::string::npos)
      << result->status.to_string();
}

}  // namespace
}  // namespace kahuna
