// Value: construction, conversions, comparison and arithmetic (value.h).
#include "script/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "script/run_budget.h"
#include "script/script_error.h"

namespace kahuna::script {
namespace {

[[noreturn]] void type_error(std::string_view operation, const Value& a, const Value& b) {
  throw ValueError("cannot " + std::string(operation) + " " + std::string(type_name(a)) + " and " +
                   std::string(type_name(b)));
}

void check_string_size(std::size_t size) {
  if (size > kMaxStringBytes) {
    throw ValueError("string of " + std::to_string(size) + " bytes exceeds the limit of " +
                     std::to_string(kMaxStringBytes) + " bytes");
  }
}

std::string format_double(double d) {
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, d);
  std::string text(buffer, error == std::errc() ? end : buffer);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";  // keep "2.0" a double
  return text;
}

void append_json_string(std::string& out, std::string_view text) {
  charge_work(text.size());
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_json(std::string& out, const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull: out += "null"; break;
    case Value::Type::kBool: out += value.as_bool() ? "true" : "false"; break;
    case Value::Type::kInt: out += std::to_string(value.as_int()); break;
    case Value::Type::kDouble: out += format_double(value.as_double()); break;
    case Value::Type::kString: append_json_string(out, value.as_string()); break;
    case Value::Type::kArray: {
      out += '[';
      bool first = true;
      for (const Value& element : value.as_array()) {
        charge_work(sizeof(Value));
        if (!first) out += ',';
        first = false;
        append_json(out, element);
        check_string_size(out.size());
      }
      out += ']';
      break;
    }
  }
  check_string_size(out.size());
}

bool both_int(const Value& a, const Value& b) {
  return a.type() == Value::Type::kInt && b.type() == Value::Type::kInt;
}

// Applies an arithmetic operator to two numbers: checked on ints, plain on
// doubles (Value::decimal rejects an infinite or NaN result).
template <class IntOp, class DoubleOp>
Value arithmetic(std::string_view verb, const Value& a, const Value& b, IntOp int_op, DoubleOp double_op) {
  if (!a.is_number() || !b.is_number()) type_error(verb, a, b);
  if (both_int(a, b)) {
    std::int64_t result = 0;
    if (int_op(a.as_int(), b.as_int(), &result)) {
      throw ValueError("integer overflow in " + std::to_string(a.as_int()) + " " + std::string(verb) + " " +
                       std::to_string(b.as_int()));
    }
    return Value::integer(result);
  }
  return Value::decimal(double_op(a.as_double(), b.as_double()));
}

}  // namespace

Value Value::boolean(bool b) {
  Value v;
  v.data_ = b;
  return v;
}

Value Value::integer(std::int64_t i) {
  Value v;
  v.data_ = i;
  return v;
}

Value Value::decimal(double d) {
  if (!std::isfinite(d)) throw ValueError("result is not a finite number");
  Value v;
  v.data_ = d;
  return v;
}

Value Value::string(std::string s) {
  check_string_size(s.size());
  charge_value(s.size());
  Value v;
  v.data_ = std::make_shared<const std::string>(std::move(s));
  return v;
}

Value Value::array(Array elements) {
  if (elements.size() > kMaxArrayElements) {
    throw ValueError("array of " + std::to_string(elements.size()) + " elements exceeds the limit of " +
                     std::to_string(kMaxArrayElements));
  }
  charge_value(elements.size() * sizeof(Value));
  Value v;
  v.data_ = std::make_shared<const Array>(std::move(elements));
  return v;
}

bool Value::as_bool() const {
  if (const bool* b = std::get_if<bool>(&data_)) return *b;
  throw ValueError("expected a bool, got " + std::string(type_name(*this)));
}

std::int64_t Value::as_int() const {
  if (const std::int64_t* i = std::get_if<std::int64_t>(&data_)) return *i;
  throw ValueError("expected an int, got " + std::string(type_name(*this)));
}

double Value::as_double() const {
  if (const double* d = std::get_if<double>(&data_)) return *d;
  if (const std::int64_t* i = std::get_if<std::int64_t>(&data_)) return static_cast<double>(*i);
  throw ValueError("expected a number, got " + std::string(type_name(*this)));
}

const std::string& Value::as_string() const {
  if (const auto* s = std::get_if<std::shared_ptr<const std::string>>(&data_)) return **s;
  throw ValueError("expected a string, got " + std::string(type_name(*this)));
}

const Value::Array& Value::as_array() const {
  if (const auto* a = std::get_if<std::shared_ptr<const Array>>(&data_)) return **a;
  throw ValueError("expected an array, got " + std::string(type_name(*this)));
}

Value Value::with_read_info(ReadInfo info) const {
  Value v = *this;
  v.read_info_ = std::make_shared<const ReadInfo>(std::move(info));
  return v;
}

std::string_view type_name(Value::Type type) {
  switch (type) {
    case Value::Type::kNull: return "null";
    case Value::Type::kBool: return "bool";
    case Value::Type::kInt: return "int";
    case Value::Type::kDouble: return "float";
    case Value::Type::kString: return "string";
    case Value::Type::kArray: return "array";
  }
  return "?";
}

std::string to_text(const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull: return "";
    case Value::Type::kBool: return value.as_bool() ? "true" : "false";
    case Value::Type::kInt: return std::to_string(value.as_int());
    case Value::Type::kDouble: return format_double(value.as_double());
    case Value::Type::kString:
      charge_work(value.as_string().size());  // the copy returned
      return value.as_string();
    case Value::Type::kArray: return to_json(value);
  }
  return "";
}

