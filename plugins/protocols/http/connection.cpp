#include "connection.h"

#include <algorithm>
#include <array>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/dispatch.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "request_parser.h"
#include "router.h"

namespace kahuna::http {
namespace {

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::size_t kReadChunkBytes = 16 * 1024;
// How long a connection closed after an error keeps swallowing input.
constexpr std::chrono::milliseconds kLingerOnError{2000};

}  // namespace

Connection::Connection(std::shared_ptr<ServiceContext> context, asio::ip::tcp::socket socket)
    : context_(std::move(context)), socket_(std::move(socket)), timer_(socket_.get_executor()) {}

asio::awaitable<void> Connection::serve(std::shared_ptr<Connection> self) {
  self->context_->metrics.connection_opened();
  asio::co_spawn(self->socket_.get_executor(), watchdog(self), asio::detached);
  try {
    co_await self->serve_requests();
  } catch (...) {
    // A bug or an allocation failure: drop this connection, keep the server.
  }
  self->close();
  self->context_->metrics.connection_closed();
}

void Connection::close_from_anywhere() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->close(); });
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  std::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  timer_.cancel();
}

void Connection::set_deadline(Clock::time_point deadline) {
  deadline_ = deadline;
  timer_.cancel();  // the watchdog re-arms with the new deadline
}

asio::awaitable<void> Connection::watchdog(std::shared_ptr<Connection> self) {
  while (!self->closed_) {
    if (Clock::now() >= self->deadline_) {
      self->timed_out_ = true;
      self->context_->metrics.connection_timed_out();
      self->close();
      co_return;
    }
    self->timer_.expires_at(self->deadline_);
    std::error_code error;
    co_await self->timer_.async_wait(asio::redirect_error(asio::use_awaitable, error));
  }
}

asio::awaitable<bool> Connection::write(std::string bytes) {
  set_deadline(Clock::now() + std::chrono::milliseconds(context_->options.idle_timeout_ms));
  std::error_code error;
  co_await asio::async_write(socket_, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, error));
  co_return !error;
}

asio::awaitable<void> Connection::serve_requests() {
  const auto idle_timeout = std::chrono::milliseconds(context_->options.idle_timeout_ms);
  RequestParser parser(context_->options.max_body_bytes);
  std::string pending;  // received bytes the parser has not consumed yet
  std::array<char, kReadChunkBytes> chunk;
  for (;;) {
    // The client has idle_timeout_ms to deliver its whole next request.
    set_deadline(Clock::now() + idle_timeout);
    while (parser.state() == RequestParser::State::kIncomplete) {
      if (!pending.empty()) {
        const std::size_t consumed = parser.feed(pending);
        pending.erase(0, consumed);
        if (parser.state() != RequestParser::State::kIncomplete) break;
      }
      if (parser.wants_continue()) {
        parser.continue_sent();
        std::error_code error;
        co_await asio::async_write(socket_, asio::buffer(kContinue),
                                   asio::redirect_error(asio::use_awaitable, error));
        if (error) co_return;
      }
      std::error_code error;
      const std::size_t received = co_await socket_.async_read_some(
          asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, error));
      if (error || closed_) co_return;  // closed by the peer, the watchdog or stop()
      pending.append(chunk.data(), received);
    }

    if (parser.state() == RequestParser::State::kFailed) {
      HttpResponse response = error_response(parser.error_status(), parser.error_reason());
      context_->metrics.record_request("unmatched", response.status, std::chrono::nanoseconds(0));
      // The stream is out of step with the protocol: answer and close.
      if (co_await write(serialize_response(response, false))) co_await drain_before_close();
      co_return;
    }

    HttpRequest request = parser.take();
    const bool keep_alive = request.keep_alive;
    set_deadline(Clock::time_point::max());  // the kernel's time is not the client's
    const auto started = Clock::now();
    Dispatched dispatched = co_await dispatch(*context_, std::move(request));
    context_->metrics.record_request(dispatched.operation, dispatched.response.status,
                                     Clock::now() - started);
    if (closed_) co_return;
    const bool stay_open = keep_alive && !dispatched.response.close;
    if (!co_await write(serialize_response(dispatched.response, stay_open))) co_return;
    if (!stay_open) co_return;
  }
}

asio::awaitable<void> Connection::drain_before_close() {
  // Closing a socket with unread input resets the connection, and a reset
  // can destroy the error response before the client reads it (e.g. a 413
  // sent while the client is still uploading). So stop sending, then read
  // and drop what the client still sends, for a bounded time.
  std::error_code error;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, error);
  const auto linger = std::min<std::chrono::milliseconds>(
      std::chrono::milliseconds(context_->options.idle_timeout_ms), kLingerOnError);
  set_deadline(Clock::now() + linger);
  std::array<char, kReadChunkBytes> discard;
  while (!error && !closed_) {
    co_await socket_.async_read_some(asio::buffer(discard), asio::redirect_error(asio::use_awaitable, error));
  }
}

asio::awaitable<void> refuse_connection(asio::ip::tcp::socket socket, std::chrono::milliseconds timeout) {
  // The watchdog: whatever happens, the socket is gone after `timeout`.
  auto shared_socket = std::make_shared<asio::ip::tcp::socket>(std::move(socket));
  asio::steady_timer timer(shared_socket->get_executor());
  timer.expires_after(timeout);
  timer.async_wait([shared_socket](std::error_code) {
    std::error_code ignored;
    shared_socket->close(ignored);
  });
  HttpResponse response = error_response(503, "too many connections; retry later");
  response.headers.emplace_back("Retry-After", "1");
  const std::string bytes = serialize_response(response, false);
  std::error_code error;
  co_await asio::async_write(*shared_socket, asio::buffer(bytes),
                             asio::redirect_error(asio::use_awaitable, error));
  std::error_code ignored;
  shared_socket->shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  // Drain what the client sends until it closes: closing with unread bytes
  // would reset the connection and could destroy the 503 before it is read.
  std::array<char, 4096> discard;
  while (!error) {
    co_await shared_socket->async_read_some(asio::buffer(discard),
                                            asio::redirect_error(asio::use_awaitable, error));
  }
  timer.cancel();
}

}  // namespace kahuna::http
