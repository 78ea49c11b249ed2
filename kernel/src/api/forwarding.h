// Forwarding: how a node hands a request it does not lead to the node that
// does, and gets the answer back.
//
// A ForwardedCall is an operation's wire body; the Forwarder carries it to the leader (over the peer
// transport), where it runs as a request with CallOptions::forwarded set, so
// it is never forwarded a second time.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/request.h>
#include <asio/awaitable.hpp>

namespace kahuna {
// A forwarded call travels as the binary protocol's request body: the
// operation and its arguments, as kahuna/operations.def defines them.
using ForwardedCall = wire::RequestBody;

// One partition's share of a prefix scan: the scan body, naming the partition.
inline wire::KvScanPrefix scan_of_partition(std::uint32_t partition, KvPrefixRequest request) {
  request.partition = partition;
  return wire::KvScanPrefix{std::move(request)};
}

// What is left of an acquire-with-wait's wait, as the wire carries it.
inline std::uint32_t wire_wait_ms(std::chrono::milliseconds wait) {
  return static_cast<std::uint32_t>(
      std::clamp<std::int64_t>(wait.count(), 0, std::numeric_limits<std::uint32_t>::max()));
}

using ForwardedReply = std::variant<Routed<LockReply>, Routed<KvReply>, std::vector<Routed<KvReply>>,
                                    Routed<KvScanReply>, Routed<KvRangePage>, Routed<SequenceReply>,
                                    ClusterChangeReply, Routed<TxReply>, Routed<TxSessionReply>>;

// What became of a forwarded call.
template <class Reply>
struct Forwarded {
  // False when the call never left this node (the leader is unreachable
  // from here): trying again, e.g. with a new leader, is safe. True with no
  // reply: the leader may or may not have run it.
  bool sent = false;
  std::optional<Reply> reply{};
};

// Polled while a forwarded call waits for its answer: true once waiting is
// pointless (another node leads now), so the caller can resend the call to
// the new leader instead of waiting out a leader that froze.
using AbandonWhen = std::function<bool()>;

class Forwarder {
 public:
  virtual ~Forwarder() = default;
  // Runs `call` on node `leader` and returns its answer, if one came before
  // the call's timeout (plus a margin) or before `abandon` (when set) said
  // to stop waiting.
  virtual asio::awaitable<Forwarded<ForwardedReply>> call(std::uint64_t leader, ForwardedCall call,
                                                          CallOptions options, AbandonWhen abandon = {}) = 0;
};

// A forward function for Kernel::serve: sends `call` through `forwarder`
// (none: nothing is forwarded) with `options` (request id included: every
// resend is the same request) and the timeout serve gives each attempt, and
// unwraps the reply of type Reply.
template <class Reply>
std::function<asio::awaitable<Forwarded<Reply>>(std::uint64_t, std::chrono::milliseconds, AbandonWhen)>
forward_as(Forwarder* forwarder, ForwardedCall call, CallOptions options) {
  options.forwarded = true;
  return [forwarder, call = std::move(call), options](
             std::uint64_t leader, std::chrono::milliseconds timeout,
             AbandonWhen abandon) -> asio::awaitable<Forwarded<Reply>> {
    if (forwarder == nullptr) co_return Forwarded<Reply>{};
    CallOptions attempt = options;
    attempt.timeout = timeout;
    Forwarded<ForwardedReply> outcome = co_await forwarder->call(leader, call, attempt, std::move(abandon));
    Forwarded<Reply> out{outcome.sent, std::nullopt};
    if (outcome.reply) {
      if (auto* typed = std::get_if<Reply>(&*outcome.reply)) out.reply = std::move(*typed);
    }
    co_return out;
  };
}

}  // namespace kahuna
