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
  // Locks (HTTP-API.md §5).
  kTryLock = 0x0001,
  kTryExtendLock = 0x0002,
  kUnlock = 0x0003,
  kGetLock = 0x0004,
  kLock = 0x0005,  // acquire with wait

  // Key/value point operations (§6.1).
  kKvSet = 0x0010,
  kKvGet = 0x0011,
  kKvExists = 0x0012,
  kKvDelete = 0x0013,
  kKvExtend = 0x0014,

  // Key/value batches (§6.2).
  kKvSetMany = 0x0020,
  kKvGetMany = 0x0021,
  kKvExistsMany = 0x0022,
  kKvDeleteMany = 0x0023,

  // Key/value scans (§6.3).
  kKvGetByBucket = 0x0030,
  kKvScanPrefix = 0x0031,
  kKvGetRange = 0x0032,

  // Sequences (§7).
  kSequenceCreate = 0x0040,
  kSequenceGet = 0x0041,
  kSequenceUpdate = 0x0042,
  kSequenceReserve = 0x0043,
  kSequenceNext = 0x0044,
  kSequenceDelete = 0x0045,

  // Cluster.
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
  kErrorReply = 0xFFFF,
};

// True for the opcodes of replies (the high bit set).
constexpr bool is_reply_opcode(std::uint16_t opcode) noexcept { return (opcode & 0x8000u) != 0; }

// "try_lock", "kv_reply", ...; "unknown" for a number this version does not define.
std::string_view to_string(Opcode opcode) noexcept;

}  // namespace kahuna::wire
