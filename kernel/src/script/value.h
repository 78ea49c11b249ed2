// Value: what a Kahuna Script expression evaluates to — null, bool, int64,
// double, string or array (TRANSACTIONS.md §4) — and the rules for
// converting, comparing and computing with values.
//
// A value read from a key (GET, EXISTS, GET BY BUCKET) is an ordinary value
// that also carries the key's ReadInfo (key, revision, expiry, last
// modified): that is what rev(x) and expires(x) read, and what a RETURN of it
// puts in the reply. The info travels with copies (LET y = x) and is lost by
// any computation (x + 1, to_str(x)). Equality ignores it.
//
// Strings and arrays are immutable and shared: copying a value never copies
// a string's bytes or an array's elements, so LET y = x, a FOR variable or
// an argument costs the same for 16 MiB as for one byte, and iterating a
// 100,000-element range stays cheap.
//
// Making a string or an array charges its size to the run's budget of bytes
// of values, and the rules that read many bytes (comparing, searching,
// converting) charge its steps (run_budget.h); both are ValueErrors when
// spent.
//
// Every rule that can fail throws ValueError (script_error.h); the
// interpreter adds the line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <kahuna/hlc_timestamp.h>

namespace kahuna::script {

// The largest string a script can build (a stored value of a few MiB must
// fit; a runaway concat loop must not exhaust memory).
inline constexpr std::size_t kMaxStringBytes = std::size_t{16} << 20;
// The most elements an array can hold: ranges, split() and concatenations.
inline constexpr std::size_t kMaxArrayElements = 100'000;

struct ReadInfo {
  std::string key{};
  std::int64_t revision = 0;
  HlcTimestamp expires{};  // zero: never
  HlcTimestamp last_modified{};
};

class Value {
 public:
  enum class Type : std::uint8_t { kNull, kBool, kInt, kDouble, kString, kArray };
  using Array = std::vector<Value>;

  Value() = default;  // null
  static Value null() { return Value(); }
  static Value boolean(bool b);
  static Value integer(std::int64_t i);
  static Value decimal(double d);  // ValueError when not finite
  // ValueError past kMaxStringBytes / kMaxArrayElements or the run's budget
  // of bytes of values (a string costs its bytes, an array sizeof(Value) per
  // element).
  static Value string(std::string s);
  static Value array(Array elements);

  Type type() const noexcept { return static_cast<Type>(data_.index()); }
  bool is_null() const noexcept { return type() == Type::kNull; }
  bool is_number() const noexcept { return type() == Type::kInt || type() == Type::kDouble; }

  // Accessors for a value known to have the type; ValueError otherwise.
  bool as_bool() const;
  std::int64_t as_int() const;
  double as_double() const;  // int or double
  const std::string& as_string() const;
  const Array& as_array() const;

  const ReadInfo* read_info() const noexcept { return read_info_.get(); }
  Value with_read_info(ReadInfo info) const;

 private:
  // The order of the alternatives is the order of Type.
  std::variant<std::monostate, bool, std::int64_t, double, std::shared_ptr<const std::string>,
               std::shared_ptr<const Array>>
      data_{};
  std::shared_ptr<const ReadInfo> read_info_{};
};

std::string_view type_name(Value::Type type);
inline std::string_view type_name(const Value& value) { return type_name(value.type()); }

// ---- Conversions ----

// The text of a value, as to_str() gives it: "" for null, "true"/"false",
// decimal integers, doubles in their shortest round-trip form (always with a
// '.' or an exponent, so 2.0 reads "2.0"), strings as they are, arrays as JSON.
std::string to_text(const Value& value);
// The bytes SET stores (and the text RETURN answers): like to_text, except
// that null stays "no value".
std::optional<std::string> to_stored_bytes(const Value& value);
// JSON text: null, true/false, numbers, escaped strings, arrays.
std::string to_json(const Value& value);

// ---- Comparison ----

// ==: numbers compare by value across int and double; strings byte-wise;
// arrays element by element; null equals only null; other mixes are unequal.
bool values_equal(const Value& a, const Value& b);
// <, >, <=, >=: numbers with numbers, strings with strings (byte-wise);
// anything else is a ValueError. Returns <0, 0 or >0.
int compare_values(const Value& a, const Value& b);

// ---- Arithmetic (ValueError on overflow, division by zero, bad types) ----

// int op int stays int (overflow is an error); a double on either side makes
// a double; + also concatenates two strings.
Value add(const Value& a, const Value& b);
Value subtract(const Value& a, const Value& b);
Value multiply(const Value& a, const Value& b);
// int / int truncates toward zero.
Value divide(const Value& a, const Value& b);
Value negate(const Value& a);

// a..b: the ints from a to b inclusive (empty when b < a); at most
// `max_elements` of them.
Value make_range(const Value& from, const Value& to, std::size_t max_elements = kMaxArrayElements);
// a[i]: an array's element or a string's byte (as a one-byte string), from 0.
Value index_value(const Value& base, const Value& index);

}  // namespace kahuna::script
