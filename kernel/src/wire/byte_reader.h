// ByteReader: reads the binary protocol's primitive encodings from untrusted
// bytes, the mirror of ByteWriter.
//
// The first failure sticks: later reads return zeros and empty values and
// do not move, so a decoder reads field after field and checks once at the
// end with finish(). Every length and element count is checked against the
// bytes left before anything is allocated, so a forged length costs nothing.
// Field names given to each read make the failure message precise:
// "field 'owner' at offset 12: length 4000 exceeds the 3 bytes left after it".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <kahuna/hlc_timestamp.h>
#include <kahuna/kernel_api.h>
#include <kahuna/status.h>

namespace kahuna::wire {

// Sizes of the fixed encodings, for the minimum size of a list element.
inline constexpr std::size_t kTimestampSize = 4 + 8 + 4;
inline constexpr std::size_t kBytesMinSize = 4;     // an empty byte string
inline constexpr std::size_t kOptionalMinSize = 1;  // an absent optional

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  std::uint8_t u8(const char* field);
  std::uint16_t u16(const char* field);
  std::uint32_t u32(const char* field);
  std::uint64_t u64(const char* field);
  std::int32_t i32(const char* field) { return static_cast<std::int32_t>(u32(field)); }
  std::int64_t i64(const char* field) { return static_cast<std::int64_t>(u64(field)); }
  // Only 0 and 1 are booleans; any other byte is malformed.
  bool boolean(const char* field);

  void bytes(const char* field, std::string& out);
  void optional_bytes(const char* field, std::optional<std::string>& out);
  void optional_i64(const char* field, std::optional<std::int64_t>& out);
  HlcTimestamp timestamp(const char* field);
  // Refused unless 0 or 1.
  Durability durability(const char* field);
  ReadConsistency consistency(const char* field);

  // A list's element count, refused when `count * min_element_size` exceeds
  // the bytes left (min_element_size >= 1), so reserving `count` is safe.
  std::size_t count(const char* field, std::size_t min_element_size);

  // Marks the input malformed (first failure wins).
  void fail(const char* field, const std::string& reason);

  // The struct being read, named in front of its fields in a failure
  // ("sequence.name"): enter() a struct with its field's name ("" keeps the
  // enclosing name), leave() with what enter() returned.
  using Context = const char*;
  Context enter(const char* name) noexcept {
    const Context outer = context_;
    if (*name != '\0') context_ = name;
    return outer;
  }
  void leave(Context outer) noexcept { context_ = outer; }

  bool ok() const noexcept { return ok_; }
  std::size_t remaining() const noexcept { return in_.size() - offset_; }

  // The outcome of the whole read: the first failure, else trailing bytes
  // are an error too, else ok.
  Status finish() const;

 private:
  // Whether `size` more bytes exist; fails the reader when not.
  bool need(const char* field, std::size_t size);
  std::uint64_t little_endian(const char* field, int size);
  // A u8 that must be 0 or 1, else "<what> must be 0 (<zero>) or 1 (<one>)".
  std::uint8_t zero_or_one(const char* field, const char* what, const char* zero, const char* one);

  std::string_view in_;
  std::size_t offset_ = 0;
  bool ok_ = true;
  std::string error_;
  Context context_ = nullptr;
};

}  // namespace kahuna::wire
