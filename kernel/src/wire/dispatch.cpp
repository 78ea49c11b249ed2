#include <kahuna/wire/dispatch.h>

#include <kahuna/status.h>

namespace kahuna::wire {
namespace {

// One overload per request alternative. Parameters are taken by value: each
// is a coroutine, and its frame must own what it uses.

asio::awaitable<Response> call(KernelApi& k, TryLock c, CallOptions o) {
  co_return co_await k.try_lock(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, TryExtendLock c, CallOptions o) {
  co_return co_await k.try_extend(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, Unlock c, CallOptions o) {
  co_return co_await k.unlock(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, GetLock c, CallOptions o) {
  co_return co_await k.get_lock(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, Lock c, CallOptions o) {
  co_return co_await k.lock(std::move(c.request), std::chrono::milliseconds(c.wait_ms), o);
}
asio::awaitable<Response> call(KernelApi& k, KvSet c, CallOptions o) {
  co_return co_await k.kv_set(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, KvGet c, CallOptions o) {
  co_return co_await k.kv_get(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, KvExists c, CallOptions o) {
  co_return co_await k.kv_exists(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, KvDelete c, CallOptions o) {
  co_return co_await k.kv_delete(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, KvExtend c, CallOptions o) {
  co_return co_await k.kv_extend(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, KvSetMany c, CallOptions o) {
  co_return co_await k.kv_set_many(std::move(c.items), o);
}
asio::awaitable<Response> call(KernelApi& k, KvGetMany c, CallOptions o) {
  co_return co_await k.kv_get_many(std::move(c.items), o);
}
asio::awaitable<Response> call(KernelApi& k, KvExistsMany c, CallOptions o) {
  co_return co_await k.kv_exists_many(std::move(c.items), o);
}
asio::awaitable<Response> call(KernelApi& k, KvDeleteMany c, CallOptions o) {
  co_return co_await k.kv_delete_many(std::move(c.items), o);
}
asio::awaitable<Response> call(KernelApi& k, KvGetByBucket c, CallOptions o) {
  co_return co_await k.kv_get_by_bucket(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, KvScanPrefix c, CallOptions o) {
  co_return co_await k.kv_scan_prefix(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, KvGetRange c, CallOptions o) {
  co_return co_await k.kv_get_range(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, SequenceCreate c, CallOptions o) {
  co_return co_await k.sequence_create(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, SequenceGet c, CallOptions o) {
  co_return co_await k.sequence_get(std::move(c.name), o);
}
asio::awaitable<Response> call(KernelApi& k, SequenceUpdate c, CallOptions o) {
  co_return co_await k.sequence_update(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, SequenceReserve c, CallOptions o) {
  co_return co_await k.sequence_reserve(std::move(c.request), o);
}
asio::awaitable<Response> call(KernelApi& k, SequenceNext c, CallOptions o) {
  SequenceReserveRequest reserve;
  reserve.name = std::move(c.name);
  reserve.count = 1;
  reserve.idempotency_key = std::move(c.idempotency_key);
  co_return co_await k.sequence_reserve(std::move(reserve), o);
}
asio::awaitable<Response> call(KernelApi& k, SequenceDelete c, CallOptions o) {
  co_return co_await k.sequence_delete(std::move(c.name), o);
}
asio::awaitable<Response> call(KernelApi& k, GetClusterStatus, CallOptions) { co_return k.cluster_status(); }

}  // namespace

asio::awaitable<Response> dispatch(KernelApi& kernel, Request request, CallOptions options) {
  try {
    co_return co_await std::visit(
        [&](auto& alternative) { return call(kernel, std::move(alternative), options); }, request.body);
  } catch (...) {
    // status_from_current_exception never throws, and moving its message does
    // not allocate: the error reply itself cannot fail.
    co_return ErrorReply{ErrorCode::kInternal, status_from_current_exception("running the request").message()};
  }
}

}  // namespace kahuna::wire
