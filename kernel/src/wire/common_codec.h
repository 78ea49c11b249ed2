// Encodings shared by every family: routes, Routed<T>, lists.
//
// Every encodable type T has a pair of overloads in this namespace,
//   void write(ByteWriter&, const T&);   void read(ByteReader&, T&);
// declared in its family's header (lock_codec.h, kv_codec.h, ...).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <kahuna/kernel_api.h>

#include "byte_reader.h"
#include "byte_writer.h"

namespace kahuna::wire {

// u32 partition, u64 leader, u8 provenance.
void write(ByteWriter& w, const Route& route);
void read(ByteReader& r, Route& route);

// The reply's fields, then its route.
template <class Reply>
void write(ByteWriter& w, const Routed<Reply>& routed) {
  write(w, routed.reply);
  write(w, routed.route);
}
template <class Reply>
void read(ByteReader& r, Routed<Reply>& routed) {
  read(r, routed.reply);
  read(r, routed.route);
}

// The fewest bytes a T can encode to: its default value's encoding, since
// defaults are empty strings, absent optionals and empty lists. Bounds a
// list's element count by the bytes left.
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

// u32 count, then the elements.
template <class T>
void write_list(ByteWriter& w, const std::vector<T>& items) {
  w.count(items.size());
  for (const T& item : items) write(w, item);
}
template <class T>
void read_list(ByteReader& r, const char* field, std::vector<T>& out) {
  const std::size_t n = r.count(field, min_encoded_size<T>());
  out.clear();
  out.reserve(n);
  for (std::size_t i = 0; i < n && r.ok(); ++i) read(r, out.emplace_back());
}

}  // namespace kahuna::wire
