// HttpOptions: the [[protocol]] table of the http plugin, checked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include <kahuna/status.h>

namespace kahuna::http {

struct HttpOptions {
  std::string listen_host;        // from `listen` ("host:port"; IPv6 hosts in brackets)
  std::uint16_t listen_port = 0;  // 0: any free port
  // The base URL clients dial to reach this node: endpoint() and the route
  // hints for partitions this node leads. No trailing slash.
  std::string advertise;
  // True when `advertise` was not given: with port 0 in `listen` the
  // server then advertises the port it was actually given.
  bool advertise_is_default = true;
  std::uint64_t max_body_bytes = 4 * 1024 * 1024;  // larger bodies get 413
  std::uint64_t max_connections = 1024;            // more get 503 and are closed
  std::uint64_t idle_timeout_ms = 60000;           // see docs/http.md
  std::vector<std::string> auth_tokens;            // empty: no authentication
  std::uint64_t io_threads = 2;                    // threads running the server's own io_context
};

// Reads and checks `table` (may be null). Every error names the key as
// "protocol.http.<key>"; unknown keys are errors.
Status parse_http_options(const toml::table* table, HttpOptions& out);

}  // namespace kahuna::http
