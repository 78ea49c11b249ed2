#include "fake_kernel.h"

#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna::binary_protocol::testing {

FakeKernel::FakeKernel() {
  lock_reply.reply.code = LockCode::kLocked;
  lock_reply.reply.owner = std::string("holder");
  lock_reply.route = Route{3, 2, RouteProvenance::kForwarded, 5};
  kv_reply.reply.code = KvCode::kGet;
  kv_reply.reply.revision = 17;
  kv_reply.reply.value = std::string();
  kv_reply.route = Route{4, 1, RouteProvenance::kLocal};
  batch_reply = {kv_reply, Routed<KvReply>{KvReply{KvCode::kDoesNotExist, 0, {}, std::nullopt, {}}, Route{}}};
  scan_reply.code = KvCode::kGet;
  scan_reply.items = {KvItem{"a/1", std::string("x"), 3, {1, 2, 3}, {}}};
  bucket_reply = Routed<KvScanReply>{scan_reply, Route{5, 1, RouteProvenance::kLocal}};
  range_reply.reply.items = scan_reply.items;
  range_reply.reply.has_more = true;
  range_reply.reply.next_cursor = std::string("next");
  sequence_reply.reply.code = SequenceCode::kSuccess;
  sequence_reply.reply.allocation = SequenceAllocation{"s", 1, 10, 10, 4};
  change_reply = ClusterChangeReply{ClusterCode::kRefused, 6, "partition 1 would lose its quorum"};
  script_reply = ScriptReply{ScriptCode::kGet, "", {ScriptValueRow{"k", std::string("v"), 2, {}, {1, 2, 3}}}};
  tx_reply = Routed<TxReply>{TxReply{TxCode::kAborted, "a/1", {1, 2, 3}, 4, {}, {}},
                             Route{3, 1, RouteProvenance::kLocal}};
  tx_session_reply = Routed<TxSessionReply>{
      TxSessionReply{KvCode::kAlreadyLocked, {1, 2, 3}, "a/anchor", {4, 5, 6}, "a/1 is locked"},
      Route{2, 1, RouteProvenance::kForwarded, 7}};
  status.node_id = 1;
  status.data_partitions = 1;
  status.nodes = {NodeInfo{1, "127.0.0.1:7001", {{"binary", "127.0.0.1:7100"}}, true, "voter", 1}};
  status.partitions = {PartitionInfo{0, 1, "leader", 1, 1, 1, 1, 1},
                       PartitionInfo{1, 1, "leader", 1, 2, 2, 1, 2}};
  for (PartitionInfo& partition : status.partitions) {
    partition.voters = {1};
    partition.generation = 1;
    partition.target = {1};
    partition.hosted = true;
  }
  status.metadata_version = 1;
  status.replication_factor = 1;
}

std::vector<FakeKernel::Call> FakeKernel::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::size_t FakeKernel::call_count() const {
  std::lock_guard lock(mutex_);
  return calls_.size();
}

void FakeKernel::set_delay(std::function<std::chrono::milliseconds(const wire::RequestBody&)> delay) {
  std::lock_guard lock(mutex_);
  delay_ = std::move(delay);
}

asio::awaitable<void> FakeKernel::record(std::string method, wire::RequestBody body, CallOptions options) {
  std::chrono::milliseconds delay{0};
  {
    std::lock_guard lock(mutex_);
    if (delay_) delay = delay_(body);
    calls_.push_back(Call{std::move(method), std::move(body), options});
  }
  asio::steady_timer timer(co_await asio::this_coro::executor);
  std::error_code ignored;
  if (delay.count() > 0) {
    timer.expires_after(delay);
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  while (held_) {
    timer.expires_after(std::chrono::milliseconds(2));
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

namespace {

// The wire body that carries a call, made from the call's arguments.
template <class Body>
struct BodyOf {
  template <class... Arguments>
  static wire::RequestBody make(Arguments&&... arguments) {
    return Body{std::forward<Arguments>(arguments)...};
  }
};
template <>
struct BodyOf<wire::Lock> {
  static wire::RequestBody make(LockRequest request, std::chrono::milliseconds wait) {
    return wire::Lock{std::move(request), static_cast<std::uint32_t>(wait.count())};
  }
};

}  // namespace

// The scripted reply of each kind; lock replies echo the request's
// expires_ms as their fencing token.
template <>
Routed<LockReply> FakeKernel::scripted(const wire::RequestBody& body) const {
  Routed<LockReply> reply = lock_reply;
  std::visit(
      [&](const auto& call) {
        if constexpr (requires { call.request.expires_ms; })
          reply.reply.fencing_token = call.request.expires_ms;
      },
      body);
  return reply;
}
template <>
Routed<KvReply> FakeKernel::scripted(const wire::RequestBody&) const {
  return kv_reply;
}
template <>
std::vector<Routed<KvReply>> FakeKernel::scripted(const wire::RequestBody&) const {
  return batch_reply;
}
template <>
KvScanReply FakeKernel::scripted(const wire::RequestBody&) const {
  return scan_reply;
}
template <>
Routed<KvScanReply> FakeKernel::scripted(const wire::RequestBody&) const {
  return bucket_reply;
}
template <>
Routed<KvRangePage> FakeKernel::scripted(const wire::RequestBody&) const {
  return range_reply;
}
template <>
Routed<SequenceReply> FakeKernel::scripted(const wire::RequestBody&) const {
  return sequence_reply;
}
template <>
ClusterChangeReply FakeKernel::scripted(const wire::RequestBody&) const {
  return change_reply;
}
template <>
Routed<TxReply> FakeKernel::scripted(const wire::RequestBody&) const {
  return tx_reply;
}
template <>
ScriptReply FakeKernel::scripted(const wire::RequestBody&) const {
  return script_reply;
}
template <>
Routed<TxSessionReply> FakeKernel::scripted(const wire::RequestBody&) const {
  return tx_session_reply;
}

#define KAHUNA_OPERATION(name, Result, parameters, arguments, WireBody, ...)                         \
  asio::awaitable<Result> FakeKernel::name(KAHUNA_UNPARENTHESIZED parameters, CallOptions options) { \
    wire::RequestBody body = BodyOf<wire::WireBody>::make(KAHUNA_UNPARENTHESIZED arguments);         \
    Result reply = scripted<Result>(body);                                                           \
    co_await record(#name, std::move(body), options);                                                \
    co_return reply;                                                                                 \
  }
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION

ClusterStatus FakeKernel::cluster_status() const {
  std::lock_guard lock(mutex_);
  // Not awaitable, so recorded here without a delay.
  calls_.push_back(Call{"cluster_status", wire::GetClusterStatus{}, CallOptions{}});
  return status;
}

}  // namespace kahuna::binary_protocol::testing
