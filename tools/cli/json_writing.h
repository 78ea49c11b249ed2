// The pieces of kahuna-cli's output that every kind of reply shares.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <kahuna/hlc_timestamp.h>

#include "text_encoding.h"

namespace kahuna::cli {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void write_string(JsonWriter& json, std::string_view text) {
  json.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// A stored value: a JSON string when it is UTF-8 text, else its base64 under
// `<name>Base64`, so the output stays valid JSON for any bytes.
inline void write_value(JsonWriter& json, const char* name, const std::optional<std::string>& value) {
  if (value && !is_utf8(*value)) {
    json.Key((std::string(name) + "Base64").c_str());
    write_string(json, base64(*value));
    return;
  }
  json.Key(name);
  if (value) {
    write_string(json, *value);
  } else {
    json.Null();
  }
}

// An HLC instant as its physical ms, or null for "none".
inline void write_instant(JsonWriter& json, const char* name, const HlcTimestamp& when) {
  json.Key(name);
  if (when.is_zero()) {
    json.Null();
  } else {
    json.Int64(when.physical);
  }
}

// A value for text output: quoted and escaped, or null.
inline std::string text_value(const std::optional<std::string>& value) {
  return value ? quote_bytes(*value) : "null";
}

// "type": the outcome's number, "typeName": its name (HTTP-API.md §3).
template <class Code>
void write_code(JsonWriter& json, Code code) {
  json.Key("type");
  json.Int(static_cast<int>(code));
  json.Key("typeName");
  write_string(json, to_string(code));
}

}  // namespace kahuna::cli
