// Opcodes of the binary protocol: the number in every frame header that says
// what the frame's body holds (docs/protocol.md §4).
//
// Requests use 0x0001..0x7FFF, replies 0x8000..0xFFFF, so a frame is
// self-describing: a reader never needs to remember which request a reply
// answers to decode it. Numbers are part of the wire contract: never reuse
// or renumber one.
#pragma once

#include <cstdint>
#include <string_view>

namespace kahuna::wire {

enum class Opcode : std::uint16_t {
// One request opcode per operation, kWireBody = its number in the table.
#define KAHUNA_OPERATION(name, Result, parameters, arguments, WireBody, wire_arguments, kind, routing, \
                         opcode, ...)                                                                  \
  k##WireBody = opcode,
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION

  // Request bodies that are not operations of their own.
  kSequenceNext = 0x0044,  // reserve with count 1: HTTP-API.md §7's own verb
  kClusterStatus = 0x0050,

  // Replies.
  kLockReply = 0x8001,
  kKvReply = 0x8002,
  kKvBatchReply = 0x8003,
  kKvScanReply = 0x8004,
  kKvRoutedScanReply = 0x8005,
  kKvRangeReply = 0x8006,
  kSequenceReply = 0x8007,
  kClusterStatusReply = 0x8008,
  kClusterChangeReply = 0x8009,
  kTxReply = 0x800A,
  kScriptReply = 0x800B,
  kTxSessionReply = 0x800C,
  kErrorReply = 0xFFFF,
};

// True for the opcodes of replies (the high bit set).
constexpr bool is_reply_opcode(std::uint16_t opcode) noexcept { return (opcode & 0x8000u) != 0; }

// "try_lock", "kv_reply", ...; "unknown" for a number this version does not define.
std::string_view to_string(Opcode opcode) noexcept;

}  // namespace kahuna::wire
