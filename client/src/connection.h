// Connection: one TCP connection to one node, carrying many requests at once.
//
// Requests are written as soon as they are queued (several frames per write
// when they pile up); replies are matched to their requests by request id,
// in whatever order they come. The connection opens itself on start(); a
// failure (connect refused, reset, a stream that no longer frames) fails
// every request waiting on it and leaves it broken for good: the pool then
// opens a new one.
//
// Not thread-safe: every call must come from the executor it was created
// with, which must run on one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <kahuna/wire/frame_splitter.h>
#include <kahuna/wire/request.h>
#include <kahuna/wire/response.h>

namespace kahuna::client::detail {

// What became of one request sent on a connection.
struct Exchange {
  enum class Outcome {
    kReply,        // `response` holds the reply (possibly an error reply)
    kFailed,       // the connection failed: the request may or may not have run
    kTimedOut,     // no reply within the timeout; the connection stays up
    kUnencodable,  // the request could not be framed (too long); nothing was sent
    kUndecodable,  // the reply frame did not decode
  };
  Outcome outcome = Outcome::kFailed;
  wire::Response response{};
  std::string message{};  // why, for every outcome but kReply
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  struct Options {
    std::chrono::milliseconds connect_timeout{1000};
    std::size_t max_reply_bytes = 64u << 20;
  };

  Connection(asio::any_io_executor executor, std::string endpoint, Options options);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Begins connecting; requests may be queued at once.
  void start();

  // Sends `request` and waits up to `timeout` for its reply.
  asio::awaitable<Exchange> exchange(wire::Request request, std::chrono::milliseconds timeout);

  // Fails every waiting request with `reason` and closes the socket.
  void close(const std::string& reason);

  bool broken() const noexcept { return broken_; }
  // True once the TCP connection was established (it may have failed since).
  bool was_connected() const noexcept { return connected_; }
  const std::string& endpoint() const noexcept { return endpoint_; }

 private:
  struct Pending {
    explicit Pending(const asio::any_io_executor& executor) : wakeup(executor) {}
    asio::steady_timer wakeup;  // cancelled when the request completes
    bool done = false;
    Exchange result{};
  };

  asio::awaitable<void> run(std::shared_ptr<Connection> self);
  asio::awaitable<bool> connect();
  asio::awaitable<void> write_loop(std::shared_ptr<Connection> self);
  asio::awaitable<void> read_loop();
  void deliver(const wire::FrameHeader& header, std::string_view body);
  void complete(Pending& pending, Exchange result);

  asio::any_io_executor executor_;
  std::string endpoint_;
  Options options_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer writer_wakeup_;  // cancelled when frames are queued
  wire::FrameSplitter splitter_;
  std::string outbox_;  // frames queued and not yet handed to a write
  std::unordered_map<std::uint64_t, std::shared_ptr<Pending>> pending_;
  std::uint64_t next_request_id_ = 1;
  bool connected_ = false;
  bool broken_ = false;
  std::string broken_reason_;
};

}  // namespace kahuna::client::detail
