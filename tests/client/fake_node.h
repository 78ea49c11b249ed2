// FakeNode: a scripted stand-in for one node's binary protocol on
// 127.0.0.1, for the SDK tests of what a real cluster does only under
// faults: must-retry and outcome-unknown answers, a connection dropped after
// the request arrived, a node that never answers.
//
// It decodes every request frame with the shared wire codec and keeps it, so
// a test sees exactly what the SDK put on the wire (the request id among
// it). A cluster-status request is answered with status() — by default this
// node alone, leading the one data partition — and is not kept; every other
// request gets what the script says.
//
// The node serves on an io thread of its own, where the script runs; the
// other methods may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <kahuna/wire/request.h>
#include <kahuna/wire/response.h>

namespace kahuna::client::testing {

class FakeNode {
 public:
  struct Action {
    enum class Kind {
      kReply,   // send `response`
      kDrop,    // close the connection without answering
      kIgnore,  // never answer (the client's attempt times out)
    };
    Kind kind = Kind::kReply;
    wire::Response response{};

    static Action reply(wire::Response response) { return Action{Kind::kReply, std::move(response)}; }
    static Action drop() { return Action{Kind::kDrop, {}}; }
    static Action ignore() { return Action{Kind::kIgnore, {}}; }
  };
  // `nth` numbers this node's requests from 0, cluster status excluded.
  using Script = std::function<Action(const wire::Request& request, std::size_t nth)>;

  FakeNode(std::uint64_t id, Script script);
  // Stops serving: connections are closed.
  ~FakeNode();
  FakeNode(const FakeNode&) = delete;
  FakeNode& operator=(const FakeNode&) = delete;

  std::uint64_t id() const noexcept { return id_; }
  // "127.0.0.1:port".
  const std::string& endpoint() const noexcept { return endpoint_; }

  // What a cluster-status request is answered with from now on.
  void set_status(ClusterStatus status);
  // Every request received but cluster status, in arrival order.
  std::vector<wire::Request> requests() const;

 private:
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(asio::ip::tcp::socket socket);
  // Keeps `request` and asks the script (or answers a cluster status).
  Action decide(const wire::Request& request);

  const std::uint64_t id_;
  const Script script_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::string endpoint_;
  mutable std::mutex mutex_;
  ClusterStatus status_;
  std::vector<wire::Request> requests_;
  std::thread thread_;
};

// A cluster status naming `nodes` (each with its binary endpoint), with one
// data partition whose leader is `leader`.
ClusterStatus status_of(const std::vector<const FakeNode*>& nodes, std::uint64_t leader);

// The transaction id reply_to() gives every session it starts.
inline constexpr HlcTimestamp kFakeTransactionId{2, 1'700'000'000'000, 9};

// How a reply made by reply_to() answers.
enum class Answer {
  kSuccess,    // the operation's success outcome (locked, set, deleted, success...)
  kMustRetry,  // the family's must-retry code (101; sequences 5)
  kUnknown,    // outcome-unknown (98), the same in every family
};

// The reply of the kind `request` expects, answering `answer` (every row of
// a batch alike), served on partition 1 by `leader`; cluster administration
// answers applied (or must-retry, unknown) at metadata version 0; a session's
// start names kFakeTransactionId.
wire::Response reply_to(const wire::Request& request, Answer answer, std::uint64_t leader = 1);

// `response` as a node that applied cluster metadata `version` sends it:
// in its route (every row's, for a batch), or a cluster change's own.
wire::Response with_metadata_version(wire::Response response, std::uint64_t version);

}  // namespace kahuna::client::testing
