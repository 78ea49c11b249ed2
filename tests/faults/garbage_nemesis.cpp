#include "garbage_nemesis.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace kahuna::faults {
namespace {

template <class T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));  // little-endian hosts, like the wire formats
  out.append(bytes, sizeof(T));
}

// A binary protocol frame header (kahuna/wire/frame.h) with any length.
std::string binary_header(std::uint32_t length, std::uint8_t version, std::uint64_t request_id,
                          std::uint16_t opcode) {
  std::string out;
  put(out, length);
  out += "KW";
  put(out, version);
  put(out, std::uint8_t{0});
  put(out, request_id);
  put(out, opcode);
  put(out, std::uint16_t{0});
  return out;
}

// A peer hello (kernel/src/transport/peer_frame.h).
std::string peer_hello(std::uint16_t version, std::uint64_t from, std::uint64_t to) {
  std::string out = "KHNP";
  put(out, version);
  put(out, from);
  put(out, to);
  return out;
}

// Opcodes for frames with random bodies: reads, unknown numbers and reply
// opcodes only. A random body can decode into a valid request, and a write
// the workload does not know of would make its history wrong, not the node.
// (The decoders of writes are fuzzed on their own: tests/fuzz.)
std::uint16_t harmless_opcode(std::mt19937_64& random) {
  static constexpr std::uint16_t kOpcodes[] = {0x0004, 0x0011, 0x0012, 0x0021, 0x0022, 0x0030,
                                               0x0031, 0x0032, 0x0041, 0x0050, 0x0000, 0x0006,
                                               0x0099, 0x7FFF, 0x8001, 0x8002, 0xFFFF};
  return kOpcodes[random() % (sizeof kOpcodes / sizeof *kOpcodes)];
}

// Connects to 127.0.0.1:port without blocking for long; -1 when refused.
int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Sends must never block the nemesis on a paused node's full buffer.
  timeval timeout{0, 200000};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads and discards whatever the node already answered.
void drain(int fd) {
  char buffer[4096];
  while (::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT) > 0) {
  }
}

}  // namespace

GarbageNemesis::GarbageNemesis(const testing::LocalCluster& cluster, std::uint64_t seed)
    : cluster_(cluster), random_(seed) {}

GarbageNemesis::~GarbageNemesis() { release(); }

void GarbageNemesis::release() {
  for (Held& held : held_) ::close(held.fd);
  held_.clear();
}

int GarbageNemesis::total() const {
  int sum = 0;
  for (const auto& [kind, count] : counts_) sum += count;
  return sum;
}

std::string GarbageNemesis::random_bytes(std::size_t size) {
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(random_());
  return out;
}

