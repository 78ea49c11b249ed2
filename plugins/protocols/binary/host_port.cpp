#include "host_port.h"

#include <charconv>

namespace kahuna::binary_protocol {

std::string HostPort::to_string() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Status parse_host_port(std::string_view text, HostPort& out) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return Status::invalid_argument("\"" + std::string(text) + "\" is not of the form host:port");
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return Status::invalid_argument("\"" + std::string(text) + "\" has no host");
  unsigned port = 0;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return Status::invalid_argument("\"" + std::string(text) + "\" has no valid port (0 to 65535)");
  }
  out.host = std::string(host);
  out.port = static_cast<std::uint16_t>(port);
  return Status::ok();
}

}  // namespace kahuna::binary_protocol
