#include "http_test_client.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <http_parser.h>
#include <poll.h>
#include <asio/connect.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

namespace kahuna::testing {
namespace {

// What is left of the time until `deadline` (negative once it passed).
std::chrono::milliseconds time_left(std::chrono::steady_clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
}

struct ResponseParse {
  HttpReply reply;
  std::string field;
  std::string value;
  bool in_value = false;
  bool complete = false;

  void finish_header() {
    if (!field.empty()) {
      std::transform(field.begin(), field.end(), field.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      reply.headers[field] = value;
    }
    field.clear();
    value.clear();
    in_value = false;
  }
};

ResponseParse& state_of(http_parser* p) { return *static_cast<ResponseParse*>(p->data); }

}  // namespace

rapidjson::Document HttpReply::json() const {
  rapidjson::Document document;
  document.Parse(body.c_str(), body.size());
  return document;
}

std::string HttpReply::header(const std::string& lower_case_name) const {
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpTestClient::HttpTestClient(std::uint16_t port, std::string token)
    : socket_(io_), token_(std::move(token)) {
  socket_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  socket_.set_option(asio::ip::tcp::no_delay(true));
}

HttpTestClient::~HttpTestClient() {
  std::error_code ignored;
  socket_.close(ignored);
}

void HttpTestClient::send_raw(const std::string& bytes) {
  std::error_code error;
  asio::write(socket_, asio::buffer(bytes), error);
}

bool HttpTestClient::fill(std::chrono::milliseconds timeout) {
  if (eof_) return false;
  pollfd descriptor{socket_.native_handle(), POLLIN, 0};
  if (::poll(&descriptor, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char chunk[65536];
  std::error_code error;
  const std::size_t n = socket_.read_some(asio::buffer(chunk), error);
  if (error || n == 0) {
    eof_ = true;
    return false;
  }
  buffer_.append(chunk, n);
  return true;
}

std::optional<HttpReply> HttpTestClient::read_reply(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  http_parser_settings settings;
  http_parser_settings_init(&settings);
  settings.on_header_field = [](http_parser* p, const char* at, std::size_t n) {
    ResponseParse& s = state_of(p);
    if (s.in_value) s.finish_header();
    s.field.append(at, n);
    return 0;
  };
  settings.on_header_value = [](http_parser* p, const char* at, std::size_t n) {
    ResponseParse& s = state_of(p);
    s.in_value = true;
    s.value.append(at, n);
    return 0;
  };
  settings.on_headers_complete = [](http_parser* p) {
    ResponseParse& s = state_of(p);
    s.finish_header();
    s.reply.status = static_cast<int>(p->status_code);
    // An interim 100 Continue has no body; the caller reads the final reply next.
    return 0;
  };
  settings.on_body = [](http_parser* p, const char* at, std::size_t n) {
    state_of(p).reply.body.append(at, n);
    return 0;
  };
  settings.on_message_complete = [](http_parser* p) {
    ResponseParse& s = state_of(p);
    s.complete = true;
    s.reply.keep_alive = http_should_keep_alive(p) != 0;
    http_parser_pause(p, 1);
    return 0;
  };
  for (;;) {
    ResponseParse state;
    http_parser parser;
    http_parser_init(&parser, HTTP_RESPONSE);
    parser.data = &state;
    std::size_t offset = 0;
    for (;;) {
      if (offset < buffer_.size()) {
        offset += http_parser_execute(&parser, &settings, buffer_.data() + offset, buffer_.size() - offset);
        if (state.complete) break;
        if (HTTP_PARSER_ERRNO(&parser) != HPE_OK) throw std::runtime_error("malformed response");
      }
      const auto left = time_left(deadline);
      if (left.count() <= 0 || !fill(left)) return std::nullopt;
    }
    buffer_.erase(0, offset);
    if (state.reply.status == 100) continue;
    return state.reply;
  }
}

bool HttpTestClient::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!eof_) {
    const auto left = time_left(deadline);
    if (left.count() <= 0) return false;
    fill(left);
  }
  return true;
}

std::string HttpTestClient::request_bytes(const std::string& method, const std::string& path,
                                          const std::string& body, const std::string& extra_headers) {
  std::string bytes = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n";
  if (!body.empty() || method == "POST") {
    bytes += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  bytes += extra_headers;
  bytes += "\r\n";
  bytes += body;
  return bytes;
}

HttpReply HttpTestClient::post(const std::string& path, const std::string& json_body) {
  send_raw(request_bytes("POST", path, json_body, "Authorization: Bearer " + token_ + "\r\n"));
  std::optional<HttpReply> reply = read_reply();
  if (!reply) throw std::runtime_error("no reply to POST " + path);
  return *reply;
}

HttpReply HttpTestClient::get(const std::string& path) {
  send_raw(request_bytes("GET", path, "", "Authorization: Bearer " + token_ + "\r\n"));
  std::optional<HttpReply> reply = read_reply();
  if (!reply) throw std::runtime_error("no reply to GET " + path);
  return *reply;
}

}  // namespace kahuna::testing
