// LinkProxy in front of an echo server: pass, drop, hang and slow per direction.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <asio/executor_work_guard.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include "link_proxy.h"

namespace kahuna::faults {
namespace {

using asio::ip::tcp;

// Echoes every connection on a thread of its own until destroyed. The
// connection threads are joined before the io_context their sockets belong
// to goes away.
class EchoServer {
 public:
  EchoServer() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this] {
      for (;;) {
        auto socket = std::make_shared<tcp::socket>(io_);
        std::error_code error;
        acceptor_.accept(*socket, error);
        if (error) return;
        std::lock_guard lock(mutex_);
        sockets_.push_back(socket);
        connections_.emplace_back([socket] {
          char buffer[1024];
          std::error_code e;
          for (;;) {
            const std::size_t n = socket->read_some(asio::buffer(buffer), e);
            if (e) return;
            asio::write(*socket, asio::buffer(buffer, n), e);
            if (e) return;
          }
        });
      }
    });
  }
  ~EchoServer() {
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    thread_.join();
    for (auto& socket : sockets_) ::shutdown(socket->native_handle(), SHUT_RDWR);
    for (auto& connection : connections_) connection.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<tcp::socket>> sockets_;
  std::vector<std::thread> connections_;
};

class LinkProxyTest : public ::testing::Test {
 protected:
  LinkProxyTest() : work_(asio::make_work_guard(io_)), proxy_(io_, 0, echo_.port()) {
    thread_ = std::thread([this] { io_.run(); });
  }
  ~LinkProxyTest() override {
    work_.reset();
    io_.stop();
    thread_.join();
  }

  // Connects through the proxy; sends `text` and returns what comes back
  // within `wait` ("" when nothing, "<closed>" when the connection closed).
  std::string round_trip(tcp::socket& socket, const std::string& text, std::chrono::milliseconds wait) {
    std::error_code error;
    asio::write(socket, asio::buffer(text), error);
    if (error) return "<closed>";
    return receive(socket, text.size(), wait);
  }
  std::string receive(tcp::socket& socket, std::size_t size, std::chrono::milliseconds wait) {
    const auto until = std::chrono::steady_clock::now() + wait;
    std::string received;
    socket.non_blocking(true);
    while (received.size() < size && std::chrono::steady_clock::now() < until) {
      char buffer[256];
      std::error_code error;
      const std::size_t n = socket.read_some(asio::buffer(buffer), error);
      if (error == asio::error::would_block) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      if (error) return "<closed>";
      received.append(buffer, n);
    }
    return received;
  }
  tcp::socket connect() {
    tcp::socket socket(client_io_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), proxy_.port()));
    return socket;
  }

  EchoServer echo_;
  asio::io_context io_;
  asio::io_context client_io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  LinkProxy proxy_;
  std::thread thread_;
};

TEST_F(LinkProxyTest, PassesBytesBothWays) {
  auto socket = connect();
  EXPECT_EQ(round_trip(socket, "hello", std::chrono::seconds(2)), "hello");
  EXPECT_EQ(proxy_.connections_accepted(), 1u);
}

TEST_F(LinkProxyTest, DropClosesConnectionsAndRefusesNewOnesUntilHealed) {
  auto socket = connect();
  ASSERT_EQ(round_trip(socket, "a", std::chrono::seconds(2)), "a");
  proxy_.set_mode(LinkDirection::kBackward, LinkMode::kDrop);
  EXPECT_EQ(receive(socket, 1, std::chrono::seconds(2)), "<closed>");
  auto refused = connect();
  EXPECT_EQ(receive(refused, 1, std::chrono::seconds(2)), "<closed>");
  proxy_.set_mode(LinkDirection::kBackward, LinkMode::kPass);
  auto healed = connect();
  EXPECT_EQ(round_trip(healed, "b", std::chrono::seconds(2)), "b");
}

TEST_F(LinkProxyTest, HangHoldsOneDirectionAndDeliversLateOnceItPasses) {
  auto socket = connect();
  ASSERT_EQ(round_trip(socket, "a", std::chrono::seconds(2)), "a");
  proxy_.set_mode(LinkDirection::kForward, LinkMode::kHang);
  EXPECT_EQ(round_trip(socket, "held", std::chrono::milliseconds(300)), "");
  proxy_.set_mode(LinkDirection::kForward, LinkMode::kPass);
  EXPECT_EQ(receive(socket, 4, std::chrono::seconds(2)), "held");
  // Hanging the answers only: the echo server gets the bytes, we do not.
  proxy_.set_mode(LinkDirection::kBackward, LinkMode::kHang);
  EXPECT_EQ(round_trip(socket, "back", std::chrono::milliseconds(300)), "");
  proxy_.set_mode(LinkDirection::kBackward, LinkMode::kPass);
  EXPECT_EQ(receive(socket, 4, std::chrono::seconds(2)), "back");
}

TEST_F(LinkProxyTest, SlowDelaysEachChunkAndKeepsTheBytesInOrder) {
  auto socket = connect();
  ASSERT_EQ(round_trip(socket, "a", std::chrono::seconds(2)), "a");
  proxy_.set_mode(LinkDirection::kForward, LinkMode::kSlow, std::chrono::milliseconds(300));
  const auto sent = std::chrono::steady_clock::now();
  // Separate writes, so the proxy reads separate chunks; all must arrive
  // late, whole and in order.
  std::string expected;
  for (int i = 0; i < 20; ++i) {
    const std::string part = "part" + std::to_string(i) + ";";
    asio::write(socket, asio::buffer(part));
    expected += part;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(receive(socket, expected.size(), std::chrono::milliseconds(200)), "");
  const std::string late = receive(socket, expected.size(), std::chrono::seconds(2));
  const auto arrived = std::chrono::steady_clock::now() - sent;
  EXPECT_EQ(late, expected);
  EXPECT_GE(arrived, std::chrono::milliseconds(300));
  // The delay is a latency, not a throughput cap: twenty chunks took about
  // one delay, not twenty.
  EXPECT_LT(arrived, std::chrono::milliseconds(1500));

  // Back to pass: at once again. Then the answers only are slow.
  proxy_.set_mode(LinkDirection::kForward, LinkMode::kPass);
  EXPECT_EQ(round_trip(socket, "fast", std::chrono::milliseconds(200)), "fast");
  proxy_.set_mode(LinkDirection::kBackward, LinkMode::kSlow, std::chrono::milliseconds(300));
  EXPECT_EQ(round_trip(socket, "back", std::chrono::milliseconds(150)), "");
  EXPECT_EQ(receive(socket, 4, std::chrono::seconds(2)), "back");
}

TEST_F(LinkProxyTest, SlowToPassKeepsTheDelayedBytesFirst) {
  auto socket = connect();
  ASSERT_EQ(round_trip(socket, "a", std::chrono::seconds(2)), "a");
  proxy_.set_mode(LinkDirection::kForward, LinkMode::kSlow, std::chrono::milliseconds(300));
  asio::write(socket, asio::buffer(std::string("first;")));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  proxy_.set_mode(LinkDirection::kForward, LinkMode::kPass);
  asio::write(socket, asio::buffer(std::string("second;")));
  EXPECT_EQ(receive(socket, 13, std::chrono::seconds(2)), "first;second;");
}

}  // namespace
}  // namespace kahuna::faults
