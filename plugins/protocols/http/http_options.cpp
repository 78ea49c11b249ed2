#include "http_options.h"

#include <set>
#include <string_view>

#include <kahuna/host_port.h>
#include <kahuna/plugin_options.h>

namespace kahuna::http {
namespace {

constexpr std::string_view kPrefix = "protocol.http";
const std::set<std::string_view> kKnownKeys = {"advertise", "auth_tokens",    "idle_timeout_ms", "io_threads",
                                               "listen",    "max_body_bytes", "max_connections"};

Status key_error(std::string_view key, const std::string& reason) {
  return Status::invalid_argument(std::string(kPrefix) + "." + std::string(key) + ": " + reason);
}

}  // namespace

Status parse_http_options(const toml::table* table, HttpOptions& out) {
  HttpOptions options;
  if (table != nullptr) {
    for (const auto& [key, value] : *table) {
      (void)value;
      if (kKnownKeys.count(key.str()) == 0) {
        return key_error(key.str(),
                         "unknown option; the known options are advertise, auth_tokens, idle_timeout_ms, "
                         "io_threads, listen, max_body_bytes, max_connections");
      }
    }
  }
  // The integer options go through the shared reader; the string and array
  // ones are checked here, and removed from the copy the reader sees so
  // that its unknown-key check still covers the whole table.
  toml::table integers;
  if (table != nullptr) integers = *table;

  const toml::node* listen = table != nullptr ? table->get("listen") : nullptr;
  if (listen == nullptr) return key_error("listen", "is required (\"host:port\")");
  if (!listen->is_string()) {
    return key_error("listen", "expected a string, got " + std::string(toml_type_name(listen->type())));
  }
  HostPort listen_address;
  if (Status s = parse_host_port(listen->as_string()->get(), listen_address, PortZero::kAllowed);
      !s.is_ok()) {
    return key_error("listen", s.message());
  }
  options.listen_host = listen_address.host;
  options.listen_port = listen_address.port;
  integers.erase("listen");

  options.advertise = "http://" + listen_address.to_string();
  if (const toml::node* advertise = table->get("advertise"); advertise != nullptr) {
    if (!advertise->is_string()) {
      return key_error("advertise",
                       "expected a string, got " + std::string(toml_type_name(advertise->type())));
    }
    std::string url = advertise->as_string()->get();
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      return key_error("advertise", "\"" + url + "\" is not an http:// or https:// URL");
    }
    options.advertise = std::move(url);
    options.advertise_is_default = false;
    integers.erase("advertise");
  }

  if (const toml::node* tokens = table->get("auth_tokens"); tokens != nullptr) {
    const toml::array* array = tokens->as_array();
    if (array == nullptr) {
      return key_error("auth_tokens",
                       "expected an array of strings, got " + std::string(toml_type_name(tokens->type())));
    }
    for (const toml::node& token : *array) {
      if (!token.is_string() || token.as_string()->get().empty()) {
        return key_error("auth_tokens", "every entry must be a non-empty string");
      }
      options.auth_tokens.push_back(token.as_string()->get());
    }
    integers.erase("auth_tokens");
  }

  PluginOptionReader reader(&integers, std::string(kPrefix));
  std::int64_t max_body = static_cast<std::int64_t>(options.max_body_bytes);
  std::int64_t max_connections = static_cast<std::int64_t>(options.max_connections);
  std::int64_t idle_timeout = static_cast<std::int64_t>(options.idle_timeout_ms);
  std::int64_t io_threads = static_cast<std::int64_t>(options.io_threads);
  reader.integer("max_body_bytes", 1, std::int64_t{1} << 32, max_body);
  reader.integer("max_connections", 1, 1000000, max_connections);
  reader.integer("idle_timeout_ms", 1, 24LL * 3600 * 1000, idle_timeout);
  reader.integer("io_threads", 1, 64, io_threads);
  if (Status s = reader.finish(); !s.is_ok()) return s;
  options.max_body_bytes = static_cast<std::uint64_t>(max_body);
  options.max_connections = static_cast<std::uint64_t>(max_connections);
  options.idle_timeout_ms = static_cast<std::uint64_t>(idle_timeout);
  options.io_threads = static_cast<std::uint64_t>(io_threads);
  out = std::move(options);
  return Status::ok();
}

}  // namespace kahuna::http
