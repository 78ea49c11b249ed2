#include "request_parser.h"

#include <algorithm>
#include <cctype>

#include <http_parser.h>

namespace kahuna::http {

struct RequestParser::Parser {
  http_parser state{};
  http_parser_settings settings{};
};

namespace {

std::string to_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

// "//v1//x" -> "/v1//x": some clients join a base URL ending in '/' with a
// path starting with '/'; only the leading run is collapsed.
std::string normalise_path(std::string_view path) {
  std::size_t slashes = 0;
  while (slashes < path.size() && path[slashes] == '/') ++slashes;
  if (slashes <= 1) return std::string(path.empty() ? "/" : path);
  return "/" + std::string(path.substr(slashes));
}

}  // namespace

// The http_parser callbacks; `data` of the http_parser points at the owner.
struct RequestParser::Callbacks {
  static RequestParser& owner(http_parser* p) { return *static_cast<RequestParser*>(p->data); }

  static int on_message_begin(http_parser* p) {
    owner(p).started_ = true;
    return 0;
  }
  static int on_url(http_parser* p, const char* at, std::size_t length) {
    RequestParser& self = owner(p);
    self.current_.target.append(at, length);
    return 0;
  }
  static void finish_header(RequestParser& self) {
    if (!self.header_field_.empty()) {
      self.current_.headers.emplace_back(to_lower(std::move(self.header_field_)),
                                         std::move(self.header_value_));
    }
    self.header_field_.clear();
    self.header_value_.clear();
    self.in_header_value_ = false;
  }
  static int on_header_field(http_parser* p, const char* at, std::size_t length) {
    RequestParser& self = owner(p);
    if (self.in_header_value_) finish_header(self);
    self.header_field_.append(at, length);
    return 0;
  }
  static int on_header_value(http_parser* p, const char* at, std::size_t length) {
    RequestParser& self = owner(p);
    self.in_header_value_ = true;
    self.header_value_.append(at, length);
    return 0;
  }
  static int on_headers_complete(http_parser* p) {
    RequestParser& self = owner(p);
    finish_header(self);
    HttpRequest& request = self.current_;
    request.method = http_method_str(static_cast<http_method>(p->method));
    request.http_1_0 = p->http_major == 1 && p->http_minor == 0;

    http_parser_url url;
    http_parser_url_init(&url);
    // CONNECT's authority form is the only one is_connect would accept; no
    // path of ours takes it, so parse as an ordinary target.
    if (http_parser_parse_url(request.target.data(), request.target.size(), 0, &url) != 0) {
      self.fail(400, "the request target is not a valid URL path");
      return -1;
    }
    std::string_view target = request.target;
    std::string_view path = "/";
    if ((url.field_set & (1 << UF_PATH)) != 0) {
      path = target.substr(url.field_data[UF_PATH].off, url.field_data[UF_PATH].len);
    }
    // http_parser also lets through "*" and other non-path targets; only
    // origin-form ("/...") and absolute-form URLs name a resource of ours.
    if (path.empty() || path.front() != '/') {
      self.fail(400, "the request target must be a path starting with '/'");
      return -1;
    }
    request.path = normalise_path(path);
    if ((url.field_set & (1 << UF_QUERY)) != 0) {
      request.query = std::string(target.substr(url.field_data[UF_QUERY].off, url.field_data[UF_QUERY].len));
    }

    if ((p->flags & F_CONTENTLENGTH) != 0 && p->content_length > self.max_body_bytes_) {
      self.fail(413,
                "the body is larger than the limit of " + std::to_string(self.max_body_bytes_) + " bytes");
      return -1;
    }
    if (const std::string* expect = request.header("expect");
        expect != nullptr && iequals(*expect, "100-continue")) {
      self.wants_continue_ = true;
    }
    return 0;
  }
  static int on_body(http_parser* p, const char* at, std::size_t length) {
    RequestParser& self = owner(p);
    self.wants_continue_ = false;
    // A chunked body has no length up front: check as it grows.
    if (self.current_.body.size() + length > self.max_body_bytes_) {
      self.fail(413,
                "the body is larger than the limit of " + std::to_string(self.max_body_bytes_) + " bytes");
      return -1;
    }
    self.current_.body.append(at, length);
    return 0;
  }
  static int on_message_complete(http_parser* p) {
    RequestParser& self = owner(p);
    self.current_.keep_alive = http_should_keep_alive(p) != 0 && p->upgrade == 0;
    self.wants_continue_ = false;
    self.state_ = State::kComplete;
    // Stop here: the bytes after this request belong to the next one.
    http_parser_pause(p, 1);
    return 0;
  }
};

RequestParser::RequestParser(std::uint64_t max_body_bytes)
    : parser_(std::make_unique<Parser>()), max_body_bytes_(max_body_bytes) {
  http_parser_init(&parser_->state, HTTP_REQUEST);
  parser_->state.data = this;
  http_parser_settings_init(&parser_->settings);
  parser_->settings.on_message_begin = &Callbacks::on_message_begin;
  parser_->settings.on_url = &Callbacks::on_url;
  parser_->settings.on_header_field = &Callbacks::on_header_field;
  parser_->settings.on_header_value = &Callbacks::on_header_value;
  parser_->settings.on_headers_complete = &Callbacks::on_headers_complete;
  parser_->settings.on_body = &Callbacks::on_body;
  parser_->settings.on_message_complete = &Callbacks::on_message_complete;
}

RequestParser::~RequestParser() = default;

std::size_t RequestParser::feed(std::string_view data) {
  if (state_ != State::kIncomplete || data.empty()) return 0;
  const std::size_t consumed =
      http_parser_execute(&parser_->state, &parser_->settings, data.data(), data.size());
  const http_errno error = HTTP_PARSER_ERRNO(&parser_->state);
  if (state_ == State::kComplete) {
    // Paused by on_message_complete; the byte count stops right after it.
    return consumed;
  }
  if (state_ == State::kFailed) return consumed;
  if (error != HPE_OK) {
    if (error == HPE_HEADER_OVERFLOW) {
      fail(431, "the request headers are too large");
    } else {
      fail(400, std::string("malformed HTTP request: ") + http_errno_description(error));
    }
    return consumed;
  }
  if (parser_->state.upgrade != 0) {
    // Only reached when no message completed: an Upgrade we do not speak.
    fail(400, "protocol upgrades are not supported");
  }
  return consumed;
}

HttpRequest RequestParser::take() {
  HttpRequest request = std::move(current_);
  reset_message();
  http_parser_pause(&parser_->state, 0);
  state_ = State::kIncomplete;
  return request;
}

void RequestParser::reset_message() {
  current_ = HttpRequest{};
  header_field_.clear();
  header_value_.clear();
  in_header_value_ = false;
  started_ = false;
  wants_continue_ = false;
}

void RequestParser::fail(int status, std::string reason) {
  if (state_ == State::kFailed) return;
  state_ = State::kFailed;
  error_status_ = status;
  error_reason_ = std::move(reason);
}

}  // namespace kahuna::http
