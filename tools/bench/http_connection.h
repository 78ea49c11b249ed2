// HttpConnection: one keep-alive HTTP/1.1 connection to one node, carrying
// one request at a time (the reference clients' way; no pipelining). Opened
// on first use and again after any failure.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http_response_parser.h"

namespace kahuna::bench {

struct HttpExchange {
  // Empty when a response arrived; otherwise connect, timeout, io or parse.
  std::string error_kind{};
  std::string message{};
  int status = 0;
  std::string body{};

  bool ok() const { return error_kind.empty(); }
};

class HttpConnection {
 public:
  // `endpoint` is host:port.
  HttpConnection(asio::any_io_executor executor, std::string endpoint);
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends `method path` with `body` (JSON; none when empty for GET) and reads
  // the response, all within `timeout`. On a failure the connection is
  // closed (a late response must never be read as the next one's).
  asio::awaitable<HttpExchange> round_trip(std::string method, std::string path, std::string body,
                                           std::chrono::milliseconds timeout);

  void close();
  const std::string& endpoint() const { return endpoint_; }

 private:
  // Shared with the timeout handler, which may run after round_trip returned.
  struct Race {
    bool finished = false;
    bool timed_out = false;
  };

  asio::awaitable<HttpExchange> exchange(const std::string& request);

  asio::any_io_executor executor_;
  std::string endpoint_;
  std::string host_;
  std::string port_;
  asio::ip::tcp::socket socket_;
  HttpResponseParser parser_;
  std::string buffer_;  // received bytes not yet parsed
};

}  // namespace kahuna::bench
