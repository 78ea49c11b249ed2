// Encoding and decoding of whole request and reply frames (docs/protocol.md).
//
// Decoders take untrusted bytes: every malformed input (truncated, a length
// or count larger than the bytes left, a bool or enum byte out of range,
// trailing bytes, an unknown opcode) yields invalid_argument with a message
// naming the field and offset. They never throw, never read out of bounds,
// and never allocate more than the input could describe.
//
// Encoders fail only when a string or list is too long for its u32 length
// prefix or the frame for its u32 length field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <kahuna/status.h>
#include <kahuna/wire/frame.h>
#include <kahuna/wire/request.h>
#include <kahuna/wire/response.h>

namespace kahuna::wire {

// ---- Requests ------------------------------------------------------------------

// Appends one whole request frame (header and body) to `out`. On failure
// `out` is left as it was.
Status encode_request(std::uint64_t request_id, const Request& request, std::string& out);

// Appends the body of a request frame only (settings, then the opcode's
// fields), for callers that frame it themselves; opcode_of(request.body)
// says how to decode it.
Status encode_request_body(const Request& request, std::string& out);

// Decodes the body of a frame whose header is `header`: checks the version
// (kProtocolVersion), flags (0) and that the opcode is a request's, then
// decodes the body. The message tells which check failed; see
// request_error_code() for the error reply it deserves.
Status decode_request(const FrameHeader& header, std::string_view body, Request& out);

// Decodes a request body of a known opcode.
Status decode_request_body(Opcode opcode, std::string_view body, Request& out);

// The ErrorCode a receiver answers a frame with when decode_request() failed
// on it: unsupported version, unknown opcode, malformed frame (flags) or
// malformed body.
ErrorCode request_error_code(const FrameHeader& header) noexcept;

// ---- Replies -------------------------------------------------------------------

// Appends one whole reply frame answering `request_id`. On failure `out` is
// left as it was.
Status encode_response(std::uint64_t request_id, const Response& response, std::string& out);

// Appends the body of a reply frame only; opcode_of(response) says how to decode it.
Status encode_response_body(const Response& response, std::string& out);

// Decodes the body of a reply frame: checks version, flags and that the
// opcode is a reply's, then the body.
Status decode_response(const FrameHeader& header, std::string_view body, Response& out);

// Decodes a reply body of a known opcode.
Status decode_response_body(Opcode opcode, std::string_view body, Response& out);

}  // namespace kahuna::wire
