// ByteWriter: appends the compact binary encoding shared by commands and
// stored records. Unsigned integers are LEB128 varints, signed ones are
// zigzag-mapped varints (small magnitudes stay short either way), byte strings
// are a varint length followed by the bytes, and an optional value is a 0/1
// byte followed by the value when present. ByteReader reads exactly this.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/clock/hlc.h"

namespace kahuna::services {

class ByteWriter {
 public:
  void u8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void boolean(bool value) { u8(value ? 1 : 0); }

  void varint(std::uint64_t value) {
    while (value >= 0x80) {
      out_.push_back(static_cast<char>((value & 0x7F) | 0x80));
      value >>= 7;
    }
    out_.push_back(static_cast<char>(value));
  }

  void svarint(std::int64_t value) {
    // Zigzag: 0, -1, 1, -2, ... -> 0, 1, 2, 3, ...
    const auto bits = static_cast<std::uint64_t>(value);
    varint((bits << 1) ^ (value < 0 ? ~std::uint64_t{0} : 0));
  }

  void bytes(std::string_view value) {
    varint(value.size());
    out_.append(value);
  }

  void optional_bytes(const std::optional<std::string>& value) {
    boolean(value.has_value());
    if (value) bytes(*value);
  }

  void optional_svarint(const std::optional<std::int64_t>& value) {
    boolean(value.has_value());
    if (value) svarint(*value);
  }

  void hlc(const HlcTimestamp& stamp) {
    svarint(stamp.node);
    svarint(stamp.physical);
    varint(stamp.logical);
  }

  const std::string& data() const noexcept { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace kahuna::services
