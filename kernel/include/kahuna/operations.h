// What every client-facing operation is, from the one table of them
// (kahuna/operations.def): descriptors for code that treats operations
// alike (metrics, authorization, docs checks), and the macros that turn the
// table's rows into declarations.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace kahuna {

enum class OperationKind : unsigned char {
  kRead,   // changes nothing; may be served by a follower when the caller allows stale reads
  kWrite,  // replicated (or ephemeral on the leader); exactly-once under a request id
};

// What picks the partition that serves an operation (HTTP-API.md §8).
enum class OperationRouting : unsigned char {
  kLock,            // the lock's resource
  kKey,             // the key
  kBucket,          // the key space (prefix) a scan names
  kSequence,        // the sequence's name
  kEachItem,        // each item of a batch on its own
  kEveryPartition,  // every partition, merged
  kNode,            // the answering node (cluster administration)
  kPartition,       // the partition the request names
  kSession,         // the session's coordinator key (the leader of its partition owns it)
};

struct OperationInfo {
  std::string_view name;
  OperationKind kind;
  OperationRouting routing;
  std::uint16_t opcode;        // the binary protocol's
  std::string_view http_path;  // empty: not served over HTTP
};

inline constexpr std::array kOperations = {
#define KAHUNA_OPERATION(name, Result, parameters, arguments, WireBody, wire_arguments, kind, routing, \
                         opcode, http_path)                                                            \
  OperationInfo{#name, OperationKind::kind, OperationRouting::routing, opcode, http_path},
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION
};

}  // namespace kahuna

// A row's parenthesized list without its parentheses.
#define KAHUNA_UNPARENTHESIZED(...) __VA_ARGS__

// Declares every operation as an override of KernelApi, for an implementation's class body:
//   #define KAHUNA_OPERATION KAHUNA_DECLARE_OPERATION_OVERRIDE
//   #include <kahuna/operations.def>
//   #undef KAHUNA_OPERATION
#define KAHUNA_DECLARE_OPERATION_OVERRIDE(name, Result, parameters, ...) \
  asio::awaitable<Result> name(KAHUNA_UNPARENTHESIZED parameters, CallOptions options) override;
