// ErrorReply: the answer to a frame the server could not turn into a call
// (docs/protocol.md §6). Outcomes of calls (busy, not found, must-retry...)
// are never errors: they travel as codes inside the call's own reply.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kahuna::wire {

enum class ErrorCode : std::uint16_t {
  kUnsupportedVersion = 1,  // the frame's version byte is not one the server speaks
  kUnknownOpcode = 2,       // not a request opcode of this version
  kMalformedFrame = 3,      // bad magic or header; the connection is closed after the reply
  kMalformedBody = 4,       // the body does not decode for its opcode
  kFrameTooLarge = 5,       // longer than the receiver's limit; the connection is closed after the reply
  kTooManyInFlight = 6,     // the receiver refuses more concurrent requests on this connection
  kInternal = 7,            // the server failed to run the call or to encode its reply
};

struct ErrorReply {
  ErrorCode code = ErrorCode::kInternal;
  std::string message{};
  friend bool operator==(const ErrorReply&, const ErrorReply&) = default;
};

// "unsupportedVersion", "unknownOpcode", ...; "unknown" for other numbers.
std::string_view to_string(ErrorCode code) noexcept;

}  // namespace kahuna::wire
