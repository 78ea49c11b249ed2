#include "api/peer_forwarder.h"

#include <kahuna/wire/codec.h>
#include <kahuna/wire/dispatch.h>
#include <kahuna/wire/frame.h>
#include <spdlog/spdlog.h>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/experimental/concurrent_channel.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna {
namespace {

// How long a forwarded call may take beyond its own timeout before the
// caller stops waiting (the reply is lost, or the leader died).
constexpr auto kReplyMargin = std::chrono::milliseconds(500);
constexpr auto kDefaultTimeout = std::chrono::milliseconds(5000);
constexpr auto kConnectionCheck = std::chrono::milliseconds(100);

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

bool split_frame(std::string_view frame, wire::FrameHeader& header, std::string_view& body) {
  if (frame.size() < wire::kFrameHeaderSize || !wire::decode_frame_header(frame, header)) return false;
  if (header.frame_size() != frame.size()) return false;
  body = frame.substr(wire::kFrameHeaderSize);
  return true;
}

}  // namespace

struct PeerForwarder::Pending {
  explicit Pending(asio::any_io_executor executor) : reply(std::move(executor), 1) {}
  asio::experimental::concurrent_channel<void(std::error_code, std::string)> reply;
};

PeerForwarder::~PeerForwarder() = default;

wire::Request to_wire_request(const ForwardedCall& call, const CallOptions& options) {
  return wire::Request{call, wire::to_call_settings(options)};
}

std::optional<ForwardedReply> from_wire_response(wire::Response response) {
  return std::visit(
      Overloaded{
          [](wire::ErrorReply&) -> std::optional<ForwardedReply> { return std::nullopt; },
          [](ClusterStatus&) -> std::optional<ForwardedReply> { return std::nullopt; },
          [](ScriptReply&) -> std::optional<ForwardedReply> { return std::nullopt; },  // never forwarded
          [](KvScanReply& scan) -> std::optional<ForwardedReply> {
            // A one-partition scan (scan_of_partition) comes back unrouted.
            return ForwardedReply(Routed<KvScanReply>{std::move(scan), {}});
          },
          [](auto& reply) -> std::optional<ForwardedReply> { return ForwardedReply(std::move(reply)); },
      },
      response);
}

asio::awaitable<Forwarded<ForwardedReply>> PeerForwarder::call(std::uint64_t leader, ForwardedCall call,
                                                               CallOptions options, AbandonWhen abandon) {
  Forwarded<ForwardedReply> out;
  // A leader this node has no connection to is likely gone: say so at once
  // rather than queue the call behind a dead link.
  if (!host_.connected(leader)) co_return out;
  const std::uint64_t id = next_id_.fetch_add(1);
  std::string frame;
  const wire::Request request = to_wire_request(call, options);
  if (Status s = wire::encode_request(id, request, frame); !s) {
    spdlog::warn("forwarding: cannot encode a request: {}", s.to_string());
    co_return out;
  }
  auto pending = std::make_shared<Pending>(co_await asio::this_coro::executor);
  {
    std::lock_guard lock(mutex_);
    pending_.emplace(id, pending);
  }
  auto forget = [this, id] {
    std::lock_guard lock(mutex_);
    pending_.erase(id);
  };
  if (!host_.send_channel(leader, kForwardRequests, frame)) {
    forget();
    co_return out;
  }
  out.sent = true;
  // Wait for the reply in slices, so a leader that dies meanwhile (its
  // connection drops) or is replaced (it froze, or is cut off from the
  // others) is noticed within a slice, not at the deadline.
  using namespace asio::experimental::awaitable_operators;
  const auto give_up = std::chrono::steady_clock::now() + options.timeout + kReplyMargin;
  std::string reply_frame;
  bool replied = false;
  asio::steady_timer slice(co_await asio::this_coro::executor);
  while (!replied && std::chrono::steady_clock::now() < give_up && host_.connected(leader) &&
         !(abandon && abandon())) {
    slice.expires_after(kConnectionCheck);
    auto outcome =
        co_await (pending->reply.async_receive(asio::experimental::as_tuple(asio::use_awaitable)) ||
                  slice.async_wait(asio::experimental::as_tuple(asio::use_awaitable)));
    if (outcome.index() == 0) {
      auto [error, bytes] = std::get<0>(std::move(outcome));
      if (error) break;
      reply_frame = std::move(bytes);
      replied = true;
    }
  }
  forget();
  if (!replied) co_return out;
  wire::FrameHeader header;
  std::string_view body;
  wire::Response response;
  if (!split_frame(reply_frame, header, body) || !wire::decode_response(header, body, response)) {
    spdlog::warn("forwarding: node {} sent an undecodable reply", leader);
    co_return out;
  }
  out.reply = from_wire_response(std::move(response));
  co_return out;
}

void PeerForwarder::on_frame(std::uint64_t from, std::uint32_t channel, std::string payload) {
  if (channel == kForwardRequests) {
    serve(from, std::move(payload));
  } else if (channel == kForwardReplies) {
    complete(std::move(payload));
  }
}

void PeerForwarder::serve(std::uint64_t from, std::string frame) {
  wire::FrameHeader header;
  std::string_view body;
  wire::Request request;
  if (!split_frame(frame, header, body) || !wire::decode_request(header, body, request)) {
    spdlog::warn("forwarding: node {} sent an undecodable request", from);
    return;
  }
  CallOptions options = wire::to_call_options(request.settings, kDefaultTimeout);
  options.forwarded = true;  // whatever the frame says: a forward is never forwarded again
  const std::uint64_t id = header.request_id;
  asio::co_spawn(
      io_,
      [this, from, id, request = std::move(request), options]() mutable -> asio::awaitable<void> {
        wire::Response response = co_await wire::dispatch(kernel_, std::move(request), options);
        std::string reply;
        if (wire::encode_response(id, response, reply)) host_.send_channel(from, kForwardReplies, reply);
      },
      asio::detached);
}

void PeerForwarder::complete(std::string frame) {
  wire::FrameHeader header;
  if (frame.size() < wire::kFrameHeaderSize || !wire::decode_frame_header(frame, header)) return;
  std::shared_ptr<Pending> pending;
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(header.request_id);
    if (it == pending_.end()) return;  // the caller gave up already
    pending = it->second;
  }
  pending->reply.try_send(std::error_code{}, std::move(frame));
}

void PeerForwarder::cancel_all() {
  std::lock_guard lock(mutex_);
  for (auto& [id, pending] : pending_) pending->reply.try_send(asio::error::operation_aborted, std::string());
}

}  // namespace kahuna
