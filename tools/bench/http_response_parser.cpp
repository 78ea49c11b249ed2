#include "http_response_parser.h"

#include <http_parser.h>

namespace kahuna::bench {

struct HttpResponseParser::Parser {
  http_parser state{};
  http_parser_settings settings{};
};

// http_parser callbacks; the parser's `data` points at the owner.
struct HttpResponseParser::Callbacks {
  static HttpResponseParser& owner(http_parser* p) { return *static_cast<HttpResponseParser*>(p->data); }

  static int on_body(http_parser* p, const char* at, std::size_t length) {
    owner(p).body_.append(at, length);
    return 0;
  }
  static int on_message_complete(http_parser* p) {
    HttpResponseParser& self = owner(p);
    // An interim response (100 Continue) is not the answer; we never send
    // Expect, but a server may still send one.
    if (p->status_code >= 100 && p->status_code < 200) {
      self.body_.clear();
      return 0;
    }
    self.status_ = static_cast<int>(p->status_code);
    self.keep_alive_ = http_should_keep_alive(p) != 0;
    self.state_ = State::kComplete;
    // Stop here: later bytes belong to the next response.
    http_parser_pause(p, 1);
    return 0;
  }
};

HttpResponseParser::HttpResponseParser() : parser_(std::make_unique<Parser>()) {
  http_parser_settings_init(&parser_->settings);
  parser_->settings.on_body = &Callbacks::on_body;
  parser_->settings.on_message_complete = &Callbacks::on_message_complete;
  reset();
}

HttpResponseParser::~HttpResponseParser() = default;

void HttpResponseParser::reset() {
  http_parser_init(&parser_->state, HTTP_RESPONSE);
  parser_->state.data = this;
  state_ = State::kIncomplete;
  error_.clear();
  status_ = 0;
  body_.clear();
  keep_alive_ = true;
}

std::size_t HttpResponseParser::feed(std::string_view data) {
  if (state_ != State::kIncomplete || data.empty()) return 0;
  const std::size_t consumed =
      http_parser_execute(&parser_->state, &parser_->settings, data.data(), data.size());
  if (state_ == State::kComplete) return consumed;
  const http_errno error = HTTP_PARSER_ERRNO(&parser_->state);
  if (error != HPE_OK) {
    state_ = State::kFailed;
    error_ = std::string("malformed HTTP response: ") + http_errno_description(error);
  }
  return consumed;
}

void HttpResponseParser::feed_eof() {
  if (state_ != State::kIncomplete) return;
  http_parser_execute(&parser_->state, &parser_->settings, nullptr, 0);
  if (state_ == State::kIncomplete) {
    state_ = State::kFailed;
    error_ = "the connection closed before a complete response";
  }
}

}  // namespace kahuna::bench
