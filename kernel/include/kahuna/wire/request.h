// wire::Request: one KernelApi call as it travels in a request frame — which
// operation (one alternative per call), its arguments, and the per-call
// settings a client may choose (docs/protocol.md §3, §4).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <kahuna/types.h>
#include <kahuna/wire/opcode.h>

namespace kahuna::wire {

// ---- One alternative per KernelApi call ------------------------------------
// Each names its opcode, so the variant index and the wire number can never
// disagree.

// The body of an operation that takes one request.
template <Opcode opcode, class Request>
struct RequestCall {
  static constexpr Opcode kOpcode = opcode;
  Request request{};
};

// The body of a batch: its items, one request each.
template <Opcode opcode, class Item>
struct BatchCall {
  static constexpr Opcode kOpcode = opcode;
  std::vector<Item> items{};
};

// The body of a sequence call named by the sequence alone.
template <Opcode opcode>
struct SequenceNameCall {
  static constexpr Opcode kOpcode = opcode;
  std::string name{};
};

using TryLock = RequestCall<Opcode::kTryLock, LockRequest>;
using TryExtendLock = RequestCall<Opcode::kTryExtendLock, LockRequest>;
using Unlock = RequestCall<Opcode::kUnlock, LockRequest>;
using GetLock = RequestCall<Opcode::kGetLock, LockRequest>;
// Acquire with wait: queue on the leader for up to wait_ms (KernelApi::lock).
struct Lock {
  static constexpr Opcode kOpcode = Opcode::kLock;
  LockRequest request{};
  std::uint32_t wait_ms = 0;
};

using KvSet = RequestCall<Opcode::kKvSet, KvSetRequest>;
using KvGet = RequestCall<Opcode::kKvGet, KvGetRequest>;
using KvExists = RequestCall<Opcode::kKvExists, KvGetRequest>;
using KvDelete = RequestCall<Opcode::kKvDelete, KvKeyRequest>;
using KvExtend = RequestCall<Opcode::kKvExtend, KvExtendRequest>;

using KvSetMany = BatchCall<Opcode::kKvSetMany, KvSetRequest>;
using KvGetMany = BatchCall<Opcode::kKvGetMany, KvGetRequest>;
using KvExistsMany = BatchCall<Opcode::kKvExistsMany, KvGetRequest>;
using KvDeleteMany = BatchCall<Opcode::kKvDeleteMany, KvKeyRequest>;

using KvGetByBucket = RequestCall<Opcode::kKvGetByBucket, KvPrefixRequest>;
using KvScanPrefix = RequestCall<Opcode::kKvScanPrefix, KvPrefixRequest>;
using KvGetRange = RequestCall<Opcode::kKvGetRange, KvRangeRequest>;

using SequenceCreate = RequestCall<Opcode::kSequenceCreate, SequenceCreateRequest>;
using SequenceGet = SequenceNameCall<Opcode::kSequenceGet>;
using SequenceUpdate = RequestCall<Opcode::kSequenceUpdate, SequenceUpdateRequest>;
using SequenceReserve = RequestCall<Opcode::kSequenceReserve, SequenceReserveRequest>;
// Reserve with count 1, kept as its own opcode because HTTP-API.md §7 has a
// distinct `next` verb.
struct SequenceNext {
  static constexpr Opcode kOpcode = Opcode::kSequenceNext;
  std::string name{};
  std::optional<std::string> idempotency_key{};
};
using SequenceDelete = SequenceNameCall<Opcode::kSequenceDelete>;

using TxStep = RequestCall<Opcode::kTxStep, TxStepRequest>;
using KvExecuteScript = RequestCall<Opcode::kKvExecuteScript, ScriptRequest>;
using TxStart = RequestCall<Opcode::kTxStart, TxStartRequest>;
using TxCommit = RequestCall<Opcode::kTxCommit, TxEndRequest>;
using TxRollback = RequestCall<Opcode::kTxRollback, TxEndRequest>;
using TxLock = RequestCall<Opcode::kTxLock, TxLockRequest>;
using TxKvSet = RequestCall<Opcode::kTxKvSet, TxKvSetRequest>;
using TxKvGet = RequestCall<Opcode::kTxKvGet, TxKvGetRequest>;
using TxKvExists = RequestCall<Opcode::kTxKvExists, TxKvGetRequest>;
using TxKvDelete = RequestCall<Opcode::kTxKvDelete, TxKvKeyRequest>;
using TxKvExtend = RequestCall<Opcode::kTxKvExtend, TxKvExtendRequest>;
using TxKvGetByBucket = RequestCall<Opcode::kTxKvGetByBucket, TxKvPrefixRequest>;
using TxKvDeleteMany = RequestCall<Opcode::kTxKvDeleteMany, TxKvDeleteManyRequest>;

// Cluster administration: served by the node that receives them.
using ClusterJoin = RequestCall<Opcode::kClusterJoin, ClusterJoinRequest>;
using ClusterLeave = RequestCall<Opcode::kClusterLeave, ClusterMemberRequest>;
using ClusterRemove = RequestCall<Opcode::kClusterRemove, ClusterMemberRequest>;
using SetReplicationFactor = RequestCall<Opcode::kSetReplicationFactor, ReplicationFactorRequest>;

struct GetClusterStatus {
  static constexpr Opcode kOpcode = Opcode::kClusterStatus;
};

// One alternative per row of kahuna/operations.def, then the bodies that are
// not operations of their own.
using RequestBody = std::variant<
#define KAHUNA_OPERATION(name, Result, parameters, arguments, WireBody, ...) WireBody,
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION
    SequenceNext, GetClusterStatus>;

// The per-call settings a request carries (the wire form of CallOptions).
struct CallSettings {
  std::uint32_t timeout_ms = 0;  // 0: the receiver's default
  ReadConsistency consistency = ReadConsistency::kLinearizable;
  bool forwarded = false;  // sent by a node forwarding to the leader: never forward again
  // Writes: the id every retry of the call repeats (kahuna/types/call.h
  // RequestId); travels only when present.
  RequestId request_id{};
  friend bool operator==(const CallSettings&, const CallSettings&) = default;
};

struct Request {
  RequestBody body{};
  CallSettings settings{};
};

// The opcode a request body travels under.
Opcode opcode_of(const RequestBody& body) noexcept;

// The CallOptions to run a request with: its settings, with a zero timeout
// replaced by `default_timeout`.
CallOptions to_call_options(const CallSettings& settings, std::chrono::milliseconds default_timeout);

// The settings that carry `options` on the wire (for a node forwarding a
// call): a timeout above the u32 range is capped, a negative one becomes 1 ms.
CallSettings to_call_settings(const CallOptions& options) noexcept;

}  // namespace kahuna::wire
