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

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "codec/field_list.h"
#include "codec/field_walk.h"
#include "codec/type_fields.h"
#include "services/codec/byte_reader.h"
#include "services/codec/byte_writer.h"

namespace kahuna::services {

// The leaves, flag and count of the stored formats (codec/field_walk.h).
class StoredWriteFormat {
 public:
  explicit StoredWriteFormat(ByteWriter& w) : w_(&w) {}
  void leaf(const std::string& value) { w_->bytes(value); }
  void leaf(bool value) { w_->boolean(value); }
  void leaf(const HlcTimestamp& value) { w_->hlc(value); }
  template <class Int>
  requires std::is_integral_v<Int>
  void leaf(Int value) {
    if constexpr (std::is_signed_v<Int>) {
      w_->svarint(value);
    } else {
      w_->varint(value);
    }
  }
  void presence(bool present) { w_->boolean(present); }
  void count(std::size_t n) { w_->varint(n); }

 private:
  ByteWriter* w_;
};

class StoredReadFormat {
 public:
  // A count is not checked against the bytes left, so nothing is reserved
  // for it: every element takes at least one byte, and the loop ends with
  // the input.
  static constexpr bool kCountsAreBounded = false;

  explicit StoredReadFormat(ByteReader& r) : r_(&r) {}
  void leaf(const char*, std::string& out) { r_->bytes(out); }
  void leaf(const char*, bool& out) { r_->boolean(out); }
  void leaf(const char*, HlcTimestamp& out) { r_->hlc(out); }
  template <class Int>
  requires std::is_integral_v<Int>
  void leaf(const char*, Int& out) { r_->int_in_range(out); }
  bool presence(const char*) {
    bool present = false;
    return r_->boolean(present) && present;
  }
  template <class Element>
  std::size_t count(const char*) {
    std::uint64_t n = 0;
    r_->varint(n);
    return static_cast<std::size_t>(n);
  }
  bool ok() const { return r_->ok(); }
  void fail(const char*, const char*) { r_->fail(); }
  std::nullptr_t enter(const char*) { return nullptr; }
  void leave(std::nullptr_t) {}

 private:
  ByteReader* r_;
};

using FieldWriter = codec::FieldWriter<StoredWriteFormat>;
using FieldReader = codec::FieldReader<StoredReadFormat>;

template <class T>
void write_fields(ByteWriter& w, const T& value) {
  FieldWriter io{StoredWriteFormat(w)};
  io("", value);
}
// False when the bytes run out or a value is out of its range.
template <class T>
bool read_fields(ByteReader& r, T& value) {
  FieldReader io{StoredReadFormat(r)};
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
