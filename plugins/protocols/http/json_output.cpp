#include "json_output.h"

#include <kahuna/service_types.h>

#include "base64.h"

namespace kahuna::http {

std::string with_reason(std::string reply, std::string_view reason) {
  if (reply.empty() || reply.back() != '}') return reply;
  JsonOutput member;
  member.string(reason);
  reply.pop_back();
  const bool empty_object = reply.back() == '{';
  return reply + (empty_object ? "" : ",") + "\"reason\":" + member.take() + "}";
}

void JsonOutput::bytes(const std::optional<std::string>& value) {
  if (!value) {
    writer_.Null();
    return;
  }
  string(base64_encode(*value));
}

void JsonOutput::timestamp(const HlcTimestamp& value) {
  writer_.StartObject();
  key("n");
  writer_.Int(value.node);
  key("l");
  writer_.Int64(value.physical);
  key("c");
  writer_.Uint(value.logical);
  writer_.EndObject();
}

void JsonOutput::route(const std::optional<RouteHint>& hint) {
  if (!hint) {
    writer_.Null();
    return;
  }
  writer_.StartObject();
  key("partitionId");
  writer_.Uint(hint->partition);
  key("endpoint");
  string(hint->endpoint);
  key("provenance");
  writer_.Int(hint->provenance);
  key("generation");  // 0: every key space is hash-placed
  writer_.Int64(0);
  writer_.EndObject();
}

void JsonOutput::outcome(int code, std::string_view name) {
  // HTTP-API.md §3 has no code for "outcome unknown" (98 in every family):
  // it travels as the families' error code 99, named and explained, so a
  // client that knows only §3 treats it as the failure it is, and one that
  // reads typeName knows the write may have been applied.
  if (code == static_cast<int>(KvCode::kOutcomeUnknown)) {
    key("type");
    writer_.Int(static_cast<int>(KvCode::kErrored));
    key("typeName");
    string("unknown");
    key("reason");
    string("timeout: outcome unknown");
    return;
  }
  key("type");
  writer_.Int(code);
  key("typeName");
  string(name);
}

}  // namespace kahuna::http