std::optional<std::string> to_stored_bytes(const Value& value) {
  if (value.is_null()) return std::nullopt;
  return to_text(value);
}

std::string to_json(const Value& value) {
  std::string out;
  append_json(out, value);
  return out;
}

bool values_equal(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (both_int(a, b)) return a.as_int() == b.as_int();
    return a.as_double() == b.as_double();
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Value::Type::kNull: return true;
    case Value::Type::kBool: return a.as_bool() == b.as_bool();
    case Value::Type::kString: {
      const std::string& x = a.as_string();
      const std::string& y = b.as_string();
      if (x.size() != y.size()) return false;
      if (&x == &y) return true;  // one shared string: no need to read it
      charge_work(x.size());
      return x == y;
    }
    case Value::Type::kArray: {
      const auto& x = a.as_array();
      const auto& y = b.as_array();
      if (x.size() != y.size()) return false;
      if (&x == &y) return true;  // one shared array (no element is NaN)
      charge_work(x.size() * sizeof(Value));
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!values_equal(x[i], y[i])) return false;
      }
      return true;
    }
    default: return false;
  }
}

int compare_values(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (both_int(a, b)) return a.as_int() < b.as_int() ? -1 : (a.as_int() > b.as_int() ? 1 : 0);
    const double x = a.as_double();
    const double y = b.as_double();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.type() == Value::Type::kString && b.type() == Value::Type::kString) {
    const std::string& x = a.as_string();
    const std::string& y = b.as_string();
    if (&x == &y) return 0;
    charge_work(std::min(x.size(), y.size()));
    const int c = x.compare(y);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  type_error("compare", a, b);
}

Value add(const Value& a, const Value& b) {
  if (a.type() == Value::Type::kString && b.type() == Value::Type::kString) {
    check_string_size(a.as_string().size() + b.as_string().size());
    return Value::string(a.as_string() + b.as_string());
  }
  return arithmetic(
      "add", a, b,
      [](std::int64_t x, std::int64_t y, std::int64_t* r) { return __builtin_add_overflow(x, y, r); },
      [](double x, double y) { return x + y; });
}

Value subtract(const Value& a, const Value& b) {
  return arithmetic(
      "subtract", a, b,
      [](std::int64_t x, std::int64_t y, std::int64_t* r) { return __builtin_sub_overflow(x, y, r); },
      [](double x, double y) { return x - y; });
}

Value multiply(const Value& a, const Value& b) {
  return arithmetic(
      "multiply", a, b,
      [](std::int64_t x, std::int64_t y, std::int64_t* r) { return __builtin_mul_overflow(x, y, r); },
      [](double x, double y) { return x * y; });
}

Value divide(const Value& a, const Value& b) {
  if (!a.is_number() || !b.is_number()) type_error("divide", a, b);
  if (b.as_double() == 0) throw ValueError("division by zero");
  return arithmetic(
      "divide", a, b,
      [](std::int64_t x, std::int64_t y, std::int64_t* r) {
        // The one int64 quotient that does not fit: INT64_MIN / -1.
        if (x == std::numeric_limits<std::int64_t>::min() && y == -1) return true;
        *r = x / y;
        return false;
      },
      [](double x, double y) { return x / y; });
}

Value negate(const Value& a) {
  if (a.type() == Value::Type::kInt) {
    if (a.as_int() == std::numeric_limits<std::int64_t>::min())
      throw ValueError("integer overflow in negation");
    return Value::integer(-a.as_int());
  }
  if (a.type() == Value::Type::kDouble) return Value::decimal(-a.as_double());
  throw ValueError("cannot negate " + std::string(type_name(a)));
}

Value make_range(const Value& from, const Value& to, std::size_t max_elements) {
  if (from.type() != Value::Type::kInt || to.type() != Value::Type::kInt) {
    throw ValueError("a range needs two ints, got " + std::string(type_name(from)) + " .. " +
                     std::string(type_name(to)));
  }
  const std::int64_t first = from.as_int();
  const std::int64_t last = to.as_int();
  if (last < first) return Value::array({});
  // The count in 128 bits: last - first can overflow int64.
  const __int128 count = static_cast<__int128>(last) - first + 1;
  if (count > static_cast<__int128>(max_elements)) {
    throw ValueError("range " + std::to_string(first) + ".." + std::to_string(last) + " has more than " +
                     std::to_string(max_elements) + " elements");
  }
  Value::Array elements;
  elements.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = first;; ++i) {
    elements.push_back(Value::integer(i));
    if (i == last) break;
  }
  return Value::array(std::move(elements));
}

Value index_value(const Value& base, const Value& index) {
  if (index.type() != Value::Type::kInt) {
    throw ValueError("an index must be an int, got " + std::string(type_name(index)));
  }
  const std::int64_t i = index.as_int();
  auto out_of_range = [&](std::size_t size) {
    return ValueError("index " + std::to_string(i) + " is out of range (size " + std::to_string(size) + ")");
  };
  if (base.type() == Value::Type::kArray) {
    const auto& elements = base.as_array();
    if (i < 0 || static_cast<std::uint64_t>(i) >= elements.size()) throw out_of_range(elements.size());
    return elements[static_cast<std::size_t>(i)];
  }
  if (base.type() == Value::Type::kString) {
    const auto& text = base.as_string();
    if (i < 0 || static_cast<std::uint64_t>(i) >= text.size()) throw out_of_range(text.size());
    return Value::string(std::string(1, text[static_cast<std::size_t>(i)]));
  }
  throw ValueError("cannot index " + std::string(type_name(base)));
}

}  // namespace kahuna::script
