// Connection: one client's TCP connection, served by one coroutine that
// reads a request, answers it, and repeats (HTTP/1.1 keep-alive; pipelined
// requests are answered in order because they are taken one at a time).
//
// A watchdog coroutine on the same strand enforces idle_timeout_ms: waiting
// for a request (idle keep-alive, or a client that stalls mid-request) and
// writing a response each get that long; the kernel's own time is not
// counted.
#pragma once

#include <chrono>
#include <memory>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "service_context.h"

namespace kahuna::http {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<ServiceContext> context, asio::ip::tcp::socket socket);

  // Runs the connection until it closes; the coroutine owns a reference.
  static asio::awaitable<void> serve(std::shared_ptr<Connection> self);

  // Closes the socket; safe from any thread (it runs on the strand).
  void close_from_anywhere();

  // The connection's strand.
  asio::ip::tcp::socket::executor_type executor() { return socket_.get_executor(); }

 private:
  using Clock = std::chrono::steady_clock;

  asio::awaitable<void> serve_requests();
  static asio::awaitable<void> watchdog(std::shared_ptr<Connection> self);
  asio::awaitable<bool> write(std::string bytes);
  asio::awaitable<void> drain_before_close();
  void set_deadline(Clock::time_point deadline);
  void close();

  std::shared_ptr<ServiceContext> context_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool closed_ = false;
  bool timed_out_ = false;
};

// Answers 503 on a connection over max_connections, then closes it.
asio::awaitable<void> refuse_connection(asio::ip::tcp::socket socket, std::chrono::milliseconds timeout);

}  // namespace kahuna::http
