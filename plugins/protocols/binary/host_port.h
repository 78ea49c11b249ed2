// HostPort: a "host:port" option value ("127.0.0.1:7100", "localhost:7100",
// "[::1]:7100").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <kahuna/status.h>

namespace kahuna::binary_protocol {

struct HostPort {
  std::string host{};  // without IPv6 brackets
  std::uint16_t port = 0;

  // "host:port", with brackets around an IPv6 host.
  std::string to_string() const;
};

// Splits `text` at its last ':'; the host must be non-empty and the port a
// decimal number from 0 to 65535. The message says what is wrong, not where
// (the caller names the option).
Status parse_host_port(std::string_view text, HostPort& out);

}  // namespace kahuna::binary_protocol
