// The pieces of kahuna-cli's JSON output that every kind of reply shares.
#pragma once

#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace kahuna::cli {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void write_string(JsonWriter& json, std::string_view text) {
  json.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
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
