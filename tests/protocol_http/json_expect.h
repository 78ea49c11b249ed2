// Small accessors for checking JSON replies in tests.
#pragma once

#include <cstdint>
#include <string>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace kahuna::testing {

inline std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

inline std::int64_t int_of(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject() || !object.HasMember(name) || !object[name].IsInt64()) {
    ADD_FAILURE() << "no integer '" << name << "' in " << to_json(object);
    return -999999;
  }
  return object[name].GetInt64();
}

inline std::string string_of(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject() || !object.HasMember(name) || !object[name].IsString()) {
    ADD_FAILURE() << "no string '" << name << "' in " << to_json(object);
    return "<missing>";
  }
  return std::string(object[name].GetString(), object[name].GetStringLength());
}

inline bool is_null(const rapidjson::Value& object, const char* name) {
  return object.IsObject() && object.HasMember(name) && object[name].IsNull();
}

inline bool bool_of(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject() || !object.HasMember(name) || !object[name].IsBool()) {
    ADD_FAILURE() << "no boolean '" << name << "' in " << to_json(object);
    return false;
  }
  return object[name].GetBool();
}

// The HLC {"n","l","c"} in `object[name]` as "n,l,c".
inline std::string hlc_of(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject() || !object.HasMember(name) || !object[name].IsObject()) {
    ADD_FAILURE() << "no HLC '" << name << "' in " << to_json(object);
    return "<missing>";
  }
  const rapidjson::Value& t = object[name];
  return std::to_string(int_of(t, "n")) + "," + std::to_string(int_of(t, "l")) + "," +
         std::to_string(int_of(t, "c"));
}

}  // namespace kahuna::testing
