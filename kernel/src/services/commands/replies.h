// Replies of the state machines: the public outcome types of
// kahuna/service_types.h, plus what only the replicated log can produce.
#pragma once

#include <string>
#include <variant>

#include <kahuna/service_types.h>

#include "services/clock/hlc.h"

namespace kahuna::services {

using ::kahuna::KvBatchReply;
using ::kahuna::KvCode;
using ::kahuna::KvReply;
using ::kahuna::LockCode;
using ::kahuna::LockReply;
using ::kahuna::SequenceAllocation;
using ::kahuna::SequenceCode;
using ::kahuna::SequenceInfo;
using ::kahuna::SequenceReply;
using ::kahuna::to_string;

// A log entry that does not decode as a command. Every replica reaches the
// same verdict and changes nothing; the proposer reports an error.
struct RejectedCommand {
  std::string reason{};
  friend bool operator==(const RejectedCommand&, const RejectedCommand&) = default;
};

using Reply = std::variant<LockReply, KvReply, KvBatchReply, SequenceReply, RejectedCommand>;

}  // namespace kahuna::services
