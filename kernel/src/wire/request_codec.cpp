// Request frames: the call settings, then the opcode's own fields.
#include <kahuna/wire/codec.h>

#include "byte_reader.h"
#include "byte_writer.h"
#include "common_codec.h"
#include "kv_codec.h"
#include "kv_scan_codec.h"
#include "lock_codec.h"
#include "sequence_codec.h"

namespace kahuna::wire {
namespace {

// Bits of the settings' flags byte; the others are reserved and must be 0.
constexpr std::uint8_t kForwardedBit = 0x01;
// The settings carry a request id: u64 client, u64 sequence, u32 part.
constexpr std::uint8_t kRequestIdBit = 0x02;
constexpr std::uint8_t kKnownCallFlags = kForwardedBit | kRequestIdBit;

// ---- Each alternative's body, after the settings --------------------------------

template <class T>
concept WrapsRequest = requires(T t) {
  t.request;
};

// The alternatives that are one KernelApi request struct.
template <WrapsRequest T>
void write(ByteWriter& w, const T& call) {
  write(w, call.request);
}
template <WrapsRequest T>
void read(ByteReader& r, T& call) {
  read(r, call.request);
}

void write(ByteWriter& w, const Lock& call) {
  write(w, call.request);
  w.u32(call.wait_ms);
}
void read(ByteReader& r, Lock& call) {
  read(r, call.request);
  call.wait_ms = r.u32("wait_ms");
}

template <class Batch>
concept BatchCall = requires(Batch b) {
  b.items;
};

template <BatchCall T>
void write(ByteWriter& w, const T& call) {
  write_list(w, call.items);
}
template <BatchCall T>
void read(ByteReader& r, T& call) {
  read_list(r, "items", call.items);
}

// The alternatives that carry a sequence name only.
template <class T>
concept NameOnly = std::is_same_v<T, SequenceGet> || std::is_same_v<T, SequenceDelete>;

template <NameOnly T>
void write(ByteWriter& w, const T& call) {
  w.bytes(call.name);
}
template <NameOnly T>
void read(ByteReader& r, T& call) {
  r.bytes("name", call.name);
}

void write(ByteWriter& w, const SequenceNext& call) {
  w.bytes(call.name);
  w.optional_bytes(call.idempotency_key);
}
void read(ByteReader& r, SequenceNext& call) {
  r.bytes("name", call.name);
  r.optional_bytes("idempotency_key", call.idempotency_key);
}

void write(ByteWriter&, const GetClusterStatus&) {}
void read(ByteReader&, GetClusterStatus&) {}

// ---- Opcode -> alternative -------------------------------------------------------

// Emplaces the alternative whose kOpcode is `opcode` and reads it; false when
// no alternative has that opcode.
template <std::size_t... I>
bool read_alternative(Opcode opcode, ByteReader& r, RequestBody& body, std::index_sequence<I...>) {
  const auto try_one = [&]<std::size_t Index>() {
    using Alternative = std::variant_alternative_t<Index, RequestBody>;
    if (Alternative::kOpcode != opcode) return false;
    read(r, body.emplace<Index>());
    return true;
  };
  return (try_one.template operator()<I>() || ...);
}

Status check_frame(const FrameHeader& header) {
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

}  // namespace

Status encode_request_body(const Request& request, std::string& out) {
  const std::size_t original_size = out.size();
  ByteWriter w(out);
  w.u32(request.settings.timeout_ms);
  w.u8(static_cast<std::uint8_t>(request.settings.consistency));
  const RequestId& id = request.settings.request_id;
  w.u8(static_cast<std::uint8_t>((request.settings.forwarded ? kForwardedBit : 0) |
                                 (id.present() ? kRequestIdBit : 0)));
  if (id.present()) {
    w.u64(id.client);
    w.u64(id.sequence);
    w.u32(id.part);
  }
  std::visit([&](const auto& call) { write(w, call); }, request.body);
  if (w.overflowed()) {
    out.resize(original_size);
    return Status::invalid_argument("a string or list of the request is too long for its u32 length prefix");
  }
  return Status::ok();
}

Status encode_request(std::uint64_t request_id, const Request& request, std::string& out) {
  const std::size_t original_size = out.size();
  FrameHeader header;
  header.request_id = request_id;
  header.opcode = static_cast<std::uint16_t>(opcode_of(request.body));
  append_frame_header(out, header);
  if (Status s = encode_request_body(request, out); !s.is_ok()) {
    out.resize(original_size);
    return s;
  }
  const std::size_t body_size = out.size() - original_size - kFrameHeaderSize;
  if (body_size > kMaxBodySize) {
    out.resize(original_size);
    return Status::invalid_argument("request body of " + std::to_string(body_size) +
                                    " bytes is too long for a frame");
  }
  // The header went out before the body's size was known: patch its length.
  header.body_size = static_cast<std::uint32_t>(body_size);
  std::string patched;
  append_frame_header(patched, header);
  out.replace(original_size, kFrameHeaderSize, patched);
  return Status::ok();
}

Status decode_request_body(Opcode opcode, std::string_view body, Request& out) {
  if (is_reply_opcode(static_cast<std::uint16_t>(opcode))) {
    return Status::invalid_argument("opcode " + std::to_string(static_cast<unsigned>(opcode)) +
                                    " is a reply's, not a request's");
  }
  ByteReader r(body);
  Request request;
  request.settings.timeout_ms = r.u32("timeout_ms");
  request.settings.consistency = r.consistency("consistency");
  const std::uint8_t flags = r.u8("call_flags");
  if ((flags & ~kKnownCallFlags) != 0) r.fail("call_flags", "reserved bits set: " + std::to_string(flags));
  request.settings.forwarded = (flags & kForwardedBit) != 0;
  if ((flags & kRequestIdBit) != 0) {
    RequestId& id = request.settings.request_id;
    id.client = r.u64("request_id.client");
    id.sequence = r.u64("request_id.sequence");
    id.part = r.u32("request_id.part");
    // Present means non-zero: an all-zero id would decode as "none" and
    // encode without the bit, giving one request two encodings.
    if (!id.present()) r.fail("request_id", "the request id bit is set but client and sequence are 0");
  }
  if (!read_alternative(opcode, r, request.body,
                        std::make_index_sequence<std::variant_size_v<RequestBody>>{})) {
    return Status::invalid_argument("unknown request opcode " +
                                    std::to_string(static_cast<unsigned>(opcode)));
  }
  if (Status s = r.finish(); !s.is_ok()) {
    return Status::invalid_argument(std::string(to_string(opcode)) + " body: " + s.message());
  }
  out = std::move(request);
  return Status::ok();
}

Status decode_request(const FrameHeader& header, std::string_view body, Request& out) {
  if (Status s = check_frame(header); !s.is_ok()) return s;
  return decode_request_body(static_cast<Opcode>(header.opcode), body, out);
}

ErrorCode request_error_code(const FrameHeader& header) noexcept {
  if (header.version != kProtocolVersion) return ErrorCode::kUnsupportedVersion;
  if (header.flags != 0) return ErrorCode::kMalformedFrame;
  const auto opcode = static_cast<Opcode>(header.opcode);
  if (is_reply_opcode(header.opcode) || to_string(opcode) == "unknown") return ErrorCode::kUnknownOpcode;
  return ErrorCode::kMalformedBody;
}

}  // namespace kahuna::wire
