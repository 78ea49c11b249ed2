// JsonOutput: the pieces every reply is made of (HLC objects, base64
// payloads, outcome codes, route hints), on top of rapidjson's Writer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <kahuna/hlc_timestamp.h>

namespace kahuna::http {

// A routing hint as HTTP-API.md §4 renders it.
struct RouteHint {
  std::uint32_t partition = 0;
  std::string endpoint;  // the leader's client-facing base URL; "" when unknown
  int provenance = 0;    // 0 unknown, 1 executed here, 2 forwarded
  friend bool operator==(const RouteHint&, const RouteHint&) = default;
};

// `reply` (a JSON object's text) with a "reason" member added last: for an
// invalidInput the plugin finds in a family whose replies have no reason of
// their own, so the client still learns what was wrong.
std::string with_reason(std::string reply, std::string_view reason);

class JsonOutput {
 public:
  JsonOutput() : writer_(buffer_) {}

  rapidjson::Writer<rapidjson::StringBuffer>& writer() { return writer_; }

  void start_object() { writer_.StartObject(); }
  void end_object() { writer_.EndObject(); }
  void start_array() { writer_.StartArray(); }
  void end_array() { writer_.EndArray(); }
  void key(std::string_view name) { writer_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size())); }

  void string(std::string_view value) {
    writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  void optional_string(const std::optional<std::string>& value) {
    if (value)
      string(*value);
    else
      writer_.Null();
  }
  void int64(std::int64_t value) { writer_.Int64(value); }
  void uint64(std::uint64_t value) { writer_.Uint64(value); }
  void boolean(bool value) { writer_.Bool(value); }
  void null() { writer_.Null(); }
  void optional_int64(const std::optional<std::int64_t>& value) {
    if (value)
      int64(*value);
    else
      writer_.Null();
  }
  // Base64 (standard, padded) or null.
  void bytes(const std::optional<std::string>& value);
  void timestamp(const HlcTimestamp& value);
  void route(const std::optional<RouteHint>& hint);
  // The members every routed reply ends with (servedFrom, route), closes
  // the reply's object and answers the document.
  std::string end_routed_reply(const std::optional<RouteHint>& hint) {
    key("servedFrom");
    string("");
    key("route");
    route(hint);
    end_object();
    return take();
  }

  // "type": code, "typeName": name (HTTP-API.md §3 and §10); outcome
  // unknown (98) as type 99, typeName "unknown" and a "reason".
  void outcome(int code, std::string_view name);

  std::string take() { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace kahuna::http
