// The JSON of /v1/locks/* (HTTP-API.md §5): request bodies into
// LockRequests, LockReplies into reply bodies.
#pragma once

#include <optional>
#include <string>

#include <rapidjson/document.h>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/opcode.h>

#include "decode_result.h"
#include "json_output.h"

namespace kahuna::http {

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode verb, LockRequest& out);

std::string encode_lock_reply(wire::Opcode verb, const LockReply& reply,
                              const std::optional<RouteHint>& route);

}  // namespace kahuna::http
