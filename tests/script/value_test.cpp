// Value: conversions, comparison and arithmetic rules.
#include <gtest/gtest.h>

#include <limits>

#include "script/script_error.h"
#include "script/value.h"

namespace kahuna::script {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

Value i(std::int64_t v) { return Value::integer(v); }
Value d(double v) { return Value::decimal(v); }
Value s(std::string v) { return Value::string(std::move(v)); }
Value b(bool v) { return Value::boolean(v); }

TEST(ScriptValue, TypesAndNames) {
  EXPECT_EQ(Value().type(), Value::Type::kNull);
  EXPECT_EQ(type_name(i(1)), "int");
  EXPECT_EQ(type_name(d(1)), "float");
  EXPECT_EQ(type_name(s("")), "string");
  EXPECT_EQ(type_name(b(true)), "bool");
  EXPECT_EQ(type_name(Value::array({})), "array");
  EXPECT_EQ(type_name(Value::null()), "null");
  EXPECT_THROW((void)s("x").as_int(), ValueError);
  EXPECT_THROW((void)i(1).as_string(), ValueError);
  EXPECT_THROW(Value::decimal(std::numeric_limits<double>::infinity()), ValueError);
}

TEST(ScriptValue, TextForms) {
  EXPECT_EQ(to_text(Value()), "");
  EXPECT_EQ(to_text(b(true)), "true");
  EXPECT_EQ(to_text(i(-42)), "-42");
  EXPECT_EQ(to_text(d(2.0)), "2.0");
  EXPECT_EQ(to_text(d(0.1)), "0.1");
  EXPECT_EQ(to_text(d(1e300)), "1e+300");
  EXPECT_EQ(to_text(s("bytes")), "bytes");
  EXPECT_EQ(to_text(Value::array({i(1), s("a"), Value()})), "[1,\"a\",null]");
  EXPECT_EQ(to_stored_bytes(Value()), std::nullopt);
  EXPECT_EQ(to_stored_bytes(i(7)), "7");
}

TEST(ScriptValue, Json) {
  EXPECT_EQ(to_json(s("a\"b\\c\n\x01")), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(to_json(Value::array({b(false), d(1.5), Value::array({})})), "[false,1.5,[]]");
  EXPECT_EQ(to_json(Value()), "null");
}

TEST(ScriptValue, Equality) {
  EXPECT_TRUE(values_equal(i(2), d(2.0)));
  EXPECT_FALSE(values_equal(i(2), s("2")));
  EXPECT_TRUE(values_equal(Value(), Value()));
  EXPECT_FALSE(values_equal(Value(), i(0)));
  EXPECT_FALSE(values_equal(Value(), s("")));
  EXPECT_TRUE(values_equal(s("abc"), s("abc")));
  EXPECT_TRUE(values_equal(Value::array({i(1), s("x")}), Value::array({d(1), s("x")})));
  EXPECT_FALSE(values_equal(Value::array({i(1)}), Value::array({i(1), i(2)})));
  EXPECT_FALSE(values_equal(b(true), i(1)));
}

TEST(ScriptValue, Ordering) {
  EXPECT_LT(compare_values(i(1), d(1.5)), 0);
  EXPECT_GT(compare_values(i(kMax), i(kMax - 1)), 0);
  EXPECT_EQ(compare_values(s("abc"), s("abc")), 0);
  EXPECT_LT(compare_values(s("ab"), s("b")), 0);
  EXPECT_THROW(compare_values(s("1"), i(1)), ValueError);
  EXPECT_THROW(compare_values(Value(), i(1)), ValueError);
  EXPECT_THROW(compare_values(b(true), b(false)), ValueError);
}

TEST(ScriptValue, IntegerArithmeticIsChecked) {
  EXPECT_EQ(add(i(2), i(3)).as_int(), 5);
  EXPECT_EQ(subtract(i(2), i(3)).as_int(), -1);
  EXPECT_EQ(multiply(i(-4), i(3)).as_int(), -12);
  EXPECT_EQ(divide(i(7), i(2)).as_int(), 3);
  EXPECT_EQ(divide(i(-7), i(2)).as_int(), -3);
  EXPECT_THROW(add(i(kMax), i(1)), ValueError);
  EXPECT_THROW(subtract(i(kMin), i(1)), ValueError);
  EXPECT_THROW(multiply(i(kMax / 2 + 1), i(2)), ValueError);
  EXPECT_THROW(divide(i(kMin), i(-1)), ValueError);
  EXPECT_THROW(negate(i(kMin)), ValueError);
  EXPECT_EQ(negate(i(5)).as_int(), -5);
  try {
    (void)add(i(kMax), i(1));
  } catch (const ValueError& e) {
    EXPECT_EQ(e.message(), "integer overflow in 9223372036854775807 add 1");
  }
}

TEST(ScriptValue, DivisionByZeroIsAnError) {
  EXPECT_THROW(divide(i(1), i(0)), ValueError);
  EXPECT_THROW(divide(d(1), d(0.0)), ValueError);
  EXPECT_THROW(divide(d(1), i(0)), ValueError);
  try {
    (void)divide(i(1), i(0));
  } catch (const ValueError& e) {
    EXPECT_EQ(e.message(), "division by zero");
  }
}

TEST(ScriptValue, MixedArithmeticAndStrings) {
  EXPECT_EQ(add(i(1), d(0.5)).type(), Value::Type::kDouble);
  EXPECT_DOUBLE_EQ(add(i(1), d(0.5)).as_double(), 1.5);
  EXPECT_DOUBLE_EQ(divide(i(1), d(4)).as_double(), 0.25);
  EXPECT_EQ(add(s("ab"), s("cd")).as_string(), "abcd");
  EXPECT_THROW(add(s("1"), i(1)), ValueError);
  EXPECT_THROW(subtract(s("a"), s("b")), ValueError);
  EXPECT_THROW(add(Value(), i(1)), ValueError);
  EXPECT_THROW(multiply(d(1e308), d(10)), ValueError);  // not finite
  EXPECT_THROW(negate(s("x")), ValueError);
}

TEST(ScriptValue, Ranges) {
  EXPECT_EQ(make_range(i(1), i(3)).as_array().size(), 3u);
  EXPECT_EQ(make_range(i(3), i(1)).as_array().size(), 0u);
  EXPECT_EQ(make_range(i(kMax), i(kMax)).as_array()[0].as_int(), kMax);
  EXPECT_EQ(make_range(i(1), i(100'000)).as_array().size(), 100'000u);
  EXPECT_THROW(make_range(i(1), i(100'001)), ValueError);
  EXPECT_THROW(make_range(i(kMin), i(kMax)), ValueError);
  EXPECT_THROW(make_range(d(1), i(2)), ValueError);
}

TEST(ScriptValue, Indexing) {
  Value array = Value::array({s("a"), s("b")});
  EXPECT_EQ(index_value(array, i(1)).as_string(), "b");
  EXPECT_THROW(index_value(array, i(2)), ValueError);
  EXPECT_THROW(index_value(array, i(-1)), ValueError);
  EXPECT_THROW(index_value(array, s("0")), ValueError);
  EXPECT_EQ(index_value(s("xyz"), i(2)).as_string(), "z");
  EXPECT_THROW(index_value(i(5), i(0)), ValueError);
}

TEST(ScriptValue, ReadInfoTravelsWithCopiesNotComputations) {
  Value read = s("10").with_read_info(ReadInfo{"k", 4, HlcTimestamp{1, 99, 0}, HlcTimestamp{1, 50, 2}});
  Value copy = read;
  ASSERT_NE(copy.read_info(), nullptr);
  EXPECT_EQ(copy.read_info()->revision, 4);
  EXPECT_EQ(copy.read_info()->key, "k");
  EXPECT_TRUE(values_equal(read, s("10")));
  EXPECT_EQ(add(read, s("")).read_info(), nullptr);
}

TEST(ScriptValue, CopiesShareStringsAndArrays) {
  const Value text = s(std::string(1 << 20, 'x'));
  const Value text_copy = text;
  EXPECT_EQ(&text_copy.as_string(), &text.as_string());
  const Value array = Value::array({text, i(1)});
  const Value array_copy = array;
  EXPECT_EQ(&array_copy.as_array(), &array.as_array());
  EXPECT_EQ(&array.as_array()[0].as_string(), &text.as_string());
  // A computation makes a new string; equal bytes are still equal.
  const Value sum = add(text, s(""));
  EXPECT_NE(&sum.as_string(), &text.as_string());
  EXPECT_TRUE(values_equal(sum, text));
  EXPECT_EQ(compare_values(sum, text), 0);
}

TEST(ScriptValue, ArraysAreBounded) {
  Value::Array big(100'001);
  EXPECT_THROW(Value::array(std::move(big)), ValueError);
}

}  // namespace
}  // namespace kahuna::script
