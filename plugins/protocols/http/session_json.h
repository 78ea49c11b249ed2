// The JSON of a session's life cycle (TRANSACTIONS.md §2, docs/http.md
// "Sessions"): /v1/kv/start-tx-session, commit-tx-session,
// rollback-tx-session and try-acquire-exclusive-lock. The point verbs inside
// a session share the plain paths and their JSON (kv_json.h, scan_json.h,
// kv_batch_json.h).
//
// Replies: {"type", "typeName", "transactionId" (HLC), "recordAnchorKey"
// (string, or null when none is known), "holderTransactionId" (HLC; the
// holder of the key for alreadyLocked, else zero), "reason", "servedFrom",
// "route"}. Start answers 0 as "started". Outcome unknown (98 inside the
// server) travels as mustRetry (101) with recordAnchorKey: the commit (or
// rollback) is to be sent again with the same handle, which learns the
// outcome; it never means "run the transaction again".
#pragma once

#include <optional>
#include <string>

#include <rapidjson/document.h>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/opcode.h>

#include "decode_result.h"
#include "json_output.h"

namespace kahuna::http {

// coordinatorKey (required), timeout, lockingType, readValidation,
// readTimestamp; priority, admissionWaitMs, asyncRelease, autoCommit and
// decisionDurability are accepted and not used.
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, TxStartRequest& out);
// Commit and rollback: the context and recordAnchorKey.
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, TxEndRequest& out);
// The context, key, expiresMs and durability.
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, TxLockRequest& out);

std::string encode_session_reply(wire::Opcode verb, const TxSessionReply& reply,
                                 const std::optional<RouteHint>& route);

}  // namespace kahuna::http
