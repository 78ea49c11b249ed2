#include "binary_options.h"

#include <kahuna/plugin_options.h>

namespace kahuna::binary_protocol {
namespace {

constexpr const char* kPrefix = "protocol.binary";

Status option_error(std::string_view key, const std::string& reason) {
  return Status::invalid_argument(std::string(kPrefix) + "." + std::string(key) + ": " + reason);
}

// A string option; `present` tells whether the key was there at all.
Status read_string(const toml::table* table, std::string_view key, std::string& out, bool& present) {
  present = false;
  if (table == nullptr) return Status::ok();
  const toml::node* node = table->get(key);
  if (node == nullptr) return Status::ok();
  const auto* value = node->as_string();
  if (value == nullptr) {
    return option_error(key, "expected a string, got " + std::string(toml_type_name(node->type())));
  }
  out = value->get();
  present = true;
  return Status::ok();
}

}  // namespace

Status parse_binary_options(const toml::table* table, BinaryOptions& out) {
  BinaryOptions options;
  std::string listen;
  bool has_listen = false;
  if (Status s = read_string(table, "listen", listen, has_listen); !s.is_ok()) return s;
  if (!has_listen) return option_error("listen", "required (the host:port to listen on)");
  if (Status s = parse_host_port(listen, options.listen, PortZero::kAllowed); !s.is_ok()) {
    return option_error("listen", s.message());
  }

  bool has_advertise = false;
  if (Status s = read_string(table, "advertise", options.advertise, has_advertise); !s.is_ok()) return s;
  if (has_advertise && options.advertise.empty()) return option_error("advertise", "must not be empty");

  // PluginOptionReader reads numbers and booleans only: give it the rest of
  // the table, so that it still refuses unknown keys.
  toml::table rest;
  if (table != nullptr) rest = *table;
  rest.erase("listen");
  rest.erase("advertise");
  PluginOptionReader reader(&rest, kPrefix);
  std::int64_t max_frame_bytes = static_cast<std::int64_t>(options.max_frame_bytes);
  std::int64_t max_connections = static_cast<std::int64_t>(options.max_connections);
  std::int64_t max_inflight = static_cast<std::int64_t>(options.max_inflight_per_connection);
  std::int64_t idle_timeout_ms = 0;
  std::int64_t request_timeout_ms = options.default_request_timeout.count();
  std::int64_t io_threads = static_cast<std::int64_t>(options.io_threads);
  std::int64_t shutdown_grace_ms = options.shutdown_grace.count();
  // A frame must hold at least a header and a request's call settings; the
  // upper bound is what a u32 length field can describe.
  reader.integer("max_frame_bytes", 64,
                 static_cast<std::int64_t>(wire::kFrameHeaderSize + wire::kMaxBodySize), max_frame_bytes);
  reader.integer("max_connections", 1, 1'000'000, max_connections);
  reader.integer("max_inflight_per_connection", 1, 1'000'000, max_inflight);
  reader.integer("idle_timeout_ms", 0, 7 * 24 * 3600 * 1000LL, idle_timeout_ms);
  reader.integer("request_timeout_ms", 1, 0xFFFFFFFFLL, request_timeout_ms);
  reader.integer("io_threads", 1, 256, io_threads);
  reader.integer("shutdown_grace_ms", 0, 3600 * 1000, shutdown_grace_ms);
  if (Status s = reader.finish(); !s.is_ok()) {
    // The reader's list of known keys lacks the two string keys read above.
    if (s.message().find("unknown option") != std::string::npos) {
      return Status::invalid_argument(s.message() + ", advertise, listen");
    }
    return s;
  }
  options.max_frame_bytes = static_cast<std::size_t>(max_frame_bytes);
  options.max_connections = static_cast<std::size_t>(max_connections);
  options.max_inflight_per_connection = static_cast<std::size_t>(max_inflight);
  options.idle_timeout = std::chrono::milliseconds(idle_timeout_ms);
  options.default_request_timeout = std::chrono::milliseconds(request_timeout_ms);
  options.io_threads = static_cast<std::size_t>(io_threads);
  options.shutdown_grace = std::chrono::milliseconds(shutdown_grace_ms);
  out = std::move(options);
  return Status::ok();
}

}  // namespace kahuna::binary_protocol