void GarbageNemesis::send(const std::string& kind, std::uint16_t port, const std::string& bytes,
                          const std::string& held_rest) {
  const int fd = connect_to(port);
  if (fd < 0) return;
  ++counts_[kind];
  if (!bytes.empty()) ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  if (!held_rest.empty()) {
    held_.push_back(Held{fd, held_rest, 3});
    return;
  }
  drain(fd);
  // Half of them reset the connection instead of closing it cleanly.
  if (random_() % 2 == 0) {
    linger reset{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  }
  ::close(fd);
}

void GarbageNemesis::drip() {
  std::vector<Held> still;
  for (Held& held : held_) {
    drain(held.fd);
    if (--held.bursts_left <= 0 || held.rest.empty() ||
        ::send(held.fd, held.rest.data(), 1, MSG_NOSIGNAL) != 1) {
      ::close(held.fd);
      continue;
    }
    held.rest.erase(0, 1);
    still.push_back(std::move(held));
  }
  held_ = std::move(still);
}

void GarbageNemesis::burst(int per_port) {
  drip();
  for (int id = 1; id <= cluster_.size(); ++id) {
    if (!cluster_.running(id)) continue;
    for (int i = 0; i < per_port; ++i) {
      hit_binary(static_cast<std::uint16_t>(
          std::stoi(cluster_.endpoint(id).substr(cluster_.endpoint(id).rfind(':') + 1))));
      if (cluster_.options().http) {
        const std::string http = cluster_.http_endpoint(id);
        hit_http(static_cast<std::uint16_t>(std::stoi(http.substr(http.rfind(':') + 1))));
      }
      hit_peer(id, cluster_.peer_port(id));
    }
  }
}

void GarbageNemesis::hit_binary(std::uint16_t port) {
  const std::uint64_t id = random_();
  switch (random_() % 9) {
    case 0: send("binary random bytes", port, random_bytes(1 + random_() % 600)); break;
    case 1:  // a header announcing 100 body bytes, then 30 of them, then gone
      send("binary truncated frame", port, binary_header(16 + 100, 1, id, 0x0011) + random_bytes(30));
      break;
    case 2:
      send("binary huge length", port, binary_header(0xFFFFFFF0u, 1, id, 0x0011) + random_bytes(64));
      break;
    case 3:
      send("binary length too small", port,
           binary_header(static_cast<std::uint32_t>(random_() % 16), 1, id, 0x0011));
      break;
    case 4: {  // well framed, but a version and flags nobody speaks
      std::string frame = binary_header(16 + 8, static_cast<std::uint8_t>(2 + random_() % 250), id, 0x0011);
      frame[7] = static_cast<char>(random_());
      send("binary bad version", port, frame + random_bytes(8));
      break;
    }
    case 5: {  // well framed, a real or unknown opcode, a random body
      const std::size_t body = random_() % 200;
      send("binary random body", port,
           binary_header(static_cast<std::uint32_t>(16 + body), 1, id, harmless_opcode(random_)) +
               random_bytes(body));
      break;
    }
    case 6: {  // many small bad frames pipelined on one connection
      std::string frames;
      for (int i = 0; i < 50; ++i) {
        const std::size_t body = random_() % 16;
        frames += binary_header(static_cast<std::uint32_t>(16 + body), 1, id + i, harmless_opcode(random_)) +
                  random_bytes(body);
      }
      send("binary pipelined bad frames", port, frames);
      break;
    }
    case 7: {  // a slow client: a frame dripped a byte per burst
      const std::string frame = binary_header(16 + 4, 1, id, 0x0011) + random_bytes(4);
      send("binary slow frame", port, frame.substr(0, 3), frame.substr(3));
      break;
    }
    default: send("binary silent", port, "", "x"); break;  // connects and says nothing
  }
}

void GarbageNemesis::hit_http(std::uint16_t port) {
  const std::string path = random_() % 2 ? "/v1/kv/try-set" : "/v1/kv/try-get";
  switch (random_() % 12) {
    case 0: send("http random bytes", port, random_bytes(1 + random_() % 600)); break;
    case 1: send("http bad request line", port, "GARBAGE /\x01\x02 HTTP/9.9\r\n\r\n"); break;
    case 2:
      send("http lying content-length", port,
           "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999\r\n\r\n{\"key\":");
      break;
    case 3:
      send("http truncated body", port,
           "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"key\":\"a");
      break;
    case 4:
      send("http bad chunking", port,
           "POST " + path +
               " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZZ\r\nxx\r\n0\r\n\r\n");
      break;
    case 5: {
      const std::string header = "X-Big: " + std::string(100 * 1024, 'a') + "\r\n";
      send("http oversized header", port, "GET /health HTTP/1.1\r\nHost: x\r\n" + header + "\r\n");
      break;
    }
    case 6: {  // deeply nested JSON: a recursive parser would run out of stack
      const std::string body = std::string(100000, '[') + std::string(100000, ']');
      send("http deep json", port,
           "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n\r\n" + body);
      break;
    }
    case 7: {  // JSON with wrong types, bad base64, invalid UTF-8, huge numbers
      static const char* bodies[] = {
          "{\"key\":5,\"value\":[1,2]}",
          "{\"key\":\"reg-a/x\",\"value\":\"!!not base64!!\",\"durability\":1}",
          "{\"key\":\"\xff\xfe\",\"durability\":1}",
          "{\"key\":\"reg-a/x\",\"expiresMs\":1e400,\"durability\":99999999999999999999}",
          "{\"key\":null}",
          "{not json",
          "",
      };
      const std::string body = bodies[random_() % (sizeof bodies / sizeof *bodies)];
      send("http bad json", port,
           "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n\r\n" + body);
      break;
    }
    case 8: {  // reads only: a write here would be an operation the history does not know
      std::string requests;
      for (int i = 0; i < 20; ++i)
        requests += "GET /v1/nope/" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
      send("http pipelined junk requests", port, requests + random_bytes(64));
      break;
    }
    case 9: send("http slow request", port, "GE", "T /health HTTP/1.1\r\nHost: x\r\n\r\n"); break;
    case 10: send("http nul bytes", port, std::string("GET /\0\0\0 HTTP/1.1\r\n\0\r\n\r\n", 26)); break;
    default: send("http silent", port, "", "x"); break;
  }
}

void GarbageNemesis::hit_peer(int node, std::uint16_t port) {
  const auto self = static_cast<std::uint64_t>(node);
  const auto nodes = static_cast<std::uint64_t>(cluster_.size());
  switch (random_() % 8) {
    case 0: send("peer random bytes", port, random_bytes(1 + random_() % 600)); break;
    case 1: send("peer hello to another node", port, peer_hello(1, 1, self % nodes + 1)); break;
    case 2:
      send("peer hello from a node that may not dial", port, peer_hello(1, self + random_() % 5, self));
      break;
    case 3:
      send("peer hello bad version", port,
           peer_hello(static_cast<std::uint16_t>(2 + random_() % 1000), 1, self));
      break;
    case 4: send("peer truncated hello", port, peer_hello(1, 1, self).substr(0, 1 + random_() % 20)); break;
    case 5: {
      // A hello from a node that may dial this one, then a frame over any
      // limit: the node closes it (and its real peer redials).
      if (self == 1) {
        send("peer random bytes", port, random_bytes(64));
        break;
      }
      std::string bytes = peer_hello(1, 1 + random_() % (self - 1), self);
      put(bytes, std::uint32_t{0xFFFFFFF0u});
      put(bytes, std::uint32_t{0});
      send("peer huge frame", port, bytes);
      break;
    }
    case 6: send("peer slow hello", port, "KH", peer_hello(1, 1, self).substr(2)); break;
    default: send("peer silent", port, "", "x"); break;
  }
}

}  // namespace kahuna::faults
