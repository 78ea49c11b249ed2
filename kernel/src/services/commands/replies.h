// Replies of the state machines: the public outcome types of
// kahuna/service_types.h, plus what only the replicated log can produce.
#pragma once

#include <string>
#include <variant>
#include <vector>

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
using ::kahuna::TxCode;
using ::kahuna::TxReply;

// A log entry that does not decode as a command. Every replica reaches the
// same verdict and changes nothing; the proposer reports an error.
struct RejectedCommand {
  std::string reason{};
  friend bool operator==(const RejectedCommand&, const RejectedCommand&) = default;
};

// The outcome of a change to the cluster's metadata (partition 0).
enum class MetadataCode : std::int32_t {
  kApplied = 0,       // the metadata changed; `version` is its new version
  kUnchanged = 1,     // nothing to do (already so, or already bootstrapped)
  kInvalidInput = 2,  // a bad factor, id or state, or a metadata command outside partition 0
  kNotFound = 3,      // no member with that id
};
struct MetadataReply {
  MetadataCode code = MetadataCode::kInvalidInput;
  std::uint64_t version = 0;
  friend bool operator==(const MetadataReply&, const MetadataReply&) = default;
};

// Appended to, never reordered: the index of an alternative is stored with
// the replies remembered for retried requests.
using Reply =
    std::variant<LockReply, KvReply, KvBatchReply, SequenceReply, RejectedCommand, MetadataReply, TxReply>;

}  // namespace kahuna::services
