// Walking a value through its field lists (field_list.h), the same for every
// format: an optional is a presence flag and then its value, a list or a
// string map is a count and then its elements, a struct is its fields in
// order, an enum its underlying integer. A format spells only the leaves
// (integers, strings, timestamps), the flag and the count:
//
//   writer format:  void leaf(const Leaf&);  void presence(bool);  void count(std::size_t);
//   reader format:  void leaf(const char* name, Leaf&);  bool presence(const char* name);
//                   template <class Element> std::size_t count(const char* name);
//                   bool ok() const;  void fail(const char* name, const char* reason);
//                   Context enter(const char* name);  void leave(Context);
//                   static constexpr bool kCountsAreBounded;  // a count fits the bytes left
//
// A reader format may read an enum itself (to check its value); otherwise the
// enum is read as its underlying integer.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "field_list.h"

namespace kahuna::codec {

template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;
template <class T>
inline constexpr bool kIsVector = false;
template <class T>
inline constexpr bool kIsVector<std::vector<T>> = true;

using StringMap = std::map<std::string, std::string>;

template <class Format>
class FieldWriter {
 public:
  explicit FieldWriter(Format format) : format_(std::move(format)) {}

  template <class T>
  void operator()(const char* /*name*/, const T& value) {
    write(value);
  }

 private:
  template <class T>
  void write(const T& value) {
    if constexpr (kIsOptional<T>) {
      format_.presence(value.has_value());
      if (value) write(*value);
    } else if constexpr (kIsVector<T>) {
      format_.count(value.size());
      for (const auto& item : value) write(item);
    } else if constexpr (std::is_same_v<T, StringMap>) {
      format_.count(value.size());
      for (const auto& [name, item] : value) {
        write(name);
        write(item);
      }
    } else if constexpr (std::is_enum_v<T>) {
      write(static_cast<std::underlying_type_t<T>>(value));
    } else if constexpr (HasFields<FieldWriter, const T>) {
      fields(*this, value);
    } else {
      format_.leaf(value);
    }
  }

  Format format_;
};

// Reads until the format's first failure; the caller checks the format.
template <class Format>
class FieldReader {
 public:
  explicit FieldReader(Format format) : format_(std::move(format)) {}

  template <class T>
  void operator()(const char* name, T& value) {
    read(name, value);
  }

 private:
  template <class T>
  void read(const char* name, T& value) {
    if constexpr (kIsOptional<T>) {
      if (format_.presence(name)) {
        read(name, value.emplace());
      } else {
        value.reset();
      }
    } else if constexpr (kIsVector<T>) {
      const std::size_t count = format_.template count<typename T::value_type>(name);
      value.clear();
      // Reserved only where a forged count cannot make it allocate.
      if constexpr (Format::kCountsAreBounded) value.reserve(count);
      for (std::size_t i = 0; i < count && format_.ok(); ++i) read(name, value.emplace_back());
    } else if constexpr (std::is_same_v<T, StringMap>) {
      read_map(name, value);
    } else if constexpr (std::is_enum_v<T> && !requires { format_.leaf(name, value); }) {
      std::underlying_type_t<T> number{};
      read(name, number);
      value = static_cast<T>(number);
    } else if constexpr (HasFields<FieldReader, T>) {
      // A nested struct: its fields, named after it in errors ("sequence.name").
      const auto outer = format_.enter(name);
      fields(*this, value);
      format_.leave(outer);
    } else {
      format_.leaf(name, value);
    }
  }

  // Names ascending and distinct, as a writer gives them: a repeated name
  // would be silently lost and names out of order would encode differently,
  // so the one encoding of a map is the only one accepted.
  void read_map(const char* name, StringMap& out) {
    const std::size_t count = format_.template count<std::pair<std::string, std::string>>(name);
    out.clear();
    for (std::size_t i = 0; i < count && format_.ok(); ++i) {
      std::string key;
      std::string item;
      read(name, key);
      read(name, item);
      if (!format_.ok()) return;
      if (!out.empty() && key <= out.rbegin()->first) {
        format_.fail(name, key == out.rbegin()->first ? "name repeated" : "names must be in ascending order");
        return;
      }
      out.emplace_hint(out.end(), std::move(key), std::move(item));
    }
  }

  Format format_;
};

}  // namespace kahuna::codec
