// BinaryOptions: the binary protocol's [[protocol]] table, read and checked
// in one place (docs/protocol.md §7).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <toml++/toml.h>

#include <kahuna/host_port.h>
#include <kahuna/status.h>
#include <kahuna/wire/frame.h>

namespace kahuna::binary_protocol {

struct BinaryOptions {
  HostPort listen{};        // `listen`, required; port 0 = any free port
  std::string advertise{};  // `advertise`; empty: the listen address (its bound port when 0)
  std::size_t max_frame_bytes = wire::kDefaultMaxFrameBytes;
  std::size_t max_connections = 1024;
  // Requests read but not yet answered on the wire; at the limit the
  // connection stops reading (backpressure) until replies drain.
  std::size_t max_inflight_per_connection = 1024;
  std::chrono::milliseconds idle_timeout{0};  // 0: never close an idle connection
  // The timeout of a request that names none (its timeout_ms is 0).
  std::chrono::milliseconds default_request_timeout{5000};
  // Threads running the server's own io_context (see BinaryServer).
  std::size_t io_threads = 2;
  // How long destruction waits for requests in flight before abandoning them.
  std::chrono::milliseconds shutdown_grace{5000};
};

// Reads `table` (the plugin's options; null = none) into `out`. Errors name
// the key as "protocol.binary.<key>"; unknown keys are errors.
Status parse_binary_options(const toml::table* table, BinaryOptions& out);

}  // namespace kahuna::binary_protocol
