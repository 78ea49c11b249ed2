#include "byte_writer.h"

namespace kahuna::wire {

namespace {
constexpr std::size_t kMaxU32 = 0xFFFFFFFFu;
}

void ByteWriter::bytes(std::string_view value) {
  if (value.size() > kMaxU32) {
    overflowed_ = true;
    return;
  }
  u32(static_cast<std::uint32_t>(value.size()));
  out_.append(value);
}

void ByteWriter::optional_bytes(const std::optional<std::string>& value) {
  boolean(value.has_value());
  if (value) bytes(*value);
}

void ByteWriter::optional_i64(const std::optional<std::int64_t>& value) {
  boolean(value.has_value());
  if (value) i64(*value);
}

void ByteWriter::timestamp(const HlcTimestamp& value) {
  i32(value.node);
  i64(value.physical);
  u32(value.logical);
}

void ByteWriter::count(std::size_t n) {
  if (n > kMaxU32) {
    overflowed_ = true;
    return;
  }
  u32(static_cast<std::uint32_t>(n));
}

}  // namespace kahuna::wire
