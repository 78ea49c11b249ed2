// ByteReader: reads what ByteWriter wrote, from untrusted bytes.
//
// Every read checks the remaining length first and never reads past the end;
// a varint longer than 10 bytes, overflowing 64 bits or padded with zero
// bytes, a length larger than what is left, or a flag byte other than 0/1
// fails the read. So every accepted input has exactly one decoding, and
// re-encoding it gives the same bytes. After the first
// failure every later read fails too, so a decoder may read a whole record
// and check ok() once at the end.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "services/clock/hlc.h"

namespace kahuna::services {

class ByteReader {
 public:
  // Reads `data` in place: it must outlive the reader.
  explicit ByteReader(std::string_view data) noexcept : data_(data) {}
  // A temporary string would be gone before the first read.
  explicit ByteReader(std::string&&) = delete;

  bool ok() const noexcept { return ok_; }
  // True when every byte was consumed and no read failed: a decoder calls it
  // last, so trailing garbage is an error rather than silently ignored.
  bool done() const noexcept { return ok_ && pos_ == data_.size(); }
  std::size_t remaining() const noexcept { return ok_ ? data_.size() - pos_ : 0; }
  // Marks the input invalid (a decoder found a value out of its range).
  void fail() noexcept { ok_ = false; }

  bool u8(std::uint8_t& out) noexcept {
    if (!ok_ || pos_ >= data_.size()) return fail_read();
    out = static_cast<std::uint8_t>(data_[pos_++]);
    return true;
  }

  bool boolean(bool& out) noexcept {
    std::uint8_t byte = 0;
    if (!u8(byte)) return false;
    if (byte > 1) return fail_read();
    out = byte == 1;
    return true;
  }

  bool varint(std::uint64_t& out) noexcept {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      std::uint8_t byte = 0;
      if (!u8(byte)) return false;
      const std::uint64_t payload = byte & 0x7F;
      // The tenth byte may carry only the top bit of a 64-bit value.
      if (shift == 63 && payload > 1) return fail_read();
      // A zero final byte after the first is a padded (non-minimal) form:
      // refused, so every value has exactly one encoding.
      if (byte == 0 && shift > 0) return fail_read();
      value |= payload << shift;
      if ((byte & 0x80) == 0) {
        out = value;
        return true;
      }
    }
    return fail_read();
  }

  bool svarint(std::int64_t& out) noexcept {
    std::uint64_t bits = 0;
    if (!varint(bits)) return false;
    out = static_cast<std::int64_t>((bits >> 1) ^ (~(bits & 1) + 1));
    return true;
  }

  // A varint that must fit in [min, max].
  template <class Int>
  bool int_in_range(Int& out, Int min = std::numeric_limits<Int>::min(),
                    Int max = std::numeric_limits<Int>::max()) noexcept {
    if constexpr (std::numeric_limits<Int>::is_signed) {
      std::int64_t value = 0;
      if (!svarint(value)) return false;
      if (value < static_cast<std::int64_t>(min) || value > static_cast<std::int64_t>(max))
        return fail_read();
      out = static_cast<Int>(value);
    } else {
      std::uint64_t value = 0;
      if (!varint(value)) return false;
      if (value < static_cast<std::uint64_t>(min) || value > static_cast<std::uint64_t>(max))
        return fail_read();
      out = static_cast<Int>(value);
    }
    return true;
  }

  // A view into the input; valid as long as the input is.
  bool bytes_view(std::string_view& out) noexcept {
    std::uint64_t size = 0;
    if (!varint(size)) return false;
    if (size > data_.size() - pos_) return fail_read();
    out = data_.substr(pos_, static_cast<std::size_t>(size));
    pos_ += static_cast<std::size_t>(size);
    return true;
  }

  bool bytes(std::string& out) {
    std::string_view view;
    if (!bytes_view(view)) return false;
    out.assign(view);
    return true;
  }

  bool optional_bytes(std::optional<std::string>& out) {
    bool present = false;
    if (!boolean(present)) return false;
    if (!present) {
      out.reset();
      return true;
    }
    std::string value;
    if (!bytes(value)) return false;
    out = std::move(value);
    return true;
  }

  bool optional_svarint(std::optional<std::int64_t>& out) noexcept {
    bool present = false;
    if (!boolean(present)) return false;
    if (!present) {
      out.reset();
      return true;
    }
    std::int64_t value = 0;
    if (!svarint(value)) return false;
    out = value;
    return true;
  }

  bool hlc(HlcTimestamp& out) noexcept {
    return int_in_range(out.node) && svarint(out.physical) && int_in_range(out.logical);
  }

 private:
  bool fail_read() noexcept {
    ok_ = false;
    return false;
  }

  std::string_view data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace kahuna::services
