// HttpTestClient: a blocking HTTP/1.1 client over one TCP connection to
// 127.0.0.1, with http_parser reading the responses, for driving the
// plugin the way REST clients do (and the ways they should not).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

namespace kahuna::testing {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  bool keep_alive = true;

  // The body parsed as JSON (asserts nothing; check HasParseError()).
  rapidjson::Document json() const;
  std::string header(const std::string& lower_case_name) const;
};

class HttpTestClient {
 public:
  explicit HttpTestClient(std::uint16_t port, std::string token = "xxx");
  ~HttpTestClient();

  // Sends raw bytes as they are.
  void send_raw(const std::string& bytes);
  // Reads one response; nullopt when the connection closed (or `timeout` passed) first.
  std::optional<HttpReply> read_reply(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True when the server closes the connection within `timeout` (after any
  // response bytes already sent).
  bool closed_within(std::chrono::milliseconds timeout);

  // A request as clients send it, and its reply.
  HttpReply post(const std::string& path, const std::string& json_body);
  HttpReply get(const std::string& path);

  static std::string request_bytes(const std::string& method, const std::string& path,
                                   const std::string& body, const std::string& extra_headers = "");

 private:
  bool fill(std::chrono::milliseconds timeout);

  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  std::string token_;
  std::string buffer_;
  bool eof_ = false;
};

}  // namespace kahuna::testing
