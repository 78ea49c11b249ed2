// The binary protocol's spelling of each field type (docs/protocol.md §3.1),
// and write()/read() for every type with a field list (codec/field_list.h).
//
//   string               u32 length, bytes
//   optional<T>          u8 presence (0 or 1), then T when present
//   i64 / u64 / u32      little-endian, fixed width
//   bool                 u8 0 or 1
//   HlcTimestamp         i32 node, i64 physical, u32 logical
//   enum                 its underlying integer (every one is declared with
//                        the width it travels in); outcome codes are kept as
//                        sent (a client treats a code it does not know as an
//                        error), Durability and ReadConsistency are checked
//   vector<T>            u32 count, then the elements
//   map<string, string>  u32 count, then name and value, names ascending
//   a struct             its field list, in order
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <kahuna/status.h>
#include <kahuna/types.h>
#include <kahuna/wire/error_reply.h>
#include <kahuna/wire/opcode.h>

#include "../codec/field_list.h"
#include "../codec/field_walk.h"
#include "../codec/type_fields.h"
#include "../codec/variant_alternative.h"
#include "byte_reader.h"
#include "byte_writer.h"

namespace kahuna::wire {

// The leaves, flag and count of the binary protocol (codec/field_walk.h).
class WireWriteFormat {
 public:
  explicit WireWriteFormat(ByteWriter& w) : w_(&w) {}
  void leaf(const std::string& value) { w_->bytes(value); }
  void leaf(std::int64_t value) { w_->i64(value); }
  void leaf(std::int32_t value) { w_->i32(value); }
  void leaf(std::uint64_t value) { w_->u64(value); }
  void leaf(std::uint32_t value) { w_->u32(value); }
  void leaf(std::uint16_t value) { w_->u16(value); }
  void leaf(std::uint8_t value) { w_->u8(value); }
  void leaf(bool value) { w_->boolean(value); }
  void leaf(const HlcTimestamp& value) { w_->timestamp(value); }
  void presence(bool present) { w_->boolean(present); }
  void count(std::size_t n) { w_->count(n); }

 private:
  ByteWriter* w_;
};

class WireReadFormat {
 public:
  // Every count is checked against the bytes left (ByteReader::count).
  static constexpr bool kCountsAreBounded = true;

  explicit WireReadFormat(ByteReader& r) : r_(&r) {}
  void leaf(const char* name, std::string& out) { r_->bytes(name, out); }
  void leaf(const char* name, std::int64_t& out) { out = r_->i64(name); }
  void leaf(const char* name, std::int32_t& out) { out = r_->i32(name); }
  void leaf(const char* name, std::uint64_t& out) { out = r_->u64(name); }
  void leaf(const char* name, std::uint32_t& out) { out = r_->u32(name); }
  void leaf(const char* name, std::uint16_t& out) { out = r_->u16(name); }
  void leaf(const char* name, std::uint8_t& out) { out = r_->u8(name); }
  void leaf(const char* name, bool& out) { out = r_->boolean(name); }
  void leaf(const char* name, HlcTimestamp& out) { out = r_->timestamp(name); }
  void leaf(const char* name, Durability& out) { out = r_->durability(name); }
  bool presence(const char* name) { return r_->boolean(name); }
  template <class Element>
  std::size_t count(const char* name);
  bool ok() const { return r_->ok(); }
  void fail(const char* name, const char* reason) { r_->fail(name, reason); }
  ByteReader::Context enter(const char* name) { return r_->enter(name); }
  void leave(ByteReader::Context outer) { r_->leave(outer); }

 private:
  ByteReader* r_;
};

using FieldWriter = codec::FieldWriter<WireWriteFormat>;
using FieldReader = codec::FieldReader<WireReadFormat>;

// Every type with a field list, and the lists and routed replies built of them.
template <class T>
void write(ByteWriter& w, const T& value) {
  FieldWriter io{WireWriteFormat(w)};
  io("", value);
}
template <class T>
void read(ByteReader& r, T& value) {
  FieldReader io{WireReadFormat(r)};
  io("", value);
}

// The fewest bytes a T can encode to: its default value's encoding, since
// defaults are empty strings, absent optionals and empty lists. Bounds a
// list's element count by the bytes left, so a forged count allocates nothing.
template <class T>
std::size_t min_encoded_size() {
  static const std::size_t size = [] {
    std::string bytes;
    ByteWriter w(bytes);
    write(w, T{});
    return bytes.size();
  }();
  return size;
}

// Reads the rest of `r` as the alternative of `out` whose opcode is `opcode`
// (`opcodes` gives each alternative's, by index) and checks that nothing is
// left; `what` ("request", "reply") names the body in errors.
template <class Variant, class Opcodes>
Status read_alternative(ByteReader& r, Opcode opcode, const Opcodes& opcodes, const char* what,
                        Variant& out) {
  const auto named = [&](std::size_t index) { return opcodes[index] == opcode; };
  const auto read_fields = [&](auto& alternative) {
    read(r, alternative);
    return true;
  };
  if (!codec::read_named_alternative(out, named, read_fields)) {
    return Status::invalid_argument(std::string("unknown ") + what + " opcode " +
                                    std::to_string(static_cast<unsigned>(opcode)));
  }
  if (Status s = r.finish(); !s.is_ok()) {
    return Status::invalid_argument(std::string(to_string(opcode)) + " body: " + s.message());
  }
  return Status::ok();
}

// A list's or map's count, refused when even elements of the fewest bytes
// could not fit in what is left.
template <class Element>
std::size_t WireReadFormat::count(const char* name) {
  if constexpr (std::is_same_v<Element, std::pair<std::string, std::string>>) {
    return r_->count(name, 2 * kBytesMinSize);
  } else {
    return r_->count(name, min_encoded_size<Element>());
  }
}

}  // namespace kahuna::wire
