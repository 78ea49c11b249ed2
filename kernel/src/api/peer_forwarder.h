// PeerForwarder: forwarding (forwarding.h) over the peer transport.
//
// A forwarded call travels as a binary-protocol request frame
// (kahuna/wire) on the service channel kForwardRequests of the connection
// the nodes already share for Raft; the leader runs it through its own
// KernelApi with CallOptions::forwarded set and sends the reply frame back on
// kForwardReplies, matched to the call by request id. One codec serves
// clients and nodes alike.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/request.h>
#include <kahuna/wire/response.h>
#include <asio/io_context.hpp>

#include "api/forwarding.h"
#include "replication/replication_host.h"

namespace kahuna {

class PeerForwarder final : public Forwarder {
 public:
  static constexpr std::uint32_t kForwardRequests = ReplicationHost::kFirstServiceChannel + 1;
  static constexpr std::uint32_t kForwardReplies = ReplicationHost::kFirstServiceChannel + 2;

  // `kernel` serves calls forwarded to this node.
  PeerForwarder(asio::io_context& io, ReplicationHost& host, KernelApi& kernel)
      : io_(io), host_(host), kernel_(kernel) {}
  ~PeerForwarder() override;

  asio::awaitable<Forwarded<ForwardedReply>> call(std::uint64_t leader, ForwardedCall call,
                                                  CallOptions options, AbandonWhen abandon) override;

  // A frame that arrived on one of the forwarding channels.
  void on_frame(std::uint64_t from, std::uint32_t channel, std::string payload);

  // Fails every call still waiting for a reply (at shutdown).
  void cancel_all();

 private:
  struct Pending;

  void serve(std::uint64_t from, std::string frame);
  void complete(std::string frame);

  asio::io_context& io_;
  ReplicationHost& host_;
  KernelApi& kernel_;
  std::atomic<std::uint64_t> next_id_{1};
  std::mutex mutex_;
  std::map<std::uint64_t, std::shared_ptr<Pending>> pending_;
};

// The wire request that carries `call` (exposed for tests).
wire::Request to_wire_request(const ForwardedCall& call, const CallOptions& options);
// The forwarded reply inside `response`; nullopt for an error reply or a
// reply of another kind.
std::optional<ForwardedReply> from_wire_response(wire::Response response);

}  // namespace kahuna
