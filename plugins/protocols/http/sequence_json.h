// The JSON of /v1/sequences/* (HTTP-API.md §7).
#pragma once

#include <optional>
#include <string>

#include <rapidjson/document.h>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/opcode.h>

#include "decode_result.h"
#include "json_output.h"

namespace kahuna::http {

// Longest idempotency key accepted (HTTP-API.md §7: at most 1 KiB).
inline constexpr std::size_t kMaxIdempotencyKeyBytes = 1024;

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, SequenceCreateRequest& out);
DecodeResult decode_sequence_name(const rapidjson::Value& body, std::string& name);  // get, delete
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, SequenceUpdateRequest& out);
// reserve, and next (`verb` kNext: count is 1 whatever the body says).
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode verb, SequenceReserveRequest& out);

std::string encode_sequence_reply(wire::Opcode verb, const SequenceReply& reply,
                                  const std::optional<RouteHint>& route);

}  // namespace kahuna::http
