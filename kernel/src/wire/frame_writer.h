// Writing and checking whole frames, for the request and the reply codecs
// alike.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <kahuna/status.h>
#include <kahuna/wire/frame.h>

namespace kahuna::wire {

// Appends a frame for `request_id` and `opcode` whose body `encode_body(out)`
// appends (a Status-returning callable). The header goes out first and its
// length is patched once the body's size is known. On any failure `out` is
// left as it was; `what` ("request", "reply") names the frame in the error.
template <class EncodeBody>
Status append_frame(std::string& out, std::uint64_t request_id, std::uint16_t opcode, std::string_view what,
                    EncodeBody&& encode_body) {
  const std::size_t original_size = out.size();
  FrameHeader header;
  header.request_id = request_id;
  header.opcode = opcode;
  append_frame_header(out, header);
  if (Status s = encode_body(out); !s.is_ok()) {
    out.resize(original_size);
    return s;
  }
  const std::size_t body_size = out.size() - original_size - kFrameHeaderSize;
  if (body_size > kMaxBodySize) {
    out.resize(original_size);
    return Status::invalid_argument(std::string(what) + " body of " + std::to_string(body_size) +
                                    " bytes is too long for a frame");
  }
  header.body_size = static_cast<std::uint32_t>(body_size);
  std::string patched;
  append_frame_header(patched, header);
  out.replace(original_size, kFrameHeaderSize, patched);
  return Status::ok();
}

// The header fields every receiver checks before the body: the version it
// speaks and the flags, all reserved.
inline Status check_frame_header(const FrameHeader& header) {
  if (header.version != kProtocolVersion) {
    return Status::invalid_argument("unsupported protocol version " + std::to_string(header.version) +
                                    "; this receiver speaks version " + std::to_string(kProtocolVersion));
  }
  if (header.flags != 0) {
    return Status::invalid_argument("header flags are " + std::to_string(header.flags) +
                                    "; every flag bit is reserved and must be 0");
  }
  return Status::ok();
}

}  // namespace kahuna::wire
