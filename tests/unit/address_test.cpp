#include "config/address.h"

#include <gtest/gtest.h>

namespace kahuna {
namespace {

TEST(Address, ParsesIpv4HostnameAndBracketedIpv6) {
  Address address;
  ASSERT_TRUE(parse_address("127.0.0.1:7001", address));
  EXPECT_EQ(address, (Address{"127.0.0.1", 7001}));
  ASSERT_TRUE(parse_address("node-1.example.com:65535", address));
  EXPECT_EQ(address, (Address{"node-1.example.com", 65535}));
  ASSERT_TRUE(parse_address("[::1]:1", address));
  EXPECT_EQ(address, (Address{"::1", 1}));
  EXPECT_EQ(address.to_string(), "[::1]:1");
}

TEST(Address, RejectsMalformedAddressesWithAReason) {
  struct Case {
    const char* text;
    const char* reason;
  };
  const Case cases[] = {
      {"", "expected host:port"},
      {"127.0.0.1", "expected host:port"},
      {"127.0.0.1:", "port must be a number from 1 to 65535"},
      {"127.0.0.1:0", "port must be a number from 1 to 65535"},
      {"127.0.0.1:65536", "port must be a number from 1 to 65535"},
      {"127.0.0.1:70x", "port must be a number from 1 to 65535"},
      {"127.0.0.1:-5", "port must be a number from 1 to 65535"},
      {"300.1.1.1:7001", "neither an IP address nor a host name"},
      {":7001", "neither an IP address nor a host name"},
      {"bad host:7001", "neither an IP address nor a host name"},
      {"-node:7001", "neither an IP address nor a host name"},
      {"::1:7001", "write IPv6 hosts in brackets"},
      {"[::1]7001", "expected [ipv6]:port"},
      {"[zz]:7001", "is not an IPv6 address"},
  };
  for (const Case& c : cases) {
    Address address;
    const Status status = parse_address(c.text, address);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.text;
    EXPECT_NE(status.message().find(c.reason), std::string::npos)
        << "'" << c.text << "' gave: " << status.message();
  }
}

}  // namespace
}  // namespace kahuna
