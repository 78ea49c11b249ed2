// The JSON of the scans get-by-bucket, scan-all-by-prefix and get-by-range
// (HTTP-API.md §6.3).
#pragma once

#include <string>

#include <rapidjson/document.h>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/opcode.h>

#include "decode_result.h"

namespace kahuna::http {

// get-by-bucket (whose transaction context must be zero here) and
// scan-all-by-prefix (which has none).
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode verb, KvPrefixRequest& out);
// get-by-bucket inside a session (TRANSACTIONS.md §2).
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, TxKvPrefixRequest& out);
// get-by-range: not part of sessions, so a non-zero transactionId is
// invalidInput, with a reason that says so.
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, KvRangeRequest& out);

std::string encode_scan_reply(const KvScanReply& reply);
std::string encode_range_page(const KvRangePage& page);

}  // namespace kahuna::http
