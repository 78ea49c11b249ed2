// The stored formats' spelling of each field type (byte_writer.h), and
// whole-value encoders for every type with a field list
// (codec/field_list.h): Raft log commands, the replies remembered for
// retried requests, and the state machines' records.
//
//   string             varint length, bytes
//   optional<T>        0/1 byte, then T when present
//   signed integers    zigzag varint       unsigned integers   varint
//   bool               0/1 byte            HlcTimestamp        node, physical, logical
//   enum               its underlying integer
//   vector<T>          varint count, then the elements
//   map<string,string> varint count, then name and value, names ascending
//   a struct           its field list, in order
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "codec/field_list.h"
#include "codec/type_fields.h"
#include "services/codec/byte_reader.h"
#include "services/codec/byte_writer.h"

namespace kahuna::services {

class FieldWriter {
 public:
  explicit FieldWriter(ByteWriter& w) : w_(w) {}

  template <class T>
  void operator()(const char* /*name*/, const T& value) {
    put(value);
  }

 private:
  void put(const std::string& value) { w_.bytes(value); }
  void put(bool value) { w_.boolean(value); }
  void put(const HlcTimestamp& value) { w_.hlc(value); }
  template <class Int>
  requires std::is_integral_v<Int>
  void put(Int value) {
    if constexpr (std::is_signed_v<Int>) {
      w_.svarint(value);
    } else {
      w_.varint(value);
    }
  }
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
    w_.varint(items.size());
    for (const T& item : items) put(item);
  }
  void put(const std::map<std::string, std::string>& map) {
    w_.varint(map.size());
    for (const auto& [name, value] : map) {
      w_.bytes(name);
      w_.bytes(value);
    }
  }
  template <class T>
  requires codec::HasFields<FieldWriter, const T>
  void put(const T& value) { fields(*this, value); }

  ByteWriter& w_;
};

// Reads until the first failure; the caller checks ByteReader::ok() or done().
class FieldReader {
 public:
  explicit FieldReader(ByteReader& r) : r_(r) {}

  template <class T>
  void operator()(const char* /*name*/, T& value) {
    get(value);
  }

 private:
  void get(std::string& out) { r_.bytes(out); }
  void get(bool& out) { r_.boolean(out); }
  void get(HlcTimestamp& out) { r_.hlc(out); }
  template <class Int>
  requires std::is_integral_v<Int>
  void get(Int& out) { r_.int_in_range(out); }
  template <class E>
  requires std::is_enum_v<E>
  void get(E& out) {
    std::underlying_type_t<E> value{};
    get(value);
    out = static_cast<E>(value);
  }
  template <class T>
  void get(std::optional<T>& out) {
    bool present = false;
    if (!r_.boolean(present) || !present) {
      out.reset();
      return;
    }
    get(out.emplace());
  }
  // No reserve(count): a forged count must not allocate. Every element takes
  // at least one byte, so the loop ends with the input.
  template <class T>
  void get(std::vector<T>& out) {
    std::uint64_t count = 0;
    r_.varint(count);
    out.clear();
    for (std::uint64_t i = 0; i < count && r_.ok(); ++i) get(out.emplace_back());
  }
  // Names ascending and distinct, as the writer gives them: the one encoding
  // of a map is the only one accepted.
  void get(std::map<std::string, std::string>& out) {
    std::uint64_t count = 0;
    r_.varint(count);
    out.clear();
    for (std::uint64_t i = 0; i < count && r_.ok(); ++i) {
      std::string name;
      std::string value;
      if (!r_.bytes(name) || !r_.bytes(value)) return;
      if (!out.empty() && name <= out.rbegin()->first) {
        r_.fail();
        return;
      }
      out.emplace_hint(out.end(), std::move(name), std::move(value));
    }
  }
  template <class T>
  requires codec::HasFields<FieldReader, T>
  void get(T& value) { fields(*this, value); }

  ByteReader& r_;
};

template <class T>
void write_fields(ByteWriter& w, const T& value) {
  FieldWriter io(w);
  io("", value);
}
// False when the bytes run out or a value is out of its range.
template <class T>
bool read_fields(ByteReader& r, T& value) {
  FieldReader io(r);
  io("", value);
  return r.ok();
}

// A stored record: a format byte, then the record's fields.
template <class T>
std::string encode_record(std::uint8_t format, const T& record) {
  ByteWriter w;
  w.u8(format);
  write_fields(w, record);
  return w.take();
}
// True when `data` is a record of exactly `format` with nothing after it.
template <class T>
bool decode_record(std::string_view data, std::uint8_t format, T& out) {
  ByteReader r(data);
  std::uint8_t found = 0;
  return r.u8(found) && found == format && read_fields(r, out) && r.done();
}

}  // namespace kahuna::services
