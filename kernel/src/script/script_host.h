// ScriptHost: everything a running Kahuna Script can do to the world — the
// interface the session layer implements and the interpreter calls. The
// interpreter knows nothing of Raft, sessions or networking; a test drives it
// with an in-memory host.
//
// Requests and replies are the key/value types of the public surface
// (kahuna/types/requests.h, kahuna/service_types.h), each request carrying
// its durability (ESET, EGET, ... are the ephemeral forms).
//
// Contract of every key/value method: the outcome goes in `reply` (set /
// notSet, get / doesNotExist, ...); the returned Status is non-ok only when
// the script cannot go on, and its code says how the script ends:
//   aborted          -> 102 aborted (the transaction lost a conflict, its
//                       lock or its session expired)
//   busy             -> 104 alreadyLocked (another transaction holds the key)
//   must_retry       -> 101 mustRetry (nothing was decided; run it again)
//   invalid_argument -> 100 invalidInput
//   anything else    -> 99 errored
// A reply whose code is a failure (98 and above, except 103 doesNotExist)
// also ends the script, with that code. The interpreter then calls
// rollback() if a transaction is open. Methods must not throw; if one does,
// the script ends with 99.
#pragma once

#include <cstdint>

#include <kahuna/hlc_timestamp.h>
#include <kahuna/service_types.h>
#include <kahuna/status.h>
#include <kahuna/types/requests.h>

#include "script/transaction_options.h"

namespace kahuna::script {

class ScriptHost {
 public:
  virtual ~ScriptHost() = default;

  // SET / ESET: request.flags is exactly one KvSetFlag (kSet when the script
  // gave no condition), as the HTTP clients send it.
  virtual Status set(const KvSetRequest& request, KvReply& reply) = 0;
  // GET / EGET, with query.revision >= 0 for AT and a read_timestamp for AS OF.
  virtual Status get(const KvGetRequest& request, KvReply& reply) = 0;
  // EXISTS / EEXISTS: like get, without the value.
  virtual Status exists(const KvGetRequest& request, KvReply& reply) = 0;
  // DELETE / EDELETE.
  virtual Status remove(const KvKeyRequest& request, KvReply& reply) = 0;
  // EXTEND / EEXTEND: request.expires_ms > 0.
  virtual Status extend(const KvExtendRequest& request, KvReply& reply) = 0;
  // GET BY BUCKET: the partition owning key space `prefix`, its live keys
  // starting with `prefix` (HTTP-API.md §6.3 get-by-bucket).
  virtual Status get_by_bucket(const KvPrefixRequest& request, KvScanReply& reply) = 0;
  // SCAN BY PREFIX: every partition (scan-all-by-prefix). Never called
  // inside BEGIN … END; in an auto-commit script it reads outside the
  // transaction's isolation.
  virtual Status scan_by_prefix(const KvPrefixRequest& request, KvScanReply& reply) = 0;

  // Opens the script's transaction: at BEGIN with its options, or before the
  // first statement of an auto-commit script with default options. At most
  // one transaction is open at a time.
  virtual Status begin(const TransactionOptions& options) = 0;
  // Commits the open transaction: ok means committed (8).
  virtual Status commit() = 0;
  // Rolls back the open transaction; also called after a failure, when the
  // transaction may already be aborted (must be harmless then).
  virtual Status rollback() = 0;

  // SLEEP ms (ms >= 0). A non-ok Status ends the script as above (e.g. the
  // session expired while sleeping).
  virtual Status sleep(std::int64_t ms) = 0;
  // The host's hybrid clock, for current_time() and hlc().
  virtual HlcTimestamp now() = 0;
};

}  // namespace kahuna::script
