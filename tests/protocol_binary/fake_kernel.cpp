#include "fake_kernel.h"

#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna::binary_protocol::testing {

FakeKernel::FakeKernel() {
  lock_reply.reply.code = LockCode::kLocked;
  lock_reply.reply.owner = std::string("holder");
  lock_reply.route = Route{3, 2, RouteProvenance::kForwarded};
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
  status.node_id = 1;
  status.data_partitions = 1;
  status.nodes = {NodeInfo{1, "127.0.0.1:7001", {{"binary", "127.0.0.1:7100"}}, true}};
  status.partitions = {PartitionInfo{0, 1, "leader", 1, 1, 1, 1, 1}, PartitionInfo{1, 1, "leader", 1, 2, 2, 1, 2}};
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

asio::awaitable<Routed<LockReply>> FakeKernel::try_lock(LockRequest request, CallOptions options) {
  Routed<LockReply> reply = lock_reply;
  reply.reply.fencing_token = request.expires_ms;
  wire::RequestBody body = wire::TryLock{std::move(request)};
  co_await record("try_lock", std::move(body), options);
  co_return reply;
}
asio::awaitable<Routed<LockReply>> FakeKernel::try_extend(LockRequest request, CallOptions options) {
  Routed<LockReply> reply = lock_reply;
  reply.reply.fencing_token = request.expires_ms;
  wire::RequestBody body = wire::TryExtendLock{std::move(request)};
  co_await record("try_extend", std::move(body), options);
  co_return reply;
}
asio::awaitable<Routed<LockReply>> FakeKernel::unlock(LockRequest request, CallOptions options) {
  Routed<LockReply> reply = lock_reply;
  reply.reply.fencing_token = request.expires_ms;
  wire::RequestBody body = wire::Unlock{std::move(request)};
  co_await record("unlock", std::move(body), options);
  co_return reply;
}
asio::awaitable<Routed<LockReply>> FakeKernel::get_lock(LockRequest request, CallOptions options) {
  Routed<LockReply> reply = lock_reply;
  reply.reply.fencing_token = request.expires_ms;
  wire::RequestBody body = wire::GetLock{std::move(request)};
  co_await record("get_lock", std::move(body), options);
  co_return reply;
}
asio::awaitable<Routed<LockReply>> FakeKernel::lock(LockRequest request, std::chrono::milliseconds wait,
                                                    CallOptions options) {
  Routed<LockReply> reply = lock_reply;
  reply.reply.fencing_token = request.expires_ms;
  wire::RequestBody body = wire::Lock{std::move(request), static_cast<std::uint32_t>(wait.count())};
  co_await record("lock", std::move(body), options);
  co_return reply;
}
asio::awaitable<Routed<KvReply>> FakeKernel::kv_set(KvSetRequest request, CallOptions options) {
  wire::RequestBody body = wire::KvSet{std::move(request)};
  co_await record("kv_set", std::move(body), options);
  co_return kv_reply;
}
asio::awaitable<Routed<KvReply>> FakeKernel::kv_get(KvGetRequest request, CallOptions options) {
  wire::RequestBody body = wire::KvGet{std::move(request)};
  co_await record("kv_get", std::move(body), options);
  co_return kv_reply;
}
asio::awaitable<Routed<KvReply>> FakeKernel::kv_exists(KvGetRequest request, CallOptions options) {
  wire::RequestBody body = wire::KvExists{std::move(request)};
  co_await record("kv_exists", std::move(body), options);
  co_return kv_reply;
}
asio::awaitable<Routed<KvReply>> FakeKernel::kv_delete(KvKeyRequest request, CallOptions options) {
  wire::RequestBody body = wire::KvDelete{std::move(request)};
  co_await record("kv_delete", std::move(body), options);
  co_return kv_reply;
}
asio::awaitable<Routed<KvReply>> FakeKernel::kv_extend(KvExtendRequest request, CallOptions options) {
  wire::RequestBody body = wire::KvExtend{std::move(request)};
  co_await record("kv_extend", std::move(body), options);
  co_return kv_reply;
}
asio::awaitable<std::vector<Routed<KvReply>>> FakeKernel::kv_set_many(std::vector<KvSetRequest> items,
                                                                      CallOptions options) {
  wire::RequestBody body = wire::KvSetMany{std::move(items)};
  co_await record("kv_set_many", std::move(body), options);
  co_return batch_reply;
}
asio::awaitable<std::vector<Routed<KvReply>>> FakeKernel::kv_get_many(std::vector<KvGetRequest> items,
                                                                      CallOptions options) {
  wire::RequestBody body = wire::KvGetMany{std::move(items)};
  co_await record("kv_get_many", std::move(body), options);
  co_return batch_reply;
}
asio::awaitable<std::vector<Routed<KvReply>>> FakeKernel::kv_exists_many(std::vector<KvGetRequest> items,
                                                                         CallOptions options) {
  wire::RequestBody body = wire::KvExistsMany{std::move(items)};
  co_await record("kv_exists_many", std::move(body), options);
  co_return batch_reply;
}
asio::awaitable<std::vector<Routed<KvReply>>> FakeKernel::kv_delete_many(std::vector<KvKeyRequest> items,
                                                                         CallOptions options) {
  wire::RequestBody body = wire::KvDeleteMany{std::move(items)};
  co_await record("kv_delete_many", std::move(body), options);
  co_return batch_reply;
}
asio::awaitable<Routed<KvScanReply>> FakeKernel::kv_get_by_bucket(KvPrefixRequest request, CallOptions options) {
  wire::RequestBody body = wire::KvGetByBucket{std::move(request)};
  co_await record("kv_get_by_bucket", std::move(body), options);
  co_return bucket_reply;
}
asio::awaitable<KvScanReply> FakeKernel::kv_scan_prefix(KvPrefixRequest request, CallOptions options) {
  wire::RequestBody body = wire::KvScanPrefix{std::move(request)};
  co_await record("kv_scan_prefix", std::move(body), options);
  co_return scan_reply;
}
asio::awaitable<Routed<KvRangePage>> FakeKernel::kv_get_range(KvRangeRequest request, CallOptions options) {
  wire::RequestBody body = wire::KvGetRange{std::move(request)};
  co_await record("kv_get_range", std::move(body), options);
  co_return range_reply;
}
asio::awaitable<Routed<SequenceReply>> FakeKernel::sequence_create(SequenceCreateRequest request,
                                                                   CallOptions options) {
  wire::RequestBody body = wire::SequenceCreate{std::move(request)};
  co_await record("sequence_create", std::move(body), options);
  co_return sequence_reply;
}
asio::awaitable<Routed<SequenceReply>> FakeKernel::sequence_get(std::string name, CallOptions options) {
  wire::RequestBody body = wire::SequenceGet{std::move(name)};
  co_await record("sequence_get", std::move(body), options);
  co_return sequence_reply;
}
asio::awaitable<Routed<SequenceReply>> FakeKernel::sequence_update(SequenceUpdateRequest request,
                                                                   CallOptions options) {
  wire::RequestBody body = wire::SequenceUpdate{std::move(request)};
  co_await record("sequence_update", std::move(body), options);
  co_return sequence_reply;
}
asio::awaitable<Routed<SequenceReply>> FakeKernel::sequence_reserve(SequenceReserveRequest request,
                                                                    CallOptions options) {
  wire::RequestBody body = wire::SequenceReserve{std::move(request)};
  co_await record("sequence_reserve", std::move(body), options);
  co_return sequence_reply;
}
asio::awaitable<Routed<SequenceReply>> FakeKernel::sequence_delete(std::string name, CallOptions options) {
  wire::RequestBody body = wire::SequenceDelete{std::move(name)};
  co_await record("sequence_delete", std::move(body), options);
  co_return sequence_reply;
}

ClusterStatus FakeKernel::cluster_status() const {
  std::lock_guard lock(mutex_);
  // Not awaitable, so recorded here without a delay.
  calls_.push_back(Call{"cluster_status", wire::GetClusterStatus{}, CallOptions{}});
  return status;
}

}  // namespace kahuna::binary_protocol::testing
