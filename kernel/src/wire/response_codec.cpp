// Reply frames: the reply kind is the opcode; the body is its fields.
#include <array>

#include <kahuna/wire/codec.h>

#include "byte_reader.h"
#include "byte_writer.h"
#include "field_io.h"
#include "frame_writer.h"

namespace kahuna::wire {
namespace {

// The reply opcode of each Response alternative, in variant order.
constexpr std::array<Opcode, 13> kResponseOpcodes = {
    Opcode::kLockReply,          Opcode::kKvReply,      Opcode::kKvBatchReply,  Opcode::kKvScanReply,
    Opcode::kKvRoutedScanReply,  Opcode::kKvRangeReply, Opcode::kSequenceReply, Opcode::kClusterStatusReply,
    Opcode::kClusterChangeReply, Opcode::kTxReply,      Opcode::kScriptReply,   Opcode::kTxSessionReply,
    Opcode::kErrorReply,
};
static_assert(kResponseOpcodes.size() == std::variant_size_v<Response>);
static_assert(std::is_same_v<std::variant_alternative_t<8, Response>, ClusterChangeReply>);
static_assert(std::is_same_v<std::variant_alternative_t<9, Response>, Routed<TxReply>>);
static_assert(std::is_same_v<std::variant_alternative_t<10, Response>, ScriptReply>);
static_assert(std::is_same_v<std::variant_alternative_t<11, Response>, Routed<TxSessionReply>>);
static_assert(std::is_same_v<std::variant_alternative_t<12, Response>, ErrorReply>);

}  // namespace

// u16 code, bytes message.
KAHUNA_FIELDS(ErrorReply, code, message)

namespace {}  // namespace

Opcode opcode_of(const Response& response) noexcept { return kResponseOpcodes[response.index()]; }

namespace {

// The reply opcode of the Response alternative `Reply`.
template <class Reply, std::size_t Index = 0>
constexpr Opcode reply_opcode() {
  if constexpr (std::is_same_v<std::variant_alternative_t<Index, Response>, Reply>) {
    return kResponseOpcodes[Index];
  } else {
    return reply_opcode<Reply, Index + 1>();
  }
}

}  // namespace

Opcode reply_opcode_for(Opcode request_opcode) noexcept {
  switch (request_opcode) {
#define KAHUNA_OPERATION(name, Result, parameters, arguments, WireBody, ...) \
  case Opcode::k##WireBody:                                                  \
    return reply_opcode<Result>();
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION
    case Opcode::kSequenceNext: return Opcode::kSequenceReply;
    case Opcode::kClusterStatus: return Opcode::kClusterStatusReply;
    default: return Opcode::kErrorReply;
  }
}

Status encode_response_body(const Response& response, std::string& out) {
  const std::size_t original_size = out.size();
  ByteWriter w(out);
  std::visit([&](const auto& reply) { write(w, reply); }, response);
  if (w.overflowed()) {
    out.resize(original_size);
    return Status::invalid_argument("a string or list of the reply is too long for its u32 length prefix");
  }
  return Status::ok();
}

Status encode_response(std::uint64_t request_id, const Response& response, std::string& out) {
  return append_frame(out, request_id, static_cast<std::uint16_t>(opcode_of(response)), "reply",
                      [&](std::string& body) { return encode_response_body(response, body); });
}

Status decode_response_body(Opcode opcode, std::string_view body, Response& out) {
  ByteReader r(body);
  Response response;
  if (Status s = read_alternative(r, opcode, kResponseOpcodes, "reply", response); !s.is_ok()) return s;
  out = std::move(response);
  return Status::ok();
}

Status decode_response(const FrameHeader& header, std::string_view body, Response& out) {
  if (Status s = check_frame_header(header); !s.is_ok()) return s;
  return decode_response_body(static_cast<Opcode>(header.opcode), body, out);
}

}  // namespace kahuna::wire
