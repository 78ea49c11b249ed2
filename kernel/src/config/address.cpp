#include "config/address.h"

#include <arpa/inet.h>

#include <charconv>

namespace kahuna {
namespace {

bool is_ipv4(const std::string& host) {
  in_addr parsed{};
  return inet_pton(AF_INET, host.c_str(), &parsed) == 1;
}

bool is_ipv6(const std::string& host) {
  in6_addr parsed{};
  return inet_pton(AF_INET6, host.c_str(), &parsed) == 1;
}

// RFC 1123 host names: labels of letters, digits and '-', not starting or
// ending with '-', separated by dots.
bool is_dns_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t label_length = 0;
  char previous = '.';
  for (char c : host) {
    if (c == '.') {
      if (label_length == 0 || previous == '-') return false;
      label_length = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-') {
      if (label_length == 0 && c == '-') return false;
      if (++label_length > 63) return false;
    } else {
      return false;
    }
    previous = c;
  }
  return previous != '-' && previous != '.';
}

bool all_digits_and_dots(std::string_view host) {
  return host.find_first_not_of("0123456789.") == std::string_view::npos;
}

}  // namespace

std::string Address::to_string() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

Status parse_address(std::string_view text, Address& out) {
  const std::string shown = "'" + std::string(text) + "'";
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Status::invalid_argument(shown + " is not an address: expected [ipv6]:port");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (!is_ipv6(std::string(host))) {
      return Status::invalid_argument(shown + " is not an address: '" + std::string(host) +
                                      "' is not an IPv6 address");
    }
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return Status::invalid_argument(shown + " is not an address: expected host:port");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    const std::string host_text(host);
    if (host.find(':') != std::string_view::npos) {
      return Status::invalid_argument(shown + " is not an address: write IPv6 hosts in brackets, "
                                      "as [::1]:7001");
    }
    // A dotted string of digits is meant as IPv4; "300.1.1.1" must not pass
    // as a host name.
    const bool valid_host = all_digits_and_dots(host) ? is_ipv4(host_text) : is_dns_name(host);
    if (!valid_host) {
      return Status::invalid_argument(shown + " is not an address: '" + host_text +
                                      "' is neither an IP address nor a host name");
    }
  }

  unsigned value = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || error != std::errc() || end != port.data() + port.size() || value == 0 ||
      value > 65535) {
    return Status::invalid_argument(shown + " is not an address: the port must be a number from "
                                    "1 to 65535");
  }
  out.host = std::string(host);
  out.port = static_cast<std::uint16_t>(value);
  return Status::ok();
}

}  // namespace kahuna
