#include "kahuna/raft/config.h"

#include "kahuna/raft/status.h"

namespace kahuna::raft {

std::string validate(const Config& c) {
  if (c.id == kNoNode) return "id must not be 0";
  if (c.storage == nullptr) return "storage must be set";
  if (c.heartbeat_ticks <= 0) return "heartbeat_ticks must be positive";
  if (c.election_ticks <= c.heartbeat_ticks) return "election_ticks must exceed heartbeat_ticks";
  if (c.max_append_bytes == 0) return "max_append_bytes must be positive";
  if (c.max_inflight_appends == 0) return "max_inflight_appends must be positive";
  if (c.snapshot_retry_ticks <= 0) return "snapshot_retry_ticks must be positive";
  if (c.quiesce_ticks < 0) return "quiesce_ticks must not be negative";
  if (c.lease_reads && !c.check_quorum) return "lease_reads requires check_quorum";
  if (c.lease_reads && (c.max_clock_drift_ticks < 0 || c.max_clock_drift_ticks >= c.election_ticks)) {
    return "max_clock_drift_ticks must be in [0, election_ticks)";
  }
  return "";
}

const char* to_string(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kNotLeader: return "not leader";
    case StatusCode::kTransferInProgress: return "leadership transfer in progress";
    case StatusCode::kBusy: return "busy";
    case StatusCode::kInvalidArgument: return "invalid argument";
  }
  return "unknown";
}

}  // namespace kahuna::raft
