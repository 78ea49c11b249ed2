// reserve_port(): ports no other test process can take. Two processes
// reserving at the same time must never get the same port, and every port
// must be outside the kernel's ephemeral range (where bind(0) and outgoing
// connections would compete for it).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "support/port_allocator.h"

namespace kahuna::testing {
namespace {

TEST(PortAllocator, PortsAreUniqueAndOutsideTheEphemeralRange) {
  int low = 32768;
  int high = 60999;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low >> high;
  std::set<std::uint16_t> seen;
  for (int i = 0; i < 120; ++i) {  // more than two blocks
    const std::uint16_t port = reserve_port();
    EXPECT_TRUE(seen.insert(port).second) << "port " << port << " handed out twice";
    EXPECT_TRUE(port < low || port > high) << "port " << port << " is in the ephemeral range";
  }
}

TEST(PortAllocator, ConcurrentProcessesGetDisjointPorts) {
  constexpr int kChildren = 4;
  // Separate programs, as concurrent test processes are.
  const std::string command = std::string(KAHUNA_PORT_RESERVER) + " 60";
  std::vector<FILE*> children;
  for (int c = 0; c < kChildren; ++c) {
    FILE* child = ::popen(command.c_str(), "r");
    ASSERT_NE(child, nullptr);
    children.push_back(child);
  }
  std::set<int> all;
  std::size_t total = 0;
  for (FILE* child : children) {
    char line[256];
    while (std::fgets(line, sizeof line, child) != nullptr) {
      int port = 0;
      if (std::sscanf(line, "port %d", &port) == 1) {
        all.insert(port);
        ++total;
      }
    }
    EXPECT_EQ(::pclose(child), 0);
  }
  EXPECT_EQ(total, static_cast<std::size_t>(kChildren * 60));
  EXPECT_EQ(all.size(), total) << "two processes were given the same port";
}

}  // namespace
}  // namespace kahuna::testing
