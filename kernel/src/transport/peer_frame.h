// The peer wire format: what one node sends another over their shared TCP
// connection. Little-endian throughout.
//
//   hello  (once, from the dialing node):  "KHNP" | u16 version | u64 from | u64 to
//   frame  (any number, both directions):  u32 length | u32 group | payload
//
// `length` counts the group field and the payload. A frame longer than the
// receiver's limit, or a hello that does not match, closes the connection.
//
// A request connection (a node that is not a peer yet, e.g. one asking a
// member to admit it) is a hello with `to == 0`, then exactly one frame on
// kRequestChannel; the receiver answers with one frame on kRequestChannel
// and closes:
//
//   dialer:    hello{version, from, to = 0} | frame{kRequestChannel, request}
//   receiver:  frame{kRequestChannel, reply}, then close
//
// A receiver that will not answer (no handler, malformed request) closes
// without a reply. One whose protocol version differs answers with its own
// hello instead of a frame, so the dialer can name both versions.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace kahuna::peer_wire {

inline constexpr char kMagic[4] = {'K', 'H', 'N', 'P'};
// Raised whenever the replicated commands change (2: the cluster metadata
// commands; 3: replica reports and per-partition replication factors), so that nodes which would apply a log
// differently never replicate to each other. A rolling upgrade still keeps a quorum: the upgraded nodes and
// the others each talk among themselves.
inline constexpr std::uint16_t kVersion = 3;
inline constexpr std::size_t kHelloSize = 4 + 2 + 8 + 8;
inline constexpr std::size_t kFrameHeaderSize = 4 + 4;
// The group of a request connection's two frames; no Raft group uses it.
inline constexpr std::uint32_t kRequestChannel = 0xFFFFFFFF;

struct Hello {
  std::uint16_t version = kVersion;
  std::uint64_t from = 0;
  std::uint64_t to = 0;
};

template <class T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));  // the host is little-endian (x86-64, arm64)
  out.append(bytes, sizeof(T));
}

template <class T>
T get(const char* in) {
  T value;
  std::memcpy(&value, in, sizeof(T));
  return value;
}

inline std::string encode_hello(const Hello& hello) {
  std::string out(kMagic, 4);
  put(out, hello.version);
  put(out, hello.from);
  put(out, hello.to);
  return out;
}

// False when `bytes` (kHelloSize of them) do not start with the magic.
inline bool decode_hello(const char* bytes, Hello& hello) {
  if (std::memcmp(bytes, kMagic, 4) != 0) return false;
  hello.version = get<std::uint16_t>(bytes + 4);
  hello.from = get<std::uint64_t>(bytes + 6);
  hello.to = get<std::uint64_t>(bytes + 14);
  return true;
}

inline std::string encode_frame(std::uint32_t group, std::string_view payload) {
  std::string out;
  out.reserve(kFrameHeaderSize + payload.size());
  put(out, static_cast<std::uint32_t>(payload.size() + 4));
  put(out, group);
  out.append(payload);
  return out;
}

}  // namespace kahuna::peer_wire
