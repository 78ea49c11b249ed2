// Little-endian writer and bounds-checked reader shared by the message and
// configuration-change codecs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kahuna::raft::detail {

class ByteWriter {
 public:
  void u8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void u32(std::uint32_t value) { put(value, 4); }
  void u64(std::uint64_t value) { put(value, 8); }
  void bytes(std::string_view value) {
    u32(static_cast<std::uint32_t>(value.size()));
    out_.append(value);
  }
  void ids(const std::vector<std::uint64_t>& values) {
    u32(static_cast<std::uint32_t>(values.size()));
    for (std::uint64_t v : values) u64(v);
  }
  std::string take() { return std::move(out_); }

 private:
  void put(std::uint64_t value, int width) {
    for (int i = 0; i < width; ++i) out_.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
  std::string out_;
};

// Every read checks the remaining length first; after the first failure `ok()` stays
// false and all further reads return zero values, so decoders check once at the end.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }
  std::size_t remaining() const { return in_.size() - pos_; }
  void fail() { ok_ = false; }

  std::uint8_t u8() { return static_cast<std::uint8_t>(get(1)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
  std::uint64_t u64() { return get(8); }
  std::string bytes() {
    std::uint32_t n = u32();
    if (!ok_ || n > remaining()) {
      ok_ = false;
      return {};
    }
    std::string out(in_.substr(pos_, n));
    pos_ += n;
    return out;
  }
  // A count of items that each take at least `min_item_size` bytes; rejects counts the
  // remaining input cannot possibly hold, so garbage cannot trigger huge allocations.
  std::uint32_t count(std::size_t min_item_size) {
    std::uint32_t n = u32();
    if (ok_ && static_cast<std::uint64_t>(n) * min_item_size > remaining()) ok_ = false;
    return ok_ ? n : 0;
  }
  std::vector<std::uint64_t> ids() {
    std::uint32_t n = count(8);
    std::vector<std::uint64_t> out;
    out.reserve(n);
    for (std::uint32_t i = 0; i < n && ok_; ++i) out.push_back(u64());
    return out;
  }

 private:
  std::uint64_t get(std::size_t width) {
    if (!ok_ || remaining() < width) {
      ok_ = false;
      return 0;
    }
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      value |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    }
    pos_ += width;
    return value;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace kahuna::raft::detail
