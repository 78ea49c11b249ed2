// The replies SDK calls return: the server's own reply structures
// (kahuna/service_types.h), whose codes are those of HTTP-API.md §3, under
// names that read well at the call site.
//
//   LockResult      code (locked, busy, extended, unlocked, got, lockDoesNotExist,
//                   invalidOwner, invalidInput, errored), fencing_token, owner, expires
//   KvResult        code (set, notSet, extended, get, deleted, exists, doesNotExist,
//                   invalidInput, errored), revision, value, last_modified, expires
//   SequenceResult  code (success, notFound, alreadyExists, invalidInput,
//                   maxValueExceeded, aborted, error), revision, sequence, allocation
//   ScanResult      code, items (sorted by key)
//   RangePage       code, items, has_more, next_cursor
//   ClusterChangeResult  code (applied, unchanged, invalidInput, notFound,
//                   refused, error), metadata_version, message
//   ScriptResult    code (the last statement's: set, get, exists...; aborted,
//                   errored, unknown), reason, values
//   TxResult        a session's start, lock, commit or rollback: code (set =
//                   started, locked, committed, rolledBack, aborted,
//                   alreadyLocked, unknown, invalidInput...), transaction_id,
//                   record_anchor_key, holder, reason
//
// Neither must-retry nor outcome-unknown (98, "unknown": a write that may or
// may not have been applied) reaches the caller of a single operation: the
// SDK resends the call, with its request id, until the call's deadline, then
// returns Error{kDeadline} (no attempt was applied) or Error{kOutcomeUnknown}
// (one may have been). A batch row may keep either code (async_client.h).
// Two calls return outcome-unknown as a code instead, because resending
// would not tell more: a script (execute_script) and a session's commit.
#pragma once

#include <cstdint>
#include <vector>

#include <kahuna/service_types.h>
#include <kahuna/types.h>

namespace kahuna::client {

using LockResult = LockReply;
using KvResult = KvReply;
using SequenceResult = SequenceReply;
using ScanResult = KvScanReply;
using RangePage = KvRangePage;
using ClusterStatus = kahuna::ClusterStatus;
using ClusterChangeResult = ClusterChangeReply;
using ScriptResult = ScriptReply;
using TxResult = TxSessionReply;

// One row per item of a batch, in the items' order.
using BatchResult = std::vector<KvReply>;

// Counters of one client, for monitoring and tests.
struct ClientMetrics {
  std::uint64_t requests_sent = 0;       // attempts put on the wire
  std::uint64_t replies = 0;             // replies received
  std::uint64_t forwarded_replies = 0;   // replies a non-leader node forwarded for us (route provenance 2)
  std::uint64_t must_retry_replies = 0;  // replies and batch rows answered must-retry
  std::uint64_t outcome_unknown_replies = 0;  // replies and batch rows answered outcome-unknown (98)
  std::uint64_t transport_failures = 0;       // attempts lost to a connection failure or attempt timeout
  std::uint64_t retries = 0;        // attempts after the first, over all calls (batch rounds included)
  std::uint64_t map_refreshes = 0;  // cluster status reads
  std::uint64_t connections_opened = 0;
  // The cluster metadata version of the map the client routes by (0: no map
  // yet, or a cluster that reports none). A reply from a node that applied a
  // newer one makes the client read the map again.
  std::uint64_t map_metadata_version = 0;
};

}  // namespace kahuna::client
