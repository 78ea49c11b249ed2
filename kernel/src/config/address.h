// Address: a "host:port" endpoint as written in configuration files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <kahuna/status.h>

namespace kahuna {

struct Address {
  std::string host;  // an IPv4 or IPv6 literal (without brackets) or a DNS name
  std::uint16_t port = 0;

  // "127.0.0.1:7001", "[::1]:7001", "node1.example:7001".
  std::string to_string() const;
  bool operator==(const Address&) const = default;
};

// Parses "host:port" or "[ipv6]:port". The port must be 1..65535; the host
// an IP literal or a DNS name made of letters, digits, '-' and '.'.
Status parse_address(std::string_view text, Address& out);

}  // namespace kahuna
