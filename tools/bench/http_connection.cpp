#include "http_connection.h"

#include <kahuna/host_port.h>
#include <asio/connect.hpp>
#include <asio/read.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

namespace kahuna::bench {

namespace {

constexpr std::size_t kReadChunk = 16 * 1024;

HttpExchange failure(std::string kind, std::string message) {
  HttpExchange exchange;
  exchange.error_kind = std::move(kind);
  exchange.message = std::move(message);
  return exchange;
}

}  // namespace

HttpConnection::HttpConnection(asio::any_io_executor executor, std::string endpoint)
    : executor_(executor), endpoint_(std::move(endpoint)), socket_(executor) {
  // The options checked the endpoint already; an IPv6 host loses its brackets here.
  HostPort address;
  if (parse_host_port(endpoint_, address, PortZero::kRefused)) {
    host_ = address.host;
    port_ = std::to_string(address.port);
  }
}

void HttpConnection::close() {
  std::error_code ignored;
  socket_.close(ignored);
  buffer_.clear();
  parser_.reset();
}

asio::awaitable<HttpExchange> HttpConnection::round_trip(std::string method, std::string path,
                                                         std::string body,
                                                         std::chrono::milliseconds timeout) {
  std::string request;
  request.reserve(160 + body.size());
  request += method;
  request += ' ';
  request += path;
  request += " HTTP/1.1\r\nHost: ";
  request += endpoint_;
  request += "\r\nAccept: application/json\r\n";
  if (!body.empty()) {
    request += "Content-Type: application/json\r\nContent-Length: ";
    request += std::to_string(body.size());
    request += "\r\n\r\n";
    request += body;
  } else {
    request += "\r\n";
  }

  // The timer closes the socket when the deadline passes, which ends the
  // pending connect, write or read with an error.
  auto race = std::make_shared<Race>();
  asio::steady_timer timer(executor_, timeout);
  timer.async_wait([race, this](std::error_code error) {
    if (error || race->finished) return;
    race->timed_out = true;
    std::error_code ignored;
    socket_.close(ignored);
  });
  HttpExchange result = co_await exchange(request);
  race->finished = true;
  timer.cancel();
  if (race->timed_out) {
    close();
    co_return failure("timeout",
                      endpoint_ + ": no response within " + std::to_string(timeout.count()) + " ms");
  }
  if (!result.ok()) close();
  co_return result;
}

asio::awaitable<HttpExchange> HttpConnection::exchange(const std::string& request) {
  std::error_code error;
  if (!socket_.is_open()) {
    buffer_.clear();
    parser_.reset();
    asio::ip::tcp::resolver resolver(executor_);
    auto endpoints =
        co_await resolver.async_resolve(host_, port_, asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return failure("connect", endpoint_ + ": " + error.message());
    co_await asio::async_connect(socket_, endpoints, asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return failure("connect", endpoint_ + ": " + error.message());
    socket_.set_option(asio::ip::tcp::no_delay(true), error);
  }

  co_await asio::async_write(socket_, asio::buffer(request),
                             asio::redirect_error(asio::use_awaitable, error));
  if (error) co_return failure("io", endpoint_ + ": " + error.message());

  parser_.reset();
  for (;;) {
    if (!buffer_.empty()) {
      const std::size_t used = parser_.feed(buffer_);
      buffer_.erase(0, used);
    }
    if (parser_.failed()) co_return failure("parse", endpoint_ + ": " + parser_.error());
    if (parser_.complete()) break;
    char chunk[kReadChunk];
    const std::size_t n = co_await socket_.async_read_some(asio::buffer(chunk),
                                                           asio::redirect_error(asio::use_awaitable, error));
    if (error == asio::error::eof) {
      parser_.feed_eof();
      if (parser_.complete()) break;
      co_return failure("io", endpoint_ + ": " + parser_.error());
    }
    if (error) co_return failure("io", endpoint_ + ": " + error.message());
    buffer_.append(chunk, n);
  }

  HttpExchange result;
  result.status = parser_.status();
  result.body = parser_.body();
  if (!parser_.keep_alive()) close();
  co_return result;
}

}  // namespace kahuna::bench
