#include "script_json.h"

#include <kahuna/base64.h>

#include "json_fields.h"
#include "json_output.h"

namespace kahuna::http {

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, ScriptRequest& out) {
  JsonFields fields(body);
  std::string encoded;
  const FieldState script_state = fields.text("script", encoded);
  std::optional<std::string> hash;
  fields.optional_text("hash", hash);
  std::int64_t priority = 0;
  fields.integer("priority", 0, 4, priority, true);
  const rapidjson::Value* parameters = fields.array("parameters");
  if (parameters != nullptr && !parameters->IsArray()) fields.fail("parameters must be an array or null");
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  std::optional<std::string> text = base64_decode(encoded);
  if (!text) return DecodeResult::bad_request("script must be base64");
  if (script_state != FieldState::kPresent || text->empty()) {
    return DecodeResult::invalid_input("script is required: the base64 text of a Kahuna Script");
  }
  out.script = std::move(*text);
  out.hash = std::move(hash);
  out.parameters.clear();
  if (parameters != nullptr) {
    for (const rapidjson::Value& item : parameters->GetArray()) {
      if (!item.IsObject()) return DecodeResult::bad_request("each parameter must be an object {key, value}");
      JsonFields parameter(item);
      ScriptParameter row;
      const FieldState name_state = parameter.text("key", row.name);
      parameter.optional_text("value", row.value);
      if (!parameter.ok()) return DecodeResult::bad_request(parameter.error());
      if (name_state != FieldState::kPresent || row.name.empty()) {
        return DecodeResult::invalid_input("each parameter needs a key, e.g. \"@name\"");
      }
      out.parameters.push_back(std::move(row));
    }
  }
  return DecodeResult::ok();
}

std::string encode_script_reply(const ScriptReply& reply) {
  JsonOutput json;
  json.start_object();
  json.outcome(static_cast<int>(reply.code), to_string(reply.code));
  // An unknown outcome carries its own reason (JsonOutput::outcome).
  if (reply.code != ScriptCode::kOutcomeUnknown) {
    json.key("reason");
    json.string(reply.reason);
  }
  json.key("values");
  json.start_array();
  for (const ScriptValueRow& row : reply.values) {
    json.start_object();
    json.key("key");
    json.string(row.key);
    json.key("value");
    json.bytes(row.value);
    json.key("revision");
    json.int64(row.revision);
    json.key("expires");
    json.timestamp(row.expires);
    json.key("lastModified");
    json.timestamp(row.last_modified);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.take();
}

}  // namespace kahuna::http
