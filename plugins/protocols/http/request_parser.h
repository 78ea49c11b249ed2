// RequestParser: turns the bytes of one connection into HttpRequests, one at
// a time, with Node's http_parser doing the HTTP/1.x syntax.
//
// The parser stops after each complete request (the rest of the bytes stay
// with the caller), so pipelined requests are answered one by one and a
// client that pipelines a thousand requests costs one request's memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "http_message.h"

namespace kahuna::http {

class RequestParser {
 public:
  enum class State {
    kIncomplete,  // feed more bytes
    kComplete,    // take() the request
    kFailed,      // error_status()/error_reason() say why; the connection must close
  };

  explicit RequestParser(std::uint64_t max_body_bytes);
  ~RequestParser();
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  // Consumes bytes of `data` until a request is complete or the bytes run
  // out, and returns how many it consumed. Call only in kIncomplete.
  std::size_t feed(std::string_view data);

  State state() const noexcept { return state_; }

  // True once the current request's headers asked for "100 Continue" and its
  // body has not started; cleared by continue_sent().
  bool wants_continue() const noexcept { return wants_continue_; }
  void continue_sent() noexcept { wants_continue_ = false; }

  // True while part of a request has been received.
  bool mid_request() const noexcept { return started_; }

  // The complete request; the parser then waits for the next one.
  HttpRequest take();

  int error_status() const noexcept { return error_status_; }  // 400, 413, 431, ...
  const std::string& error_reason() const noexcept { return error_reason_; }

 private:
  struct Callbacks;

  void fail(int status, std::string reason);
  void reset_message();

  struct Parser;
  std::unique_ptr<Parser> parser_;
  const std::uint64_t max_body_bytes_;
  State state_ = State::kIncomplete;
  bool started_ = false;
  bool wants_continue_ = false;
  HttpRequest current_;
  std::string header_field_;  // the header being received
  std::string header_value_;
  bool in_header_value_ = false;
  int error_status_ = 0;
  std::string error_reason_;
};

}  // namespace kahuna::http
