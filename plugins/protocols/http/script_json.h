// The JSON of POST /v1/kv/try-execute-tx-script (TRANSACTIONS.md §4,
// docs/http.md).
//
// Request: {"script": base64 UTF-8 text (required), "hash": string|null (the
// client's name for the text; the server keys its cache by the text itself),
// "parameters": [{"key": "@name", "value": string|null}] | null,
// "priority": n (accepted, not used)}. A body of the wrong shape is a 400;
// no script, an empty one, or a parameter without a name is invalidInput.
// Reply: {"type", "typeName", "reason", "values": [{"key", "value" (base64
// or null), "revision", "expires", "lastModified"}]}.
#pragma once

#include <string>

#include <rapidjson/document.h>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/opcode.h>

#include "decode_result.h"

namespace kahuna::http {

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode verb, ScriptRequest& out);

std::string encode_script_reply(const ScriptReply& reply);

}  // namespace kahuna::http
