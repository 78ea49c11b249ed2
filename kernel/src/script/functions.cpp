// The built-in functions (functions.h). Each checks its argument types and
// throws ValueError naming itself when they do not fit.
#include "script/functions.h"

#include <string.h>  // memmem

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "script/run_budget.h"
#include "script/script_error.h"

namespace kahuna::script {
namespace {

using Args = std::span<const Value>;
using Type = Value::Type;

[[noreturn]] void bad_argument(std::string_view function, std::string_view expected, const Value& got) {
  throw ValueError(std::string(function) + "() expects " + std::string(expected) + ", got " +
                   std::string(type_name(got)));
}

const Value& number(std::string_view function, const Value& v) {
  if (!v.is_number()) bad_argument(function, "a number", v);
  return v;
}

const std::string& text(std::string_view function, const Value& v) {
  if (v.type() != Type::kString) bad_argument(function, "a string", v);
  return v.as_string();
}

std::int64_t integer(std::string_view function, const Value& v) {
  if (v.type() != Type::kInt) bad_argument(function, "an int", v);
  return v.as_int();
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// The first `needle` in `haystack` at or after `from`, or npos. Not
// std::string::find: it compares the whole needle at every position where its
// first byte occurs, so a 16 MiB run of 'a' searched for 4 MiB of 'a' and a
// 'b' takes hours. glibc's memmem is linear in both sizes (Two-Way). The
// run is charged what was read: the needle, and the haystack up to the end
// of the match (split() calls this once per part).
std::size_t find_bytes(const std::string& haystack, const std::string& needle, std::size_t from) {
  if (from > haystack.size()) return std::string::npos;
  const void* at = memmem(haystack.data() + from, haystack.size() - from, needle.data(), needle.size());
  const std::size_t found = at == nullptr
                                ? std::string::npos
                                : static_cast<std::size_t>(static_cast<const char*>(at) - haystack.data());
  const std::size_t read_to = found == std::string::npos ? haystack.size() : found + needle.size();
  charge_work(needle.size() + (read_to - from));
  return found;
}

// Whether `s` is `lower_word` in any case, without copying s (it may be 16 MiB).
bool equals_ignoring_case(const std::string& s, std::string_view lower_word) {
  if (s.size() != lower_word.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (ascii_lower(s[i]) != lower_word[i]) return false;
  }
  return true;
}

// ---- Numbers ----

Value fn_abs(Args a, const FunctionContext&) {
  const Value& x = number("abs", a[0]);
  if (x.type() == Type::kInt) {
    if (x.as_int() == std::numeric_limits<std::int64_t>::min()) throw ValueError("abs(): integer overflow");
    return Value::integer(x.as_int() < 0 ? -x.as_int() : x.as_int());
  }
  return Value::decimal(std::fabs(x.as_double()));
}

Value fn_pow(Args a, const FunctionContext&) {
  const Value& base = number("pow", a[0]);
  const Value& exponent = number("pow", a[1]);
  if (base.type() == Type::kInt && exponent.type() == Type::kInt && exponent.as_int() >= 0) {
    std::int64_t result = 1;
    std::int64_t factor = base.as_int();
    std::int64_t e = exponent.as_int();
    // Square-and-multiply, every step checked.
    while (e > 0) {
      if ((e & 1) != 0 && __builtin_mul_overflow(result, factor, &result)) {
        throw ValueError("pow(): integer overflow");
      }
      e >>= 1;
      if (e > 0 && __builtin_mul_overflow(factor, factor, &factor))
        throw ValueError("pow(): integer overflow");
    }
    return Value::integer(result);
  }
  return Value::decimal(std::pow(base.as_double(), exponent.as_double()));
}

Value fn_round(Args a, const FunctionContext&) {
  const Value& x = number("round", a[0]);
  std::int64_t digits = 0;
  if (a.size() > 1) {
    digits = integer("round", a[1]);
    if (digits < 0 || digits > 15) throw ValueError("round(): digits must be between 0 and 15");
  }
  if (x.type() == Type::kInt) return x;
  const double scale = std::pow(10.0, static_cast<double>(digits));
  return Value::decimal(std::round(x.as_double() * scale) / scale);
}

Value fn_ceil(Args a, const FunctionContext&) {
  const Value& x = number("ceil", a[0]);
  return x.type() == Type::kInt ? x : Value::decimal(std::ceil(x.as_double()));
}

Value fn_floor(Args a, const FunctionContext&) {
  const Value& x = number("floor", a[0]);
  return x.type() == Type::kInt ? x : Value::decimal(std::floor(x.as_double()));
}

// min/max over the arguments, or over the elements of a single array.
Value extreme(std::string_view function, Args a, int wanted_sign) {
  Args candidates = a;
  if (a.size() == 1 && a[0].type() == Type::kArray) candidates = a[0].as_array();
  if (candidates.empty()) throw ValueError(std::string(function) + "() of an empty array");
  const Value* best = &candidates[0];
  for (const Value& v : candidates) {
    charge_work(sizeof(Value));
    if (!v.is_number() && v.type() != Type::kString) bad_argument(function, "numbers or strings", v);
    if (compare_values(v, *best) * wanted_sign > 0) best = &v;
  }
  return *best;
}

Value fn_min(Args a, const FunctionContext&) { return extreme("min", a, -1); }
Value fn_max(Args a, const FunctionContext&) { return extreme("max", a, +1); }

// ---- Conversions ----

Value fn_to_int(Args a, const FunctionContext&) {
  const Value& x = a[0];
  switch (x.type()) {
    case Type::kInt: return x;
    case Type::kBool: return Value::integer(x.as_bool() ? 1 : 0);
    case Type::kDouble: {
      const double d = std::trunc(x.as_double());
      // 2^63 is exactly representable; every double below it fits in int64.
      if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
        throw ValueError("to_int(): " + to_text(x) + " is out of range");
      }
      return Value::integer(static_cast<std::int64_t>(d));
    }
    case Type::kString: {
      const std::string& s = x.as_string();
      charge_work(s.size());  // from_chars reads every digit, even past int64
      const char* first = s.data();
      const char* last = s.data() + s.size();
      if (first != last && *first == '+') ++first;  // from_chars takes '-' only
      std::int64_t result = 0;
      auto [end, error] = std::from_chars(first, last, result);
      if (s.empty() || error != std::errc() || end != last) {
        throw ValueError("to_int(): cannot convert '" + s.substr(0, 40) + "' to an int");
      }
      return Value::integer(result);
    }
    default: bad_argument("to_int", "a number, bool or string", x);
  }
}

Value fn_to_float(Args a, const FunctionContext&) {
  const Value& x = a[0];
  switch (x.type()) {
    case Type::kInt:
    case Type::kDouble: return Value::decimal(x.as_double());
    case Type::kBool: return Value::decimal(x.as_bool() ? 1.0 : 0.0);
    case Type::kString: {
      const std::string& s = x.as_string();
      charge_work(s.size());
      const char* first = s.data();
      const char* last = s.data() + s.size();
      if (first != last && *first == '+') ++first;
      double result = 0;
      auto [end, error] = std::from_chars(first, last, result);
      if (s.empty() || error != std::errc() || end != last || !std::isfinite(result)) {
        throw ValueError("to_float(): cannot convert '" + s.substr(0, 40) + "' to a float");
      }
      return Value::decimal(result);
    }
    default: bad_argument("to_float", "a number, bool or string", x);
  }
}

Value fn_to_str(Args a, const FunctionContext&) { return Value::string(to_text(a[0])); }

Value fn_to_bool(Args a, const FunctionContext&) {
  const Value& x = a[0];
  switch (x.type()) {
    case Type::kBool: return x;
    case Type::kInt: return Value::boolean(x.as_int() != 0);
    case Type::kDouble: return Value::boolean(x.as_double() != 0);
    case Type::kString: {
      const std::string& s = x.as_string();
      if (equals_ignoring_case(s, "true") || s == "1") return Value::boolean(true);
      if (equals_ignoring_case(s, "false") || s == "0") return Value::boolean(false);
      throw ValueError("to_bool(): cannot convert '" + x.as_string().substr(0, 40) + "' to a bool");
    }
    default: bad_argument("to_bool", "a number, bool or string", x);
  }
}

Value fn_is_int(Args a, const FunctionContext&) { return Value::boolean(a[0].type() == Type::kInt); }
Value fn_is_float(Args a, const FunctionContext&) { return Value::boolean(a[0].type() == Type::kDouble); }
Value fn_is_str(Args a, const FunctionContext&) { return Value::boolean(a[0].type() == Type::kString); }
Value fn_is_bool(Args a, const FunctionContext&) { return Value::boolean(a[0].type() == Type::kBool); }
Value fn_is_null(Args a, const FunctionContext&) { return Value::boolean(a[0].is_null()); }
Value fn_is_array(Args a, const FunctionContext&) { return Value::boolean(a[0].type() == Type::kArray); }

// ---- Strings and arrays ----

// concat(arrays...) joins arrays; with any non-array it joins the texts
// (null adds nothing).
Value fn_concat(Args a, const FunctionContext&) {
  bool all_arrays = true;
  for (const Value& v : a) all_arrays = all_arrays && v.type() == Type::kArray;
  if (all_arrays) {
    Value::Array joined;
    for (const Value& v : a) {
      const auto& elements = v.as_array();
      if (joined.size() + elements.size() > kMaxArrayElements) {
        throw ValueError("concat(): the array would exceed " + std::to_string(kMaxArrayElements) +
                         " elements");
      }
      joined.insert(joined.end(), elements.begin(), elements.end());
    }
    return Value::array(std::move(joined));
  }
  std::string joined;
  for (const Value& v : a) {
    std::string piece = to_text(v);
    if (joined.size() + piece.size() > kMaxStringBytes) {
      throw ValueError("concat(): the string would exceed " + std::to_string(kMaxStringBytes) + " bytes");
    }
    joined += piece;
  }
  return Value::string(std::move(joined));
}

Value fn_upper(Args a, const FunctionContext&) {
  std::string s = text("upper", a[0]);
  for (char& c : s) c = ascii_upper(c);
  return Value::string(std::move(s));
}

Value fn_lower(Args a, const FunctionContext&) {
  std::string s = text("lower", a[0]);
  for (char& c : s) c = ascii_lower(c);
  return Value::string(std::move(s));
}

Value fn_len(Args a, const FunctionContext&) {
  const Value& x = a[0];
  if (x.type() == Type::kString) return Value::integer(static_cast<std::int64_t>(x.as_string().size()));
  if (x.type() == Type::kArray) return Value::integer(static_cast<std::int64_t>(x.as_array().size()));
  bad_argument("len", "a string or an array", x);
}

// substring(s, start[, length]) in bytes; a start or length past the end is
// cut to the end.
Value fn_substring(Args a, const FunctionContext&) {
  const std::string& s = text("substring", a[0]);
  const std::int64_t start = integer("substring", a[1]);
  if (start < 0) throw ValueError("substring(): start must not be negative");
  std::int64_t length = std::numeric_limits<std::int64_t>::max();
  if (a.size() > 2) {
    length = integer("substring", a[2]);
    if (length < 0) throw ValueError("substring(): length must not be negative");
  }
  if (static_cast<std::uint64_t>(start) >= s.size()) return Value::string("");
  // substr cuts a count past the end to the end.
  const auto count =
      static_cast<std::size_t>(std::min<std::uint64_t>(static_cast<std::uint64_t>(length), s.size()));
  return Value::string(s.substr(static_cast<std::size_t>(start), count));
}

Value fn_starts_with(Args a, const FunctionContext&) {
  const std::string& s = text("starts_with", a[0]);
  const std::string& prefix = text("starts_with", a[1]);
  charge_work(std::min(s.size(), prefix.size()));
  return Value::boolean(s.starts_with(prefix));
}

Value fn_ends_with(Args a, const FunctionContext&) {
  const std::string& s = text("ends_with", a[0]);
  const std::string& suffix = text("ends_with", a[1]);
  charge_work(std::min(s.size(), suffix.size()));
  return Value::boolean(s.ends_with(suffix));
}

// The position of a substring in a string, or of an element in an array; -1
// when absent.
Value fn_index_of(Args a, const FunctionContext&) {
  if (a[0].type() == Type::kArray) {
    const auto& elements = a[0].as_array();
    for (std::size_t i = 0; i < elements.size(); ++i) {
      charge_work(sizeof(Value));
      if (values_equal(elements[i], a[1])) return Value::integer(static_cast<std::int64_t>(i));
    }
    return Value::integer(-1);
  }
  const std::string& haystack = text("index_of", a[0]);
  const std::size_t at = find_bytes(haystack, text("index_of", a[1]), 0);
  return Value::integer(at == std::string::npos ? -1 : static_cast<std::int64_t>(at));
}

Value fn_split(Args a, const FunctionContext&) {
  const std::string& s = text("split", a[0]);
  const std::string& separator = text("split", a[1]);
  if (separator.empty()) throw ValueError("split(): the separator must not be empty");
  Value::Array parts;
  std::size_t from = 0;
  for (;;) {
    if (parts.size() >= kMaxArrayElements) {
      throw ValueError("split(): more than " + std::to_string(kMaxArrayElements) + " parts");
    }
    const std::size_t at = find_bytes(s, separator, from);
    if (at == std::string::npos) {
      parts.push_back(Value::string(s.substr(from)));
      break;
    }
    parts.push_back(Value::string(s.substr(from, at - from)));
    from = at + separator.size();
  }
  return Value::array(std::move(parts));
}

Value fn_trim(Args a, const FunctionContext&) {
  const std::string& s = text("trim", a[0]);
  charge_work(s.size());  // a string of spaces is read whole and makes ""
  std::size_t first = 0;
  std::size_t last = s.size();
  while (first < last && is_space(s[first])) ++first;
  while (last > first && is_space(s[last - 1])) --last;
  return Value::string(s.substr(first, last - first));
}

Value fn_to_json(Args a, const FunctionContext&) { return Value::string(to_json(a[0])); }

Value fn_count(Args a, const FunctionContext&) {
  const Value& x = a[0];
  if (x.is_null()) return Value::integer(0);
  if (x.type() == Type::kArray) return Value::integer(static_cast<std::int64_t>(x.as_array().size()));
  bad_argument("count", "an array or null", x);
}

// ---- Keys and time ----

const ReadInfo& read_info(std::string_view function, const Value& x) {
  if (x.read_info() == nullptr) {
    throw ValueError(std::string(function) +
                     "() expects a value read from a key (GET, EXISTS), got a computed " +
                     std::string(type_name(x)));
  }
  return *x.read_info();
}

Value fn_rev(Args a, const FunctionContext&) { return Value::integer(read_info("rev", a[0]).revision); }

// The expiry in ms since the epoch; 0 when the key never expires.
Value fn_expires(Args a, const FunctionContext&) {
  return Value::integer(read_info("expires", a[0]).expires.physical);
}

HlcTimestamp now_of(std::string_view function, const FunctionContext& context) {
  if (!context.now) throw ValueError(std::string(function) + "(): no clock is available here");
  return context.now();
}

// Wall-clock ms since the epoch, from the host's hybrid clock.
Value fn_current_time(Args, const FunctionContext& context) {
  return Value::integer(now_of("current_time", context).physical);
}

// The host's HLC reading as "physical:logical:node".
Value fn_hlc(Args, const FunctionContext& context) {
  const HlcTimestamp now = now_of("hlc", context);
  return Value::string(std::to_string(now.physical) + ":" + std::to_string(now.logical) + ":" +
                       std::to_string(now.node));
}

constexpr std::array kFunctions{
    FunctionInfo{"abs", 1, 1, fn_abs},
    FunctionInfo{"pow", 2, 2, fn_pow},
    FunctionInfo{"round", 1, 2, fn_round},
    FunctionInfo{"ceil", 1, 1, fn_ceil},
    FunctionInfo{"floor", 1, 1, fn_floor},
    FunctionInfo{"min", 1, kVariadic, fn_min},
    FunctionInfo{"max", 1, kVariadic, fn_max},
    FunctionInfo{"to_int", 1, 1, fn_to_int},
    FunctionInfo{"to_float", 1, 1, fn_to_float},
    FunctionInfo{"to_str", 1, 1, fn_to_str},
    FunctionInfo{"to_bool", 1, 1, fn_to_bool},
    FunctionInfo{"is_int", 1, 1, fn_is_int},
    FunctionInfo{"is_float", 1, 1, fn_is_float},
    FunctionInfo{"is_str", 1, 1, fn_is_str},
    FunctionInfo{"is_bool", 1, 1, fn_is_bool},
    FunctionInfo{"is_null", 1, 1, fn_is_null},
    FunctionInfo{"is_array", 1, 1, fn_is_array},
    FunctionInfo{"concat", 1, kVariadic, fn_concat},
    FunctionInfo{"upper", 1, 1, fn_upper},
    FunctionInfo{"lower", 1, 1, fn_lower},
    FunctionInfo{"len", 1, 1, fn_len},
    FunctionInfo{"substring", 2, 3, fn_substring},
    FunctionInfo{"starts_with", 2, 2, fn_starts_with},
    FunctionInfo{"ends_with", 2, 2, fn_ends_with},
    FunctionInfo{"index_of", 2, 2, fn_index_of},
    FunctionInfo{"split", 2, 2, fn_split},
    FunctionInfo{"trim", 1, 1, fn_trim},
    FunctionInfo{"to_json", 1, 1, fn_to_json},
    FunctionInfo{"count", 1, 1, fn_count},
    FunctionInfo{"rev", 1, 1, fn_rev},
    FunctionInfo{"expires", 1, 1, fn_expires},
    FunctionInfo{"current_time", 0, 0, fn_current_time},
    FunctionInfo{"hlc", 0, 0, fn_hlc},
};

}  // namespace

const FunctionInfo* find_function(std::string_view name) {
  for (const FunctionInfo& function : kFunctions) {
    if (function.name.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) same = ascii_lower(name[i]) == function.name[i];
    if (same) return &function;
  }
  return nullptr;
}

std::span<const FunctionInfo> all_functions() { return kFunctions; }

std::string arity_text(const FunctionInfo& function) {
  auto arguments = [](int n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); };
  const std::string name(function.name);
  if (function.max_arguments == kVariadic)
    return name + " takes at least " + arguments(function.min_arguments);
  if (function.min_arguments == function.max_arguments)
    return name + " takes " + arguments(function.min_arguments);
  return name + " takes " + std::to_string(function.min_arguments) + " or " +
         arguments(function.max_arguments);
}

}  // namespace kahuna::script
