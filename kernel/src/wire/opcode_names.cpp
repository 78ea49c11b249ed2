#include <kahuna/wire/error_reply.h>
#include <kahuna/wire/opcode.h>

namespace kahuna::wire {

std::string_view to_string(Opcode opcode) noexcept {
  switch (opcode) {
    case Opcode::kTryLock: return "try_lock";
    case Opcode::kTryExtendLock: return "try_extend_lock";
    case Opcode::kUnlock: return "unlock";
    case Opcode::kGetLock: return "get_lock";
    case Opcode::kLock: return "lock";
    case Opcode::kKvSet: return "kv_set";
    case Opcode::kKvGet: return "kv_get";
    case Opcode::kKvExists: return "kv_exists";
    case Opcode::kKvDelete: return "kv_delete";
    case Opcode::kKvExtend: return "kv_extend";
    case Opcode::kKvSetMany: return "kv_set_many";
    case Opcode::kKvGetMany: return "kv_get_many";
    case Opcode::kKvExistsMany: return "kv_exists_many";
    case Opcode::kKvDeleteMany: return "kv_delete_many";
    case Opcode::kKvGetByBucket: return "kv_get_by_bucket";
    case Opcode::kKvScanPrefix: return "kv_scan_prefix";
    case Opcode::kKvGetRange: return "kv_get_range";
    case Opcode::kSequenceCreate: return "sequence_create";
    case Opcode::kSequenceGet: return "sequence_get";
    case Opcode::kSequenceUpdate: return "sequence_update";
    case Opcode::kSequenceReserve: return "sequence_reserve";
    case Opcode::kSequenceNext: return "sequence_next";
    case Opcode::kSequenceDelete: return "sequence_delete";
    case Opcode::kClusterStatus: return "cluster_status";
    case Opcode::kLockReply: return "lock_reply";
    case Opcode::kKvReply: return "kv_reply";
    case Opcode::kKvBatchReply: return "kv_batch_reply";
    case Opcode::kKvScanReply: return "kv_scan_reply";
    case Opcode::kKvRoutedScanReply: return "kv_routed_scan_reply";
    case Opcode::kKvRangeReply: return "kv_range_reply";
    case Opcode::kSequenceReply: return "sequence_reply";
    case Opcode::kClusterStatusReply: return "cluster_status_reply";
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
