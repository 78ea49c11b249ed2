#include "json_fields.h"

#include <cctype>
#include <limits>

#include <rapidjson/error/en.h>

#include "base64.h"

namespace kahuna::http {
namespace {

bool iequals(std::string_view a, const rapidjson::Value& b) {
  if (a.size() != b.GetStringLength()) return false;
  const char* other = b.GetString();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(other[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view view_of(const rapidjson::Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

}  // namespace

const rapidjson::Value* JsonFields::find(std::string_view name) const {
  for (auto it = object_.MemberBegin(); it != object_.MemberEnd(); ++it) {
    if (view_of(it->name) == name) return &it->value;
  }
  for (auto it = object_.MemberBegin(); it != object_.MemberEnd(); ++it) {
    if (iequals(name, it->name)) return &it->value;
  }
  return nullptr;
}

void JsonFields::fail(std::string reason) {
  if (error_.empty()) error_ = std::move(reason);
}

void JsonFields::fail_type(std::string_view name, std::string_view expected) {
  fail("field '" + std::string(name) + "' must be " + std::string(expected));
}

FieldState JsonFields::text(std::string_view name, std::string& out) {
  const rapidjson::Value* value = find(name);
  if (value == nullptr) return FieldState::kAbsent;
  if (value->IsNull()) return FieldState::kNull;
  if (!value->IsString()) {
    fail_type(name, "a string");
    return FieldState::kAbsent;
  }
  out.assign(value->GetString(), value->GetStringLength());
  return FieldState::kPresent;
}

FieldState JsonFields::optional_text(std::string_view name, std::optional<std::string>& out) {
  std::string text_value;
  const FieldState state = text(name, text_value);
  if (state == FieldState::kNull) out.reset();
  if (state == FieldState::kPresent) out = std::move(text_value);
  return state;
}

FieldState JsonFields::integer(std::string_view name, std::int64_t min, std::int64_t max, std::int64_t& out,
                               bool nullable) {
  const rapidjson::Value* value = find(name);
  if (value == nullptr) return FieldState::kAbsent;
  if (value->IsNull() && nullable) return FieldState::kNull;
  if (!value->IsInt64()) {
    fail_type(name, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return FieldState::kAbsent;
  }
  const std::int64_t number = value->GetInt64();
  if (number < min || number > max) {
    fail_type(name, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return FieldState::kAbsent;
  }
  out = number;
  return FieldState::kPresent;
}

FieldState JsonFields::optional_integer(std::string_view name, std::int64_t min, std::int64_t max,
                                        std::optional<std::int64_t>& out) {
  std::int64_t number = 0;
  const FieldState state = integer(name, min, max, number, true);
  if (state == FieldState::kNull) out.reset();
  if (state == FieldState::kPresent) out = number;
  return state;
}

FieldState JsonFields::unsigned64(std::string_view name, std::uint64_t& out) {
  const rapidjson::Value* value = find(name);
  if (value == nullptr) return FieldState::kAbsent;
  if (!value->IsUint64()) {
    fail_type(name, "an unsigned 64-bit integer");
    return FieldState::kAbsent;
  }
  out = value->GetUint64();
  return FieldState::kPresent;
}

FieldState JsonFields::boolean(std::string_view name, bool& out) {
  const rapidjson::Value* value = find(name);
  if (value == nullptr) return FieldState::kAbsent;
  if (!value->IsBool()) {
    fail_type(name, "true or false");
    return FieldState::kAbsent;
  }
  out = value->GetBool();
  return FieldState::kPresent;
}

FieldState JsonFields::bytes(std::string_view name, std::optional<std::string>& out) {
  const rapidjson::Value* value = find(name);
  if (value == nullptr) return FieldState::kAbsent;
  if (value->IsNull()) {
    out.reset();
    return FieldState::kNull;
  }
  if (!value->IsString()) {
    fail_type(name, "a base64 string or null");
    return FieldState::kAbsent;
  }
  std::optional<std::string> decoded = base64_decode(view_of(*value));
  if (!decoded) {
    fail_type(name, "valid base64");
    return FieldState::kAbsent;
  }
  out = std::move(decoded);
  return FieldState::kPresent;
}

FieldState JsonFields::timestamp(std::string_view name, HlcTimestamp& out) {
  const rapidjson::Value* value = find(name);
  if (value == nullptr) return FieldState::kAbsent;
  if (value->IsNull()) {
    out = HlcTimestamp{};
    return FieldState::kNull;
  }
  if (!value->IsObject()) {
    fail_type(name, "an HLC object {\"n\",\"l\",\"c\"} or null");
    return FieldState::kAbsent;
  }
  JsonFields members(*value);
  std::int64_t node = 0;
  std::int64_t physical = 0;
  std::int64_t logical = 0;
  members.integer("n", std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max(),
                  node);
  members.integer("l", std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                  physical);
  members.integer("c", 0, std::numeric_limits<std::uint32_t>::max(), logical);
  if (!members.ok()) {
    fail("in field '" + std::string(name) + "': " + members.error());
    return FieldState::kAbsent;
  }
  out = HlcTimestamp{static_cast<std::int32_t>(node), physical, static_cast<std::uint32_t>(logical)};
  return FieldState::kPresent;
}

FieldState JsonFields::durability(std::string_view name, std::int64_t& out) {
  const rapidjson::Value* value = find(name);
  if (value == nullptr) return FieldState::kAbsent;
  if (value->IsString()) {
    const rapidjson::Value& text_value = *value;
    if (iequals("ephemeral", text_value)) {
      out = 0;
      return FieldState::kPresent;
    }
    if (iequals("persistent", text_value)) {
      out = 1;
      return FieldState::kPresent;
    }
    fail_type(name, "0, 1, \"ephemeral\" or \"persistent\"");
    return FieldState::kAbsent;
  }
  return integer(name, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max(),
                 out);
}

const rapidjson::Value* JsonFields::array(std::string_view name) {
  const rapidjson::Value* value = find(name);
  if (value == nullptr || value->IsNull()) return nullptr;
  if (!value->IsArray()) {
    fail_type(name, "an array");
    return nullptr;
  }
  return value;
}

const rapidjson::Value* JsonFields::object(std::string_view name) {
  const rapidjson::Value* value = find(name);
  if (value == nullptr || value->IsNull()) return nullptr;
  if (!value->IsObject()) {
    fail_type(name, "an object");
    return nullptr;
  }
  return value;
}

bool parse_json_object(std::string_view body, rapidjson::Document& document, std::string& reason) {
  // Validate UTF-8 so that every string we echo back is valid JSON text;
  // stop on excessive nesting through rapidjson's iterative parser, which
  // uses the heap rather than the stack.
  document.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(body.data(),
                                                                                         body.size());
  if (document.HasParseError()) {
    reason =
        "the body is not valid JSON: " + std::string(rapidjson::GetParseError_En(document.GetParseError())) +
        " at offset " + std::to_string(document.GetErrorOffset());
    return false;
  }
  if (!document.IsObject()) {
    reason = "the body must be a JSON object";
    return false;
  }
  return true;
}

}  // namespace kahuna::http
