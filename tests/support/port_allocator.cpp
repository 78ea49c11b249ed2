#include "support/port_allocator.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>

namespace kahuna::testing {
namespace {

constexpr int kBlockSize = 50;
// Ports below this are left alone: fixed ports of tools and examples live there.
constexpr int kLowest = 10000;

struct Range {
  int first = 0;
  int end = 0;  // one past the last
};

// The ports the kernel never picks on its own: below the ephemeral range,
// or above it when the range starts too low to leave room.
Range usable_range() {
  int low = 32768;
  int high = 60999;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low >> high;
  if (low - kLowest >= 10 * kBlockSize) return {kLowest, low};
  return {std::max(high + 1, kLowest), 65536};
}

// True when a listener could bind 127.0.0.1:port now, with the same
// SO_REUSEADDR the servers use (a closed connection in TIME_WAIT from an
// earlier owner of the block does not stop them).
bool bindable(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

class PortBlocks {
 public:
  std::uint16_t next() {
    std::lock_guard lock(mutex_);
    for (;;) {
      if (next_ == block_end_) claim_block();
      const int port = next_++;
      if (bindable(port)) return static_cast<std::uint16_t>(port);
    }
  }

 private:
  // Takes the next free block, starting from one derived from the pid so
  // that processes starting together rarely contend for the same lock.
  void claim_block() {
    const Range range = usable_range();
    const int blocks = (range.end - range.first) / kBlockSize;
    const auto dir = std::filesystem::temp_directory_path() / "kahuna-test-ports";
    std::error_code ignored;
    std::filesystem::create_directories(dir, ignored);
    std::filesystem::permissions(dir, std::filesystem::perms::all, ignored);
    if (start_ < 0) start_ = static_cast<int>(::getpid()) % blocks;
    for (int tried = 0; tried < blocks; ++tried) {
      const int block = (start_ + claimed_ + tried) % blocks;
      const int first = range.first + block * kBlockSize;
      const auto path = dir / ("block-" + std::to_string(first) + ".lock");
      // Close-on-exec: a server forked by the test must not hold the lock
      // after the test process is gone.
      const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
      if (fd < 0) continue;
      // Held until this process exits: the ports may still be in use by
      // servers of this process.
      if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
        claimed_ += tried + 1;
        next_ = first;
        block_end_ = first + kBlockSize;
        return;
      }
      ::close(fd);
    }
    throw std::runtime_error("no free block of test ports in " + dir.string());
  }

  std::mutex mutex_;
  int start_ = -1;
  int claimed_ = 0;
  int next_ = 0;
  int block_end_ = 0;
};

}  // namespace

std::uint16_t reserve_port() {
  static PortBlocks blocks;
  return blocks.next();
}

}  // namespace kahuna::testing
