// The frame header of the binary protocol (docs/protocol.md §2). Every
// request and every reply is one frame; all integers are little-endian.
//
//   offset size field
//   0      4    u32 length      bytes after this field: 16 + body size
//   4      2    magic           'K' 'W' (0x4B 0x57)
//   6      1    u8  version     kProtocolVersion
//   7      1    u8  flags       0 (every bit reserved)
//   8      8    u64 request_id  chosen by the client, echoed by the reply
//   16     2    u16 opcode      kahuna/wire/opcode.h
//   18     2    u16 reserved    0
//   20     ...  body            layout chosen by the opcode
//
// The length, magic and version keep their place in every future version,
// so a reader can always skip a frame of a version it does not speak.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <kahuna/status.h>

namespace kahuna::wire {

inline constexpr char kMagic[2] = {'K', 'W'};
// 2: routes carry the metadata version, cluster status the members' states
// and the partitions' replica sets, and the cluster administration opcodes.
inline constexpr std::uint8_t kProtocolVersion = 2;
inline constexpr std::size_t kFrameHeaderSize = 20;
// The part of the header that the length field counts.
inline constexpr std::size_t kHeaderAfterLength = kFrameHeaderSize - 4;
// The largest body a frame can describe: its length field is a u32.
inline constexpr std::size_t kMaxBodySize = 0xFFFFFFFFu - kHeaderAfterLength;
// Default limit on a whole frame (header included) a receiver accepts.
inline constexpr std::size_t kDefaultMaxFrameBytes = 4u << 20;

struct FrameHeader {
  std::uint32_t body_size = 0;
  std::uint8_t version = kProtocolVersion;
  std::uint8_t flags = 0;
  std::uint64_t request_id = 0;
  std::uint16_t opcode = 0;  // an Opcode, kept raw so unknown numbers survive decoding
  friend bool operator==(const FrameHeader&, const FrameHeader&) = default;

  // Header and body together.
  std::size_t frame_size() const noexcept { return kFrameHeaderSize + body_size; }
};

// Appends the kFrameHeaderSize bytes of `header` to `out`.
void append_frame_header(std::string& out, const FrameHeader& header);

// Reads the header at the start of `bytes`, which must hold at least
// kFrameHeaderSize bytes (else invalid_argument). Checks the magic, the
// length field (at least kHeaderAfterLength) and the reserved field; it does
// not judge version, flags or opcode, so that a receiver can still answer a
// frame it cannot serve with an error reply naming its request id.
Status decode_frame_header(std::string_view bytes, FrameHeader& out);

}  // namespace kahuna::wire
