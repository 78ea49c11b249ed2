// HttpRequest and HttpResponse: one parsed request and the reply to it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kahuna::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent, e.g. "/v1/cluster/routing?keySpace=a"
  std::string path;    // the target's path, leading slashes collapsed to one
  std::string query;   // the target's query string without '?', may be empty
  // Header names lower-cased; values as sent (continuation lines joined).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = true;  // the connection may serve another request after this one
  bool http_1_0 = false;

  // The first header named `lower_case_name`, or nullptr.
  const std::string* header(std::string_view lower_case_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones, e.g. Allow
  std::string body;
  bool close = false;  // close the connection after sending it
};

// The reason phrase of a status code ("Not Found").
std::string_view status_reason(int status);

// The bytes of `response` on the wire. `keep_alive` decides the Connection
// header; HTTP/1.1 status line always (RFC 9110 lets a server answer a 1.0
// request with its own 1.1 version).
std::string serialize_response(const HttpResponse& response, bool keep_alive);

// A JSON error reply: {"error": reason} with `status`.
HttpResponse error_response(int status, std::string_view reason);

// A JSON reply (status 200) with `body` already serialised.
HttpResponse json_response(std::string body);

}  // namespace kahuna::http
