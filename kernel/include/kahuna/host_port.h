// HostPort: a "host:port" network address, and the one parser every part of
// Kahuna reads them with: the server's peer addresses, the protocol plugins'
// `listen` options, the client SDK's endpoints and kahuna-bench's.
//
// Header-only on purpose: plugins and the SDK build against the public
// headers alone and link no kernel library, so inline functions reach every
// caller without one more library to link, install and export.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include <kahuna/status.h>

namespace kahuna {

struct HostPort {
  std::string host{};  // a host name, an IPv4 literal or an IPv6 literal (without brackets)
  std::uint16_t port = 0;

  // "127.0.0.1:7100", "node1:7100", "[::1]:7100": an IPv6 host is bracketed,
  // so that the text parses back to the same value.
  std::string to_string() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
  }

  bool operator==(const HostPort&) const = default;
};

// Whether port 0 is accepted. A listen address may use it to ask the
// operating system for any free port; an address to dial needs a real one.
enum class PortZero { kRefused, kAllowed };

namespace host_port_detail {

inline bool all_of_chars(std::string_view text, std::string_view allowed) {
  return text.find_first_not_of(allowed) == std::string_view::npos;
}

// Loose on purpose: the resolver is the real judge of a name, and says so
// in its own error when it cannot find one.
inline bool is_host_name(std::string_view host) {
  return all_of_chars(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._");
}

// Four numbers 0..255. A host of digits and dots alone is meant as IPv4:
// "300.1.1.1" or "10.0.0" must be refused here, not looked up as a name.
inline bool is_ipv4(std::string_view host) {
  for (int index = 0; index < 4; ++index) {
    const std::size_t dot = host.find('.');
    const std::string_view part = host.substr(0, dot);
    unsigned value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || part.size() > 3 || error != std::errc() || end != part.data() + part.size() ||
        value > 255) {
      return false;
    }
    if (dot == std::string_view::npos) return index == 3;
    host.remove_prefix(dot + 1);
  }
  return false;  // more than four parts
}

// Loose, like host names: hex digits, ':' and '.' (for "::ffff:10.0.0.1"),
// with at least the two colons of the shortest form, "::".
inline bool is_ipv6(std::string_view host) {
  const auto colons = std::count(host.begin(), host.end(), ':');
  return colons >= 2 && all_of_chars(host, "0123456789abcdefABCDEF:.");
}

// Decimal digits only: no sign, no spaces, no "0x".
inline bool parse_port(std::string_view text, PortZero port_zero, std::uint16_t& port) {
  if (text.empty() || text.size() > 5 || !all_of_chars(text, "0123456789")) return false;
  unsigned value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value > 65535 || (value == 0 && port_zero == PortZero::kRefused)) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace host_port_detail

// Parses "host:port" or "[ipv6]:port" into `out` (left untouched on error).
// An IPv6 host must be bracketed: "::1:7100" could be host ::1 port 7100 or
// host ::1:7100 without a port, so more than one ':' outside brackets is
// refused. The port is 1..65535, or 0..65535 with PortZero::kAllowed.
// The message quotes `text` and says what is wrong ("'localhost' is not an
// address: expected host:port"); callers prefix the option it came from.
inline Status parse_host_port(std::string_view text, HostPort& out, PortZero port_zero) {
  using namespace host_port_detail;
  const auto refuse = [text](std::string_view reason) {
    return Status::invalid_argument("'" + std::string(text) + "' is not an address: " + std::string(reason));
  };
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return refuse("the '[' before an IPv6 host has no closing ']'");
    if (close + 1 == text.size() || text[close + 1] != ':') return refuse("expected [ipv6]:port");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (host.empty()) return refuse("the host is empty");
    if (!is_ipv6(host)) return refuse("'" + std::string(host) + "' is not an IPv6 address");
  } else {
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos) return refuse("expected host:port");
    if (text.find(':', colon + 1) != std::string_view::npos) {
      return refuse("more than one ':'; write IPv6 hosts in brackets, as [::1]:7100");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.empty()) return refuse("the host is empty");
    const bool valid = all_of_chars(host, "0123456789.") ? is_ipv4(host) : is_host_name(host);
    if (!valid) return refuse("'" + std::string(host) + "' is neither an IP address nor a host name");
  }
  std::uint16_t number = 0;
  if (!parse_port(port, port_zero, number)) {
    return refuse(port_zero == PortZero::kAllowed ? "the port must be a number from 0 to 65535"
                                                  : "the port must be a number from 1 to 65535");
  }
  out.host = std::string(host);
  out.port = number;
  return Status::ok();
}

}  // namespace kahuna
