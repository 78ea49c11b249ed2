// parse_host_port: every rule in one table, inputs to the address parsed or
// to a piece of the error message.
#include <kahuna/host_port.h>

#include <gtest/gtest.h>

namespace kahuna {
namespace {

struct Case {
  std::string text;
  PortZero port_zero;
  std::string host;  // expected host when `error` is empty
  std::uint16_t port;
  std::string error;  // a piece of the expected message; empty: accepted
};

const Case kCases[] = {
    {"127.0.0.1:7001", PortZero::kRefused, "127.0.0.1", 7001, ""},
    {"node-1.example_site.com:80", PortZero::kRefused, "node-1.example_site.com", 80, ""},
    {"localhost:65535", PortZero::kRefused, "localhost", 65535, ""},
    {"[::1]:7100", PortZero::kRefused, "::1", 7100, ""},
    {"[fe80::1:2]:1", PortZero::kRefused, "fe80::1:2", 1, ""},
    {"[::ffff:10.0.0.1]:80", PortZero::kRefused, "::ffff:10.0.0.1", 80, ""},
    {"0.0.0.0:0", PortZero::kAllowed, "0.0.0.0", 0, ""},
    {"[::]:0", PortZero::kAllowed, "::", 0, ""},
    {"127.0.0.1:0", PortZero::kRefused, "", 0, "the port must be a number from 1 to 65535"},
    {"127.0.0.1:65536", PortZero::kRefused, "", 0, "the port must be a number from 1 to 65535"},
    {"127.0.0.1:65536", PortZero::kAllowed, "", 0, "the port must be a number from 0 to 65535"},
    {"127.0.0.1:99999999", PortZero::kRefused, "", 0, "the port must be a number"},
    {"host:80x", PortZero::kRefused, "", 0, "the port must be a number"},
    {"host:http", PortZero::kRefused, "", 0, "the port must be a number"},
    {"host:-1", PortZero::kRefused, "", 0, "the port must be a number"},
    {"host:+80", PortZero::kRefused, "", 0, "the port must be a number"},
    {"host:", PortZero::kRefused, "", 0, "the port must be a number"},
    {"host:80 ", PortZero::kRefused, "", 0, "the port must be a number"},
    {" host:80", PortZero::kRefused, "", 0, "neither an IP address nor a host name"},
    {"bad host:80", PortZero::kRefused, "", 0, "neither an IP address nor a host name"},
    {"300.1.1.1:80", PortZero::kRefused, "", 0, "neither an IP address nor a host name"},
    {"10.0.0:80", PortZero::kRefused, "", 0, "neither an IP address nor a host name"},
    {":80", PortZero::kRefused, "", 0, "the host is empty"},
    {"[]:80", PortZero::kRefused, "", 0, "the host is empty"},
    {"", PortZero::kRefused, "", 0, "expected host:port"},
    {"localhost", PortZero::kRefused, "", 0, "expected host:port"},
    {"::1:7100", PortZero::kRefused, "", 0, "write IPv6 hosts in brackets"},
    {"fe80::1", PortZero::kAllowed, "", 0, "write IPv6 hosts in brackets"},
    {"host:80:90", PortZero::kRefused, "", 0, "more than one ':'"},
    {"[::1]", PortZero::kRefused, "", 0, "expected [ipv6]:port"},
    {"[::1]7100", PortZero::kRefused, "", 0, "expected [ipv6]:port"},
    {"[::1:80", PortZero::kRefused, "", 0, "no closing ']'"},
    {"[::1]:80x", PortZero::kRefused, "", 0, "the port must be a number"},
    {"[zz::1]:80", PortZero::kRefused, "", 0, "'zz::1' is not an IPv6 address"},
    {"[127.0.0.1]:80", PortZero::kRefused, "", 0, "is not an IPv6 address"},
};

TEST(HostPort, ParsesOrRefusesEveryCase) {
  for (const Case& c : kCases) {
    HostPort parsed{"untouched", 1};
    const Status status = parse_host_port(c.text, parsed, c.port_zero);
    if (c.error.empty()) {
      ASSERT_TRUE(status.is_ok()) << "'" << c.text << "' gave: " << status.message();
      EXPECT_EQ(parsed, (HostPort{c.host, c.port})) << c.text;
    } else {
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.text;
      EXPECT_NE(status.message().find(c.error), std::string::npos)
          << "'" << c.text << "' gave: " << status.message();
      EXPECT_EQ(parsed, (HostPort{"untouched", 1})) << "a refusal leaves the output alone: " << c.text;
    }
  }
}

TEST(HostPort, MessageQuotesTheInput) {
  HostPort parsed;
  EXPECT_EQ(parse_host_port("localhost", parsed, PortZero::kRefused).message(),
            "'localhost' is not an address: expected host:port");
}

TEST(HostPort, ToStringBracketsIpv6AndParsesBack) {
  for (const HostPort& address : {HostPort{"127.0.0.1", 7001}, HostPort{"node1", 0}, HostPort{"::1", 7100}}) {
    HostPort parsed;
    ASSERT_TRUE(parse_host_port(address.to_string(), parsed, PortZero::kAllowed).is_ok())
        << address.to_string();
    EXPECT_EQ(parsed, address);
  }
  EXPECT_EQ((HostPort{"::1", 7100}).to_string(), "[::1]:7100");
  EXPECT_EQ((HostPort{"10.0.0.1", 80}).to_string(), "10.0.0.1:80");
}

}  // namespace
}  // namespace kahuna
