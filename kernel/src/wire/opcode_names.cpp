#include <kahuna/wire/error_reply.h>
#include <kahuna/wire/opcode.h>

namespace kahuna::wire {

std::string_view to_string(Opcode opcode) noexcept {
  switch (opcode) {
#define KAHUNA_OPERATION(name, Result, parameters, arguments, WireBody, ...) \
  case Opcode::k##WireBody:                                                  \
    return #name;
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION
    case Opcode::kSequenceNext: return "sequence_next";
    case Opcode::kClusterStatus: return "cluster_status";
    case Opcode::kLockReply: return "lock_reply";
    case Opcode::kKvReply: return "kv_reply";
    case Opcode::kKvBatchReply: return "kv_batch_reply";
    case Opcode::kKvScanReply: return "kv_scan_reply";
    case Opcode::kKvRoutedScanReply: return "kv_routed_scan_reply";
    case Opcode::kKvRangeReply: return "kv_range_reply";
    case Opcode::kSequenceReply: return "sequence_reply";
    case Opcode::kClusterStatusReply: return "cluster_status_reply";
    case Opcode::kClusterChangeReply: return "cluster_change_reply";
    case Opcode::kTxReply: return "tx_reply";
    case Opcode::kScriptReply: return "script_reply";
    case Opcode::kTxSessionReply: return "tx_session_reply";
    case Opcode::kErrorReply: return "error_reply";
  }
  return "unknown";
}

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kUnsupportedVersion: return "unsupportedVersion";
    case ErrorCode::kUnknownOpcode: return "unknownOpcode";
    case ErrorCode::kMalformedFrame: return "malformedFrame";
    case ErrorCode::kMalformedBody: return "malformedBody";
    case ErrorCode::kFrameTooLarge: return "frameTooLarge";
    case ErrorCode::kTooManyInFlight: return "tooManyInFlight";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

}  // namespace kahuna::wire
