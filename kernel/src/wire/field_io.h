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
#include <vector>

#include <kahuna/status.h>
#include <kahuna/types.h>
#include <kahuna/wire/error_reply.h>
#include <kahuna/wire/opcode.h>

#include "../codec/field_list.h"
#include "../codec/type_fields.h"
#include "../codec/variant_alternative.h"
#include "byte_reader.h"
#include "byte_writer.h"

namespace kahuna::wire {

class FieldWriter {
 public:
  explicit FieldWriter(ByteWriter& w) : w_(w) {}

  template <class T>
  void operator()(const char* /*name*/, const T& value) {
    put(value);
  }

 private:
  void put(const std::string& value) { w_.bytes(value); }
  void put(std::int64_t value) { w_.i64(value); }
  void put(std::int32_t value) { w_.i32(value); }
  void put(std::uint64_t value) { w_.u64(value); }
  void put(std::uint32_t value) { w_.u32(value); }
  void put(std::uint16_t value) { w_.u16(value); }
  void put(std::uint8_t value) { w_.u8(value); }
  void put(bool value) { w_.boolean(value); }
  void put(const HlcTimestamp& value) { w_.timestamp(value); }
  template <class E>
  requires std::is_enum_v<E>
  void put(E value) { put(static_cast<std::underlying_type_t<E>>(value)); }
  template <class T>
  void put(const std::optional<T>& value) {
    w_.boolean(value.has_value());
    if (value) put(*value);
  }
  template <class T>
  void put(const std::vector<T>& items) {
    w_.count(items.size());
    for (const T& item : items) put(item);
  }
  void put(const std::map<std::string, std::string>& map);
  template <class T>
  requires codec::HasFields<FieldWriter, const T>
  void put(const T& value) { fields(*this, value); }

  ByteWriter& w_;
};

class FieldReader {
 public:
  explicit FieldReader(ByteReader& r) : r_(r) {}

  template <class T>
  void operator()(const char* name, T& value) {
    get(name, value);
  }

 private:
  void get(const char* name, std::string& out) { r_.bytes(name, out); }
  void get(const char* name, std::int64_t& out) { out = r_.i64(name); }
  void get(const char* name, std::int32_t& out) { out = r_.i32(name); }
  void get(const char* name, std::uint64_t& out) { out = r_.u64(name); }
  void get(const char* name, std::uint32_t& out) { out = r_.u32(name); }
  void get(const char* name, std::uint16_t& out) { out = r_.u16(name); }
  void get(const char* name, std::uint8_t& out) { out = r_.u8(name); }
  void get(const char* name, bool& out) { out = r_.boolean(name); }
  void get(const char* name, HlcTimestamp& out) { out = r_.timestamp(name); }
  void get(const char* name, Durability& out) { out = r_.durability(name); }
  template <class E>
  requires std::is_enum_v<E>
  void get(const char* name, E& out) {
    std::underlying_type_t<E> value{};
    get(name, value);
    out = static_cast<E>(value);
  }
  template <class T>
  void get(const char* name, std::optional<T>& out) {
    if (!r_.boolean(name)) {
      out.reset();
      return;
    }
    get(name, out.emplace());
  }
  template <class T>
  void get(const char* name, std::vector<T>& out);
  void get(const char* name, std::map<std::string, std::string>& out);
  // A nested struct: its fields, named after it in errors ("sequence.name").
  template <class T>
  requires codec::HasFields<FieldReader, T>
  void get(const char* name, T& value) {
    const ByteReader::Context outer = r_.enter(name);
    fields(*this, value);
    r_.leave(outer);
  }

  ByteReader& r_;
};

// Every type with a field list, and the lists and routed replies built of them.
template <class T>
void write(ByteWriter& w, const T& value) {
  FieldWriter io(w);
  io("", value);
}
template <class T>
void read(ByteReader& r, T& value) {
  FieldReader io(r);
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

template <class T>
void FieldReader::get(const char* name, std::vector<T>& out) {
  const std::size_t n = r_.count(name, min_encoded_size<T>());
  out.clear();
  out.reserve(n);
  for (std::size_t i = 0; i < n && r_.ok(); ++i) get(name, out.emplace_back());
}

}  // namespace kahuna::wire
