// ByteWriter: appends the binary protocol's primitive encodings to a string
// (docs/protocol.md §3.1): little-endian fixed-width integers, u32-length
// prefixed byte strings, presence-byte optionals, HLC timestamps.
//
// A string or list too long for its u32 prefix is not written; the writer
// remembers it, and the encoder reports it instead of sending a corrupt frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <kahuna/hlc_timestamp.h>

namespace kahuna::wire {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}

  void u8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void u16(std::uint16_t value) { little_endian(value, 2); }
  void u32(std::uint32_t value) { little_endian(value, 4); }
  void u64(std::uint64_t value) { little_endian(value, 8); }
  void i32(std::int32_t value) { little_endian(static_cast<std::uint32_t>(value), 4); }
  void i64(std::int64_t value) { little_endian(static_cast<std::uint64_t>(value), 8); }
  void boolean(bool value) { u8(value ? 1 : 0); }

  // u32 length, then the bytes.
  void bytes(std::string_view value);
  // u8 presence (0 absent, 1 present), then the value when present.
  void optional_bytes(const std::optional<std::string>& value);
  void optional_i64(const std::optional<std::int64_t>& value);
  // i32 node, i64 physical, u32 logical.
  void timestamp(const HlcTimestamp& value);
  // The u32 element count in front of a list.
  void count(std::size_t n);

  // True when something did not fit its length prefix; the output is then unusable.
  bool overflowed() const noexcept { return overflowed_; }

 private:
  void little_endian(std::uint64_t value, int size) {
    for (int i = 0; i < size; ++i) out_.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  }

  std::string& out_;
  bool overflowed_ = false;
};

}  // namespace kahuna::wire
