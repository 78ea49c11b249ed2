// Splitting "host:port" endpoints ("127.0.0.1:7100", "node1:7100", "[::1]:7100").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kahuna::client::detail {

struct HostPort {
  std::string host{};  // without IPv6 brackets
  std::string port{};  // decimal digits
};

// nullopt when `endpoint` has no ':' or an empty host or a port that is not
// a number from 1 to 65535.
std::optional<HostPort> split_host_port(std::string_view endpoint);

}  // namespace kahuna::client::detail
