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

struct TryLock {
  static constexpr Opcode kOpcode = Opcode::kTryLock;
  LockRequest request{};
};
struct TryExtendLock {
  static constexpr Opcode kOpcode = Opcode::kTryExtendLock;
  LockRequest request{};
};
struct Unlock {
  static constexpr Opcode kOpcode = Opcode::kUnlock;
  LockRequest request{};
};
struct GetLock {
  static constexpr Opcode kOpcode = Opcode::kGetLock;
  LockRequest request{};
};
// Acquire with wait: queue on the leader for up to wait_ms (KernelApi::lock).
struct Lock {
  static constexpr Opcode kOpcode = Opcode::kLock;
  LockRequest request{};
  std::uint32_t wait_ms = 0;
};

struct KvSet {
  static constexpr Opcode kOpcode = Opcode::kKvSet;
  KvSetRequest request{};
};
struct KvGet {
  static constexpr Opcode kOpcode = Opcode::kKvGet;
  KvGetRequest request{};
};
struct KvExists {
  static constexpr Opcode kOpcode = Opcode::kKvExists;
  KvGetRequest request{};
};
struct KvDelete {
  static constexpr Opcode kOpcode = Opcode::kKvDelete;
  KvKeyRequest request{};
};
struct KvExtend {
  static constexpr Opcode kOpcode = Opcode::kKvExtend;
  KvExtendRequest request{};
};

struct KvSetMany {
  static constexpr Opcode kOpcode = Opcode::kKvSetMany;
  std::vector<KvSetRequest> items{};
};
struct KvGetMany {
  static constexpr Opcode kOpcode = Opcode::kKvGetMany;
  std::vector<KvGetRequest> items{};
};
struct KvExistsMany {
  static constexpr Opcode kOpcode = Opcode::kKvExistsMany;
  std::vector<KvGetRequest> items{};
};
struct KvDeleteMany {
  static constexpr Opcode kOpcode = Opcode::kKvDeleteMany;
  std::vector<KvKeyRequest> items{};
};

struct KvGetByBucket {
  static constexpr Opcode kOpcode = Opcode::kKvGetByBucket;
  KvPrefixRequest request{};
};
struct KvScanPrefix {
  static constexpr Opcode kOpcode = Opcode::kKvScanPrefix;
  KvPrefixRequest request{};
};
struct KvGetRange {
  static constexpr Opcode kOpcode = Opcode::kKvGetRange;
  KvRangeRequest request{};
};

struct SequenceCreate {
  static constexpr Opcode kOpcode = Opcode::kSequenceCreate;
  SequenceCreateRequest request{};
};
struct SequenceGet {
  static constexpr Opcode kOpcode = Opcode::kSequenceGet;
  std::string name{};
};
struct SequenceUpdate {
  static constexpr Opcode kOpcode = Opcode::kSequenceUpdate;
  SequenceUpdateRequest request{};
};
struct SequenceReserve {
  static constexpr Opcode kOpcode = Opcode::kSequenceReserve;
  SequenceReserveRequest request{};
};
// Reserve with count 1, kept as its own opcode because HTTP-API.md §7 has a
// distinct `next` verb.
struct SequenceNext {
  static constexpr Opcode kOpcode = Opcode::kSequenceNext;
  std::string name{};
  std::optional<std::string> idempotency_key{};
};
struct SequenceDelete {
  static constexpr Opcode kOpcode = Opcode::kSequenceDelete;
  std::string name{};
};

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
