// The JSON of /v1/locks/* (HTTP-API.md §5): request bodies into
// LockRequests, LockReplies into reply bodies.
#pragma once

#include <optional>
#include <string>

#include <rapidjson/document.h>

#include <kahuna/kernel_api.h>

#include "decode_result.h"
#include "json_output.h"
#include "verb_number.h"

namespace kahuna::http {

// Each verb is its operation's opcode (operation_handler.h).
enum class LockVerb : std::uint16_t {
  kTryLock = verb_number(wire::Opcode::kTryLock),
  kTryExtend = verb_number(wire::Opcode::kTryExtendLock),
  kTryUnlock = verb_number(wire::Opcode::kUnlock),
  kGetInfo = verb_number(wire::Opcode::kGetLock)
};

DecodeResult decode_lock_request(const rapidjson::Value& body, LockVerb verb, LockRequest& out);

std::string encode_lock_reply(LockVerb verb, const LockReply& reply, const std::optional<RouteHint>& route);

}  // namespace kahuna::http
