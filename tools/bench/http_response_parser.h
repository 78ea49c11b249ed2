// HttpResponseParser: reads one HTTP/1.1 response at a time from the bytes
// of a keep-alive connection, with http-parser (libhttp-parser).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace kahuna::bench {

class HttpResponseParser {
 public:
  HttpResponseParser();
  ~HttpResponseParser();
  HttpResponseParser(const HttpResponseParser&) = delete;
  HttpResponseParser& operator=(const HttpResponseParser&) = delete;

  // Feeds bytes; returns how many were consumed. Stops right after a
  // complete response, so the caller keeps the rest for the next one.
  std::size_t feed(std::string_view data);
  // The connection closed: completes a response delimited by end of stream.
  void feed_eof();

  bool complete() const { return state_ == State::kComplete; }
  bool failed() const { return state_ == State::kFailed; }
  const std::string& error() const { return error_; }

  // Valid once complete().
  int status() const { return status_; }
  const std::string& body() const { return body_; }
  bool keep_alive() const { return keep_alive_; }

  // Ready for the next response on the same connection.
  void reset();

 private:
  enum class State { kIncomplete, kComplete, kFailed };
  struct Parser;
  struct Callbacks;

  std::unique_ptr<Parser> parser_;
  State state_ = State::kIncomplete;
  std::string error_;
  int status_ = 0;
  std::string body_;
  bool keep_alive_ = true;
};

}  // namespace kahuna::bench
