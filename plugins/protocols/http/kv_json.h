// The JSON of the key/value point verbs /v1/kv/try-* (HTTP-API.md §6.1).
#pragma once

#include <optional>
#include <string>

#include <rapidjson/document.h>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/opcode.h>

#include "decode_result.h"
#include "json_output.h"

namespace kahuna::http {

// Set flags the reference server keeps for itself (HTTP-API.md §6.1).
inline constexpr std::uint32_t kInternalSetFlags = 64 | 128;
inline constexpr std::uint32_t kPublicSetFlags = 1 | 2 | 4 | 8 | 16 | 32;

// Checks a key as every key/value verb does; empty when it is acceptable.
std::string key_problem(std::string_view key, FieldState state);

// Reads a durability field with its default (0) and checks it is 0 or 1.
// Returns false when it is another number (an invalidInput, not a 400).
bool read_kv_durability(JsonFields& fields, std::int64_t& raw, Durability& out);

// The fields of each point verb, after the transaction context (which the
// plain and the session form read alike). `raw_durability` receives the
// durability as sent, for echoes (set-many rows).
DecodeResult decode_kv_set_fields(JsonFields& fields, KvSetRequest& out, std::int64_t& raw_durability);
DecodeResult decode_kv_get_fields(JsonFields& fields, KvGetRequest& out);  // also try-exists
DecodeResult decode_kv_key_fields(JsonFields& fields, KvKeyRequest& out);  // try-delete
DecodeResult decode_kv_extend_fields(JsonFields& fields, KvExtendRequest& out);

// The plain forms: a non-zero transactionId is invalidInput here.
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, KvSetRequest& out);
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/,
                            KvGetRequest& out);  // try-get, try-exists
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, KvKeyRequest& out);
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, KvExtendRequest& out);

// The session forms (TRANSACTIONS.md §2): the same fields, inside the
// session the context names (a non-zero transactionId and the
// coordinatorKey are required).
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, TxKvSetRequest& out);
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, TxKvGetRequest& out);
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, TxKvKeyRequest& out);
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, TxKvExtendRequest& out);

// A reply in the shape of `verb` (a plain verb: a session call's reply is
// encoded with its plain verb's opcode).
std::string encode_kv_reply(wire::Opcode verb, const KvReply& reply, const std::optional<RouteHint>& route);

}  // namespace kahuna::http
