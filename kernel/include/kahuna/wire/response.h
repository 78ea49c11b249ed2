// wire::Response: one reply as it travels in a reply frame — one alternative
// per kind of KernelApi reply, plus ErrorReply for a frame that could not be
// turned into a call (docs/protocol.md §5, §6).
#pragma once

#include <variant>
#include <vector>

#include <kahuna/service_types.h>
#include <kahuna/types.h>
#include <kahuna/wire/error_reply.h>
#include <kahuna/wire/opcode.h>

namespace kahuna::wire {

// The alternatives' order is the order of the reply opcodes 0x8001..0x800C,
// then the error reply; response_codec.cpp checks it at compile time.
using Response = std::variant<Routed<LockReply>,             // kLockReply
                              Routed<KvReply>,               // kKvReply
                              std::vector<Routed<KvReply>>,  // kKvBatchReply
                              KvScanReply,                   // kKvScanReply (scan-all-by-prefix)
                              Routed<KvScanReply>,           // kKvRoutedScanReply (get-by-bucket)
                              Routed<KvRangePage>,           // kKvRangeReply
                              Routed<SequenceReply>,         // kSequenceReply
                              ClusterStatus,                 // kClusterStatusReply
                              ClusterChangeReply,            // kClusterChangeReply
                              Routed<TxReply>,               // kTxReply
                              ScriptReply,                   // kScriptReply (run where it was sent)
                              Routed<TxSessionReply>,        // kTxSessionReply
                              ErrorReply>;                   // kErrorReply

// The opcode a response travels under.
Opcode opcode_of(const Response& response) noexcept;

// The reply opcode a request of `request_opcode` is answered with when the
// call ran (kErrorReply otherwise); kErrorReply for a non-request opcode.
Opcode reply_opcode_for(Opcode request_opcode) noexcept;

}  // namespace kahuna::wire
