#include <kahuna/wire/frame.h>

#include "byte_reader.h"
#include "byte_writer.h"

namespace kahuna::wire {

void append_frame_header(std::string& out, const FrameHeader& header) {
  ByteWriter w(out);
  w.u32(static_cast<std::uint32_t>(kHeaderAfterLength + header.body_size));
  w.u8(static_cast<std::uint8_t>(kMagic[0]));
  w.u8(static_cast<std::uint8_t>(kMagic[1]));
  w.u8(header.version);
  w.u8(header.flags);
  w.u64(header.request_id);
  w.u16(header.opcode);
  w.u16(0);
}

Status decode_frame_header(std::string_view bytes, FrameHeader& out) {
  if (bytes.size() < kFrameHeaderSize) {
    return Status::invalid_argument("frame header needs " + std::to_string(kFrameHeaderSize) +
                                    " bytes, got " + std::to_string(bytes.size()));
  }
  if (bytes[4] != kMagic[0] || bytes[5] != kMagic[1]) {
    return Status::invalid_argument("bad magic: a frame must start its bytes 4..5 with \"KW\"");
  }
  ByteReader r(bytes.substr(0, kFrameHeaderSize));
  const std::uint32_t length = r.u32("length");
  r.u16("magic");
  FrameHeader header;
  header.version = r.u8("version");
  header.flags = r.u8("flags");
  header.request_id = r.u64("request_id");
  header.opcode = r.u16("opcode");
  const std::uint16_t reserved = r.u16("reserved");
  if (length < kHeaderAfterLength) {
    return Status::invalid_argument("frame length " + std::to_string(length) + " is below the minimum " +
                                    std::to_string(kHeaderAfterLength));
  }
  if (reserved != 0) {
    return Status::invalid_argument("reserved header field is " + std::to_string(reserved) + ", must be 0");
  }
  header.body_size = static_cast<std::uint32_t>(length - kHeaderAfterLength);
  out = header;
  return Status::ok();
}

}  // namespace kahuna::wire
