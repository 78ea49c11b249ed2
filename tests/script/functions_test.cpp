// Every built-in function of TRANSACTIONS.md §4: results, type errors, and
// the errors through a running script.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "script/functions.h"
#include "script/script_error.h"
#include "script_test_support.h"

namespace kahuna::script {
namespace {

using testing::evaluate;
using testing::returned_text;

Value call(std::string_view name, std::vector<Value> arguments) {
  const FunctionInfo* function = find_function(name);
  if (function == nullptr) throw std::logic_error("no function " + std::string(name));
  FunctionContext context;
  context.now = [] { return HlcTimestamp{7, 1'700'000'000'123, 5}; };
  return function->impl(arguments, context);
}

Value i(std::int64_t v) { return Value::integer(v); }
Value d(double v) { return Value::decimal(v); }
Value s(std::string v) { return Value::string(std::move(v)); }
Value b(bool v) { return Value::boolean(v); }
Value arr(std::vector<Value> v) { return Value::array(std::move(v)); }

std::string text_of(std::string_view expression) { return returned_text(evaluate(expression)); }

TEST(ScriptFunctions, EverySpecifiedFunctionExists) {
  const std::set<std::string> specified{
      "abs",       "pow",         "round",     "ceil",         "floor",  "min",      "max",
      "to_int",    "to_float",    "to_str",    "to_bool",      "is_int", "is_float", "is_str",
      "is_bool",   "is_null",     "is_array",  "concat",       "upper",  "lower",    "len",
      "substring", "starts_with", "ends_with", "index_of",     "split",  "trim",     "to_json",
      "count",     "rev",         "expires",   "current_time", "hlc"};
  std::set<std::string> implemented;
  for (const FunctionInfo& f : all_functions()) implemented.insert(std::string(f.name));
  EXPECT_EQ(implemented, specified);
  EXPECT_EQ(find_function("TO_INT"), find_function("to_int"));
  EXPECT_EQ(find_function("nope"), nullptr);
}

TEST(ScriptFunctions, Numbers) {
  EXPECT_EQ(call("abs", {i(-3)}).as_int(), 3);
  EXPECT_DOUBLE_EQ(call("abs", {d(-2.5)}).as_double(), 2.5);
  EXPECT_THROW(call("abs", {i(INT64_MIN)}), ValueError);
  EXPECT_THROW(call("abs", {s("1")}), ValueError);
  EXPECT_EQ(call("pow", {i(2), i(10)}).as_int(), 1024);
  EXPECT_EQ(call("pow", {i(-3), i(3)}).as_int(), -27);
  EXPECT_EQ(call("pow", {i(5), i(0)}).as_int(), 1);
  EXPECT_THROW(call("pow", {i(2), i(63)}), ValueError);
  EXPECT_DOUBLE_EQ(call("pow", {i(2), i(-1)}).as_double(), 0.5);
  EXPECT_DOUBLE_EQ(call("pow", {d(9), d(0.5)}).as_double(), 3.0);
  EXPECT_THROW(call("pow", {d(0), i(-1)}), ValueError);  // infinite
  EXPECT_DOUBLE_EQ(call("round", {d(2.5)}).as_double(), 3.0);
  EXPECT_DOUBLE_EQ(call("round", {d(-2.5)}).as_double(), -3.0);
  EXPECT_DOUBLE_EQ(call("round", {d(3.14159), i(2)}).as_double(), 3.14);
  EXPECT_EQ(call("round", {i(7)}).as_int(), 7);
  EXPECT_THROW(call("round", {d(1), i(16)}), ValueError);
  EXPECT_DOUBLE_EQ(call("ceil", {d(1.2)}).as_double(), 2.0);
  EXPECT_DOUBLE_EQ(call("floor", {d(-1.2)}).as_double(), -2.0);
  EXPECT_EQ(call("ceil", {i(4)}).as_int(), 4);
  EXPECT_EQ(call("floor", {i(4)}).as_int(), 4);
  EXPECT_EQ(call("min", {i(3), d(1.5), i(2)}).as_double(), 1.5);
  EXPECT_EQ(call("max", {i(3), d(1.5), i(9)}).as_int(), 9);
  EXPECT_EQ(call("max", {arr({i(1), i(4), i(2)})}).as_int(), 4);
  EXPECT_EQ(call("min", {s("b"), s("a")}).as_string(), "a");
  EXPECT_THROW(call("min", {arr({})}), ValueError);
  EXPECT_THROW(call("max", {i(1), s("a")}), ValueError);
  EXPECT_THROW(call("max", {Value(), i(1)}), ValueError);
}

TEST(ScriptFunctions, Conversions) {
  EXPECT_EQ(call("to_int", {s("42")}).as_int(), 42);
  EXPECT_EQ(call("to_int", {s("-7")}).as_int(), -7);
  EXPECT_EQ(call("to_int", {s("+7")}).as_int(), 7);
  EXPECT_EQ(call("to_int", {d(3.9)}).as_int(), 3);
  EXPECT_EQ(call("to_int", {d(-3.9)}).as_int(), -3);
  EXPECT_EQ(call("to_int", {b(true)}).as_int(), 1);
  EXPECT_THROW(call("to_int", {s("4x")}), ValueError);
  EXPECT_THROW(call("to_int", {s("")}), ValueError);
  EXPECT_THROW(call("to_int", {s("99999999999999999999")}), ValueError);
  EXPECT_THROW(call("to_int", {d(1e19)}), ValueError);
  EXPECT_THROW(call("to_int", {Value()}), ValueError);
  EXPECT_DOUBLE_EQ(call("to_float", {s("2.5")}).as_double(), 2.5);
  EXPECT_DOUBLE_EQ(call("to_float", {i(2)}).as_double(), 2.0);
  EXPECT_EQ(call("to_float", {i(2)}).type(), Value::Type::kDouble);
  EXPECT_THROW(call("to_float", {s("nan")}), ValueError);
  EXPECT_THROW(call("to_float", {s("abc")}), ValueError);
  EXPECT_EQ(call("to_str", {i(5)}).as_string(), "5");
  EXPECT_EQ(call("to_str", {d(0.5)}).as_string(), "0.5");
  EXPECT_EQ(call("to_str", {Value()}).as_string(), "");
  EXPECT_EQ(call("to_str", {arr({i(1)})}).as_string(), "[1]");
  EXPECT_TRUE(call("to_bool", {s("TRUE")}).as_bool());
  EXPECT_FALSE(call("to_bool", {s("0")}).as_bool());
  EXPECT_TRUE(call("to_bool", {i(3)}).as_bool());
  EXPECT_FALSE(call("to_bool", {d(0.0)}).as_bool());
  EXPECT_THROW(call("to_bool", {s("yes")}), ValueError);
  EXPECT_THROW(call("to_bool", {Value()}), ValueError);
}

TEST(ScriptFunctions, TypeTests) {
  EXPECT_TRUE(call("is_int", {i(1)}).as_bool());
  EXPECT_FALSE(call("is_int", {s("1")}).as_bool());
  EXPECT_TRUE(call("is_float", {d(1)}).as_bool());
  EXPECT_FALSE(call("is_float", {i(1)}).as_bool());
  EXPECT_TRUE(call("is_str", {s("")}).as_bool());
  EXPECT_TRUE(call("is_bool", {b(false)}).as_bool());
  EXPECT_TRUE(call("is_null", {Value()}).as_bool());
  EXPECT_FALSE(call("is_null", {s("")}).as_bool());
  EXPECT_TRUE(call("is_array", {arr({})}).as_bool());
  EXPECT_FALSE(call("is_array", {s("[]")}).as_bool());
}

TEST(ScriptFunctions, StringsAndArrays) {
  EXPECT_EQ(call("concat", {s("a"), i(1), Value(), b(true)}).as_string(), "a1true");
  EXPECT_EQ(call("concat", {arr({i(1)}), arr({i(2), i(3)})}).as_array().size(), 3u);
  EXPECT_EQ(call("upper", {s("abC1")}).as_string(), "ABC1");
  EXPECT_EQ(call("lower", {s("AbC1")}).as_string(), "abc1");
  EXPECT_THROW(call("upper", {i(1)}), ValueError);
  EXPECT_EQ(call("len", {s("hello")}).as_int(), 5);
  EXPECT_EQ(call("len", {arr({i(1), i(2)})}).as_int(), 2);
  EXPECT_THROW(call("len", {Value()}), ValueError);
  EXPECT_EQ(call("substring", {s("hello"), i(1), i(3)}).as_string(), "ell");
  EXPECT_EQ(call("substring", {s("hello"), i(3)}).as_string(), "lo");
  EXPECT_EQ(call("substring", {s("hello"), i(10)}).as_string(), "");
  EXPECT_EQ(call("substring", {s("hello"), i(2), i(100)}).as_string(), "llo");
  EXPECT_THROW(call("substring", {s("hello"), i(-1)}), ValueError);
  EXPECT_THROW(call("substring", {s("hello"), i(0), i(-1)}), ValueError);
  EXPECT_TRUE(call("starts_with", {s("users/7"), s("users/")}).as_bool());
  EXPECT_FALSE(call("starts_with", {s("u"), s("users/")}).as_bool());
  EXPECT_TRUE(call("ends_with", {s("a.json"), s(".json")}).as_bool());
  EXPECT_EQ(call("index_of", {s("banana"), s("nan")}).as_int(), 2);
  EXPECT_EQ(call("index_of", {s("banana"), s("x")}).as_int(), -1);
  EXPECT_EQ(call("index_of", {arr({s("a"), i(2)}), i(2)}).as_int(), 1);
  EXPECT_EQ(call("index_of", {arr({s("a")}), s("b")}).as_int(), -1);
  Value parts = call("split", {s("a,b,,c"), s(",")});
  ASSERT_EQ(parts.as_array().size(), 4u);
  EXPECT_EQ(parts.as_array()[2].as_string(), "");
  EXPECT_EQ(call("split", {s("a--b"), s("--")}).as_array()[1].as_string(), "b");
  EXPECT_THROW(call("split", {s("abc"), s("")}), ValueError);
  EXPECT_THROW(call("split", {s(std::string(100'001, ',')), s(",")}), ValueError);
  EXPECT_EQ(call("trim", {s(" \t x y \n")}).as_string(), "x y");
  EXPECT_EQ(call("to_json", {arr({s("a"), i(1), Value()})}).as_string(), "[\"a\",1,null]");
  EXPECT_EQ(call("count", {arr({i(1), i(2)})}).as_int(), 2);
  EXPECT_EQ(call("count", {Value()}).as_int(), 0);
  EXPECT_THROW(call("count", {s("ab")}), ValueError);
}

// index_of and split over the longest string, looking for a long needle that
// differs from it only in its last byte: a search that compares the needle at
// every position (std::string::find) takes hours here, one script step.
TEST(ScriptFunctions, SearchesStayLinearOnRepetitiveText) {
  const std::string haystack(kMaxStringBytes, 'a');
  std::string needle(std::size_t{4} << 20, 'a');
  needle.back() = 'b';
  EXPECT_EQ(call("index_of", {s(haystack), s(needle)}).as_int(), -1);
  const Value whole = call("split", {s(haystack), s(needle)});
  ASSERT_EQ(whole.as_array().size(), 1u);
  EXPECT_EQ(whole.as_array()[0].as_string().size(), haystack.size());

  // The same needle at the very end of the text.
  const std::string ending = haystack.substr(needle.size()) + needle;
  const auto at = static_cast<std::int64_t>(ending.size() - needle.size());
  EXPECT_EQ(call("index_of", {s(ending), s(needle)}).as_int(), at);
  const Value parts = call("split", {s(ending), s(needle)});
  ASSERT_EQ(parts.as_array().size(), 2u);
  EXPECT_EQ(parts.as_array()[0].as_string().size(), static_cast<std::size_t>(at));
  EXPECT_EQ(parts.as_array()[1].as_string(), "");
  EXPECT_EQ(call("index_of", {s("abc"), s("")}).as_int(), 0);
}

TEST(ScriptFunctions, KeysAndTime) {
  Value read = s("v").with_read_info(ReadInfo{"k", 6, HlcTimestamp{1, 5000, 0}, HlcTimestamp{1, 10, 0}});
  EXPECT_EQ(call("rev", {read}).as_int(), 6);
  EXPECT_EQ(call("expires", {read}).as_int(), 5000);
  EXPECT_THROW(call("rev", {s("v")}), ValueError);
  EXPECT_THROW(call("expires", {i(1)}), ValueError);
  EXPECT_EQ(call("current_time", {}).as_int(), 1'700'000'000'123);
  EXPECT_EQ(call("hlc", {}).as_string(), "1700000000123:5:7");
  FunctionContext no_clock;
  EXPECT_THROW(find_function("hlc")->impl({}, no_clock), ValueError);
}

TEST(ScriptFunctions, ErrorsInAScriptNameTheFunctionAndLine) {
  testing::FakeScriptHost host;
  auto result = testing::run_text("LET x = 1\nRETURN to_int('abc')", host);
  EXPECT_EQ(result.code, ScriptCode::kErrored);
  EXPECT_EQ(result.reason, "to_int(): cannot convert 'abc' to an int at line 2");
  auto type = testing::run_text("RETURN\nupper(\n5)", host);
  EXPECT_EQ(type.reason, "upper() expects a string, got int at line 2");
  auto unknown = testing::run_text("RETURN nope(1)", host);
  EXPECT_EQ(unknown.code, ScriptCode::kErrored);
  EXPECT_EQ(unknown.reason, "Unknown function 'nope' at line 1");
}

TEST(ScriptFunctions, ThroughScripts) {
  EXPECT_EQ(text_of("concat(upper('a'), lower('B'), len('xyz'))"), "Ab3");
  EXPECT_EQ(text_of("to_json(split(trim('  a b '), ' '))"), "[\"a\",\"b\"]");
  EXPECT_EQ(text_of("is_null(null) && is_bool(true) && is_array(1..2)"), "true");
  EXPECT_EQ(text_of("max(1..10)"), "10");
  EXPECT_EQ(text_of("pow(2, 3) + abs(-1)"), "9");
  EXPECT_EQ(text_of("to_float('1.5') * 2"), "3.0");
  EXPECT_EQ(text_of("current_time() > 0"), "true");
}

}  // namespace
}  // namespace kahuna::script
