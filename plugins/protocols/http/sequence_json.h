// The JSON of /v1/sequences/* (HTTP-API.md §7).
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
enum class SequenceVerb : std::uint16_t {
  kCreate = verb_number(wire::Opcode::kSequenceCreate),
  kGet = verb_number(wire::Opcode::kSequenceGet),
  kUpdate = verb_number(wire::Opcode::kSequenceUpdate),
  kReserve = verb_number(wire::Opcode::kSequenceReserve),
  kNext = verb_number(wire::Opcode::kSequenceNext),
  kDelete = verb_number(wire::Opcode::kSequenceDelete)
};

// Longest idempotency key accepted (HTTP-API.md §7: at most 1 KiB).
inline constexpr std::size_t kMaxIdempotencyKeyBytes = 1024;

DecodeResult decode_sequence_create(const rapidjson::Value& body, SequenceCreateRequest& out);
DecodeResult decode_sequence_name(const rapidjson::Value& body, std::string& name);  // get, delete
DecodeResult decode_sequence_update(const rapidjson::Value& body, SequenceUpdateRequest& out);
// reserve, and next (`verb` kNext: count is 1 whatever the body says).
DecodeResult decode_sequence_reserve(const rapidjson::Value& body, SequenceVerb verb,
                                     SequenceReserveRequest& out);

std::string encode_sequence_reply(SequenceVerb verb, const SequenceReply& reply,
                                  const std::optional<RouteHint>& route);

}  // namespace kahuna::http
