// The log entry encoding of a Command.
//
//   u8 format (1) | u8 command type | HLC stamp | body
//   u8 format (2) | u8 command type | HLC stamp | request id | body
//
// Format 2 carries the client's request id (varint client, varint sequence,
// varint part; never all zero); a command without one is written in format
// 1, which every version reads.
//
// Bodies use the ByteWriter primitives (varints, length-prefixed bytes,
// 0/1-prefixed optionals) in the order the fields are declared in command.h.
// Command type numbers are part of the stored log: never reuse or renumber.
#pragma once

#include <string>
#include <string_view>

#include <kahuna/status.h>

#include "services/commands/command.h"

namespace kahuna::services {

inline constexpr std::uint8_t kCommandFormat = 1;
inline constexpr std::uint8_t kCommandFormatWithRequestId = 2;

enum class CommandType : std::uint8_t {
  kLockTryLock = 1,
  kLockTryExtend = 2,
  kLockUnlock = 3,
  kKvSet = 10,
  kKvDelete = 11,
  kKvExtend = 12,
  kKvSetMany = 13,
  kKvDeleteMany = 14,
  kKvExpire = 15,
  kSequenceCreate = 20,
  kSequenceUpdate = 21,
  kSequenceDelete = 22,
  kSequenceReserveBlock = 23,
  kSequenceNext = 24,
  kSequenceReserveRange = 25,
  kMetadataBootstrap = 30,
  kMetadataJoin = 31,
  kMetadataSetMemberState = 32,
  kMetadataRemoveMember = 33,
  kMetadataSetReplicationFactor = 34,
  kMetadataReportReplicas = 35,
  kTxPrepare = 40,
  kTxDecide = 41,
  kTxResolve = 42,
  kTxCommitLocal = 43,
  kTxForget = 44,
  kTxDecideResolve = 45,
  kTxQuery = 46,
};

CommandType command_type(const CommandBody& body) noexcept;

std::string encode_command(const Command& command);

// Decodes untrusted bytes. Never reads out of bounds and never allocates more
// than the input's size per field; a truncated, oversized, unknown or
// trailing-garbage input gives kCorruption and leaves `out` unspecified.
Status decode_command(std::string_view data, Command& out);

}  // namespace kahuna::services
