#include "services/commands/replies.h"

namespace kahuna::services {

std::string_view to_string(LockCode code) noexcept {
  switch (code) {
    case LockCode::kLocked: return "locked";
    case LockCode::kBusy: return "busy";
    case LockCode::kExtended: return "extended";
    case LockCode::kUnlocked: return "unlocked";
    case LockCode::kGot: return "got";
    case LockCode::kErrored: return "errored";
    case LockCode::kInvalidInput: return "invalidInput";
    case LockCode::kMustRetry: return "mustRetry";
    case LockCode::kLockDoesNotExist: return "lockDoesNotExist";
    case LockCode::kInvalidOwner: return "invalidOwner";
  }
  return "errored";
}

std::string_view to_string(KvCode code) noexcept {
  switch (code) {
    case KvCode::kSet: return "set";
    case KvCode::kNotSet: return "notSet";
    case KvCode::kExtended: return "extended";
    case KvCode::kGet: return "get";
    case KvCode::kDeleted: return "deleted";
    case KvCode::kExists: return "exists";
    case KvCode::kErrored: return "errored";
    case KvCode::kInvalidInput: return "invalidInput";
    case KvCode::kMustRetry: return "mustRetry";
    case KvCode::kDoesNotExist: return "doesNotExist";
  }
  return "errored";
}

std::string_view to_string(SequenceCode code) noexcept {
  switch (code) {
    case SequenceCode::kSuccess: return "success";
    case SequenceCode::kNotFound: return "notFound";
    case SequenceCode::kAlreadyExists: return "alreadyExists";
    case SequenceCode::kInvalidInput: return "invalidInput";
    case SequenceCode::kMaxValueExceeded: return "maxValueExceeded";
    case SequenceCode::kMustRetry: return "mustRetry";
    case SequenceCode::kAborted: return "aborted";
    case SequenceCode::kError: return "error";
  }
  return "error";
}

}  // namespace kahuna::services
