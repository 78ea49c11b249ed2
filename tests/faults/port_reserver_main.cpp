// Reserves N ports with reserve_port(), prints one per line, and holds its
// blocks for a moment so that siblings started with it overlap. Used by
// port_allocator_test.cpp to run the allocator in separate processes.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "support/port_allocator.h"

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 60;
  for (int i = 0; i < count; ++i) std::printf("port %d\n", kahuna::testing::reserve_port());
  std::fflush(stdout);
  ::usleep(300 * 1000);
  return 0;
}
