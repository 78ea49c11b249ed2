// Request frames: the call settings, then the opcode's own fields.
#include <array>

#include <kahuna/wire/codec.h>

#include "byte_reader.h"
#include "byte_writer.h"
#include "field_io.h"
#include "frame_writer.h"

namespace kahuna::wire {

// ---- Each alternative's body, after the settings: its field list --------------

template <class T>
concept RequestAlternative = requires {
  std::remove_const_t<T>::kOpcode;
};

// Those that carry one KernelApi request, its fields inline; acquire with
// wait adds how long to wait.
template <class Io, RequestAlternative Call>
requires requires(Call& call) { call.request; }
void fields(Io& io, Call& call) {
  io("", call.request);
  if constexpr (requires { call.wait_ms; }) io("wait_ms", call.wait_ms);
}

// The batches: their items.
template <class Io, RequestAlternative Call>
requires requires(Call& call) { call.items; }
void fields(Io& io, Call& call) { io("items", call.items); }

// The sequence calls named by the sequence alone; next adds its idempotency key.
template <class Io, RequestAlternative Call>
requires requires(Call& call) { call.name; }
void fields(Io& io, Call& call) {
  io("name", call.name);
  if constexpr (requires { call.idempotency_key; }) io("idempotency_key", call.idempotency_key);
}

template <class Io, codec::Of<GetClusterStatus> Call>
void fields(Io&, Call&) {}

namespace {

// Bits of the settings' flags byte; the others are reserved and must be 0.
constexpr std::uint8_t kForwardedBit = 0x01;
// The settings carry a request id: u64 client, u64 sequence, u32 part.
constexpr std::uint8_t kRequestIdBit = 0x02;
constexpr std::uint8_t kKnownCallFlags = kForwardedBit | kRequestIdBit;

// The opcode of each RequestBody alternative, by index.
template <std::size_t... I>
constexpr std::array<Opcode, sizeof...(I)> alternative_opcodes(std::index_sequence<I...>) {
  return {std::variant_alternative_t<I, RequestBody>::kOpcode...};
}
constexpr auto kRequestOpcodes =
    alternative_opcodes(std::make_index_sequence<std::variant_size_v<RequestBody>>{});

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
  return append_frame(out, request_id, static_cast<std::uint16_t>(opcode_of(request.body)), "request",
                      [&](std::string& body) { return encode_request_body(request, body); });
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
  if (Status s = read_alternative(r, opcode, kRequestOpcodes, "request", request.body); !s.is_ok()) return s;
  out = std::move(request);
  return Status::ok();
}

Status decode_request(const FrameHeader& header, std::string_view body, Request& out) {
  if (Status s = check_frame_header(header); !s.is_ok()) return s;
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
