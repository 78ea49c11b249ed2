#include "byte_reader.h"

namespace kahuna::wire {

void ByteReader::fail(const char* field, const std::string& reason) {
  if (!ok_) return;
  ok_ = false;
  const std::string name = context_ != nullptr ? std::string(context_) + "." + field : std::string(field);
  error_ = "field '" + name + "' at offset " + std::to_string(offset_) + ": " + reason;
}

bool ByteReader::need(const char* field, std::size_t size) {
  if (!ok_) return false;
  if (size > remaining()) {
    fail(field, "needs " + std::to_string(size) + " bytes, " + std::to_string(remaining()) + " left");
    return false;
  }
  return true;
}

std::uint64_t ByteReader::little_endian(const char* field, int size) {
  if (!need(field, static_cast<std::size_t>(size))) return 0;
  std::uint64_t value = 0;
  for (int i = 0; i < size; ++i) {
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[offset_ + i])) << (8 * i);
  }
  offset_ += static_cast<std::size_t>(size);
  return value;
}

std::uint8_t ByteReader::u8(const char* field) { return static_cast<std::uint8_t>(little_endian(field, 1)); }
std::uint16_t ByteReader::u16(const char* field) {
  return static_cast<std::uint16_t>(little_endian(field, 2));
}
std::uint32_t ByteReader::u32(const char* field) {
  return static_cast<std::uint32_t>(little_endian(field, 4));
}
std::uint64_t ByteReader::u64(const char* field) { return little_endian(field, 8); }

bool ByteReader::boolean(const char* field) {
  const std::size_t at = offset_;
  const std::uint8_t value = u8(field);
  if (value > 1) {
    offset_ = at;  // report the offset of the bad byte
    fail(field, "boolean byte must be 0 or 1, got " + std::to_string(value));
    return false;
  }
  return value == 1;
}

void ByteReader::bytes(const char* field, std::string& out) {
  const std::size_t at = offset_;
  const std::uint32_t size = u32(field);
  if (!ok_) return;
  if (size > remaining()) {
    const std::size_t left = remaining();
    offset_ = at;  // report the offset of the length prefix
    fail(field,
         "length " + std::to_string(size) + " exceeds the " + std::to_string(left) + " bytes left after it");
    return;
  }
  out.assign(in_.data() + offset_, size);
  offset_ += size;
}

void ByteReader::optional_bytes(const char* field, std::optional<std::string>& out) {
  if (!boolean(field)) {
    out.reset();
    return;
  }
  out.emplace();
  bytes(field, *out);
}

void ByteReader::optional_i64(const char* field, std::optional<std::int64_t>& out) {
  if (!boolean(field)) {
    out.reset();
    return;
  }
  out = i64(field);
}

HlcTimestamp ByteReader::timestamp(const char* field) {
  HlcTimestamp value;
  value.node = i32(field);
  value.physical = i64(field);
  value.logical = u32(field);
  return value;
}

std::uint8_t ByteReader::zero_or_one(const char* field, const char* what, const char* zero, const char* one) {
  const std::uint8_t value = u8(field);
  if (value > 1) {
    --offset_;  // report the offset of the bad byte
    fail(field,
         std::string(what) + " must be 0 (" + zero + ") or 1 (" + one + "), got " + std::to_string(value));
    return 0;
  }
  return value;
}

Durability ByteReader::durability(const char* field) {
  return static_cast<Durability>(zero_or_one(field, "durability", "ephemeral", "persistent"));
}

ReadConsistency ByteReader::consistency(const char* field) {
  return static_cast<ReadConsistency>(zero_or_one(field, "consistency", "linearizable", "local"));
}

std::size_t ByteReader::count(const char* field, std::size_t min_element_size) {
  const std::size_t at = offset_;
  const std::uint32_t n = u32(field);
  if (!ok_) return 0;
  // Division, not multiplication: no overflow for any count.
  if (n > remaining() / min_element_size) {
    const std::size_t left = remaining();
    offset_ = at;  // report the offset of the count
    fail(field, "count " + std::to_string(n) + " cannot fit in the " + std::to_string(left) +
                    " bytes left after it (each element takes at least " + std::to_string(min_element_size) +
                    ")");
    return 0;
  }
  return n;
}

Status ByteReader::finish() const {
  if (!ok_) return Status::invalid_argument(error_);
  if (remaining() != 0) {
    return Status::invalid_argument(std::to_string(remaining()) +
                                    " trailing bytes after the last field at offset " +
                                    std::to_string(offset_));
  }
  return Status::ok();
}

}  // namespace kahuna::wire
