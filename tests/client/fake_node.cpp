#include "fake_node.h"

#include <type_traits>
#include <variant>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <kahuna/wire/codec.h>
#include <kahuna/wire/frame_splitter.h>

namespace kahuna::client::testing {

namespace {

// The success outcome of each call.
LockCode success(const wire::TryLock&) { return LockCode::kLocked; }
LockCode success(const wire::Lock&) { return LockCode::kLocked; }
LockCode success(const wire::TryExtendLock&) { return LockCode::kExtended; }
LockCode success(const wire::Unlock&) { return LockCode::kUnlocked; }
LockCode success(const wire::GetLock&) { return LockCode::kGot; }
KvCode success(const wire::KvSet&) { return KvCode::kSet; }
KvCode success(const wire::KvGet&) { return KvCode::kGet; }
KvCode success(const wire::KvExists&) { return KvCode::kExists; }
KvCode success(const wire::KvDelete&) { return KvCode::kDeleted; }
KvCode success(const wire::KvExtend&) { return KvCode::kExtended; }
KvCode success(const wire::KvSetMany&) { return KvCode::kSet; }
KvCode success(const wire::KvGetMany&) { return KvCode::kGet; }
KvCode success(const wire::KvExistsMany&) { return KvCode::kExists; }
KvCode success(const wire::KvDeleteMany&) { return KvCode::kDeleted; }
KvCode success(const wire::KvGetByBucket&) { return KvCode::kGet; }
KvCode success(const wire::KvScanPrefix&) { return KvCode::kGet; }
KvCode success(const wire::KvGetRange&) { return KvCode::kGet; }
SequenceCode success(const wire::SequenceCreate&) { return SequenceCode::kSuccess; }
SequenceCode success(const wire::SequenceGet&) { return SequenceCode::kSuccess; }
SequenceCode success(const wire::SequenceUpdate&) { return SequenceCode::kSuccess; }
SequenceCode success(const wire::SequenceReserve&) { return SequenceCode::kSuccess; }
SequenceCode success(const wire::SequenceNext&) { return SequenceCode::kSuccess; }
SequenceCode success(const wire::SequenceDelete&) { return SequenceCode::kSuccess; }
ClusterCode success(const wire::ClusterJoin&) { return ClusterCode::kApplied; }
ClusterCode success(const wire::ClusterLeave&) { return ClusterCode::kApplied; }
ClusterCode success(const wire::ClusterRemove&) { return ClusterCode::kApplied; }
ClusterCode success(const wire::SetReplicationFactor&) { return ClusterCode::kApplied; }
TxCode success(const wire::TxStep&) { return TxCode::kPrepared; }
ScriptCode success(const wire::KvExecuteScript&) { return ScriptCode::kSet; }
KvCode success(const wire::TxStart&) { return KvCode::kSet; }  // started
KvCode success(const wire::TxCommit&) { return KvCode::kCommitted; }
KvCode success(const wire::TxRollback&) { return KvCode::kRolledBack; }
KvCode success(const wire::TxLock&) { return KvCode::kLocked; }
KvCode success(const wire::TxKvSet&) { return KvCode::kSet; }
KvCode success(const wire::TxKvGet&) { return KvCode::kGet; }
KvCode success(const wire::TxKvExists&) { return KvCode::kExists; }
KvCode success(const wire::TxKvDelete&) { return KvCode::kDeleted; }
KvCode success(const wire::TxKvExtend&) { return KvCode::kExtended; }
KvCode success(const wire::TxKvGetByBucket&) { return KvCode::kGet; }
KvCode success(const wire::TxKvDeleteMany&) { return KvCode::kDeleted; }

// The session verbs that answer with a session reply.
template <class T>
constexpr bool kSessionReplied = std::is_same_v<T, wire::TxStart> || std::is_same_v<T, wire::TxCommit> ||
                                 std::is_same_v<T, wire::TxRollback> || std::is_same_v<T, wire::TxLock>;

template <class Code>
Code answered(Answer answer, Code success, Code must_retry) {
  switch (answer) {
    case Answer::kSuccess: return success;
    case Answer::kMustRetry: return must_retry;
    case Answer::kUnknown: return Code::kOutcomeUnknown;
  }
  return success;
}

}  // namespace

FakeNode::FakeNode(std::uint64_t id, Script script)
    : id_(id), script_(std::move(script)), acceptor_(io_, {asio::ip::address_v4::loopback(), 0}) {
  endpoint_ = "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  status_ = status_of({this}, id_);
  asio::co_spawn(io_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

FakeNode::~FakeNode() {
  // The coroutines left suspended (and their sockets) go with io_.
  io_.stop();
  thread_.join();
}

void FakeNode::set_status(ClusterStatus status) {
  std::lock_guard lock(mutex_);
  status_ = std::move(status);
}

std::vector<wire::Request> FakeNode::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

asio::awaitable<void> FakeNode::accept_loop() {
  for (;;) {
    std::error_code error;
    asio::ip::tcp::socket socket =
        co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return;
    asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> FakeNode::serve(asio::ip::tcp::socket socket) {
  wire::FrameSplitter splitter;
  std::string buffer(64 * 1024, '\0');
  for (;;) {
    std::error_code error;
    const std::size_t n = co_await socket.async_read_some(asio::buffer(buffer),
                                                          asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return;
    splitter.append(std::string_view(buffer.data(), n));
    wire::FrameView frame;
    while (splitter.next(frame) == wire::SplitState::kFrame) {
      wire::Request request;
      // The SDK under test sends only frames the codec reads; anything else
      // ends the connection, which the test then sees as a failure.
      if (!wire::decode_request(frame.header, frame.body, request).is_ok()) co_return;
      const std::uint64_t request_id = frame.header.request_id;
      const Action action = decide(request);
      if (action.kind == Action::Kind::kDrop) {
        socket.close(error);
        co_return;
      }
      if (action.kind == Action::Kind::kIgnore) continue;
      std::string out;
      if (!wire::encode_response(request_id, action.response, out).is_ok()) co_return;
      co_await asio::async_write(socket, asio::buffer(out), asio::redirect_error(asio::use_awaitable, error));
      if (error) co_return;
    }
  }
}

FakeNode::Action FakeNode::decide(const wire::Request& request) {
  std::size_t nth = 0;
  {
    std::lock_guard lock(mutex_);
    if (std::holds_alternative<wire::GetClusterStatus>(request.body)) return Action::reply(status_);
    nth = requests_.size();
    requests_.push_back(request);
  }
  return script_(request, nth);
}

ClusterStatus status_of(const std::vector<const FakeNode*>& nodes, std::uint64_t leader) {
  ClusterStatus status;
  status.node_id = nodes.empty() ? 0 : nodes.front()->id();
  status.data_partitions = 1;
  for (const FakeNode* node : nodes) {
    NodeInfo info;
    info.id = node->id();
    info.endpoints = {{"binary", node->endpoint()}};
    info.connected = true;
    status.nodes.push_back(std::move(info));
  }
  PartitionInfo partition;
  partition.id = 1;
  partition.leader = leader;
  partition.role = "leader";
  status.partitions = {partition};
  return status;
}

wire::Response reply_to(const wire::Request& request, Answer answer, std::uint64_t leader) {
  const Route route{1, leader, RouteProvenance::kLocal};
  return std::visit(
      [&](const auto& call) -> wire::Response {
        using T = std::decay_t<decltype(call)>;
        if constexpr (std::is_same_v<T, wire::GetClusterStatus>) {
          return ClusterStatus{};
        } else if constexpr (kSessionReplied<T>) {
          TxSessionReply reply;
          reply.code = answered(answer, success(call), KvCode::kMustRetry);
          reply.transaction_id = kFakeTransactionId;
          return Routed<TxSessionReply>{reply, route};
        } else if constexpr (std::is_same_v<T, wire::TxKvDeleteMany>) {
          KvReply row;
          row.code = answered(answer, success(call), KvCode::kMustRetry);
          return std::vector<Routed<KvReply>>(call.request.items.size(), Routed<KvReply>{row, route});
        } else if constexpr (std::is_same_v<T, wire::TxKvGetByBucket>) {
          return Routed<KvScanReply>{KvScanReply{answered(answer, success(call), KvCode::kMustRetry), {}},
                                     route};
        } else if constexpr (requires { call.items; }) {
          KvReply row;
          row.code = answered(answer, success(call), KvCode::kMustRetry);
          return std::vector<Routed<KvReply>>(call.items.size(), Routed<KvReply>{row, route});
        } else if constexpr (std::is_same_v<T, wire::KvScanPrefix>) {
          return KvScanReply{answered(answer, success(call), KvCode::kMustRetry), {}};
        } else if constexpr (std::is_same_v<T, wire::KvGetByBucket>) {
          return Routed<KvScanReply>{KvScanReply{answered(answer, success(call), KvCode::kMustRetry), {}},
                                     route};
        } else if constexpr (std::is_same_v<T, wire::KvGetRange>) {
          KvRangePage page;
          page.code = answered(answer, success(call), KvCode::kMustRetry);
          return Routed<KvRangePage>{page, route};
        } else if constexpr (std::is_same_v<decltype(success(call)), LockCode>) {
          LockReply reply;
          reply.code = answered(answer, success(call), LockCode::kMustRetry);
          return Routed<LockReply>{reply, route};
        } else if constexpr (std::is_same_v<decltype(success(call)), KvCode>) {
          KvReply reply;
          reply.code = answered(answer, success(call), KvCode::kMustRetry);
          return Routed<KvReply>{reply, route};
        } else if constexpr (std::is_same_v<decltype(success(call)), ClusterCode>) {
          return ClusterChangeReply{answered(answer, success(call), ClusterCode::kMustRetry), 0, ""};
        } else if constexpr (std::is_same_v<decltype(success(call)), ScriptCode>) {
          return ScriptReply{answered(answer, success(call), ScriptCode::kMustRetry), "", {}};
        } else if constexpr (std::is_same_v<decltype(success(call)), TxCode>) {
          TxReply reply;
          reply.code = answered(answer, success(call), TxCode::kMustRetry);
          return Routed<TxReply>{reply, route};
        } else {
          SequenceReply reply;
          reply.code = answered(answer, success(call), SequenceCode::kMustRetry);
          return Routed<SequenceReply>{reply, route};
        }
      },
      request.body);
}

wire::Response with_metadata_version(wire::Response response, std::uint64_t version) {
  std::visit(
      [version](auto& reply) {
        using T = std::decay_t<decltype(reply)>;
        if constexpr (requires { reply.route.metadata_version; }) {
          reply.route.metadata_version = version;
        } else if constexpr (std::is_same_v<T, std::vector<Routed<KvReply>>>) {
          for (auto& row : reply) row.route.metadata_version = version;
        } else if constexpr (std::is_same_v<T, ClusterChangeReply>) {
          reply.metadata_version = version;
        }
      },
      response);
  return response;
}

}  // namespace kahuna::client::testing
