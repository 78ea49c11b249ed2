#include "api/kernel_entry.h"

#include <asio/co_spawn.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna {

// Each call: start the kernel's coroutine on the server's io_context and
// await its result from the caller's. The request is moved into the kernel's
// coroutine frame, which owns it until the call completes.
asio::awaitable<Routed<LockReply>> KernelEntry::try_lock(LockRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.try_lock(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<LockReply>> KernelEntry::try_extend(LockRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.try_extend(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<LockReply>> KernelEntry::unlock(LockRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.unlock(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<LockReply>> KernelEntry::get_lock(LockRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.get_lock(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<LockReply>> KernelEntry::lock(LockRequest request, std::chrono::milliseconds wait, CallOptions options) {
  return asio::co_spawn(io_, kernel_.lock(std::move(request), wait, options), asio::use_awaitable);
}

asio::awaitable<Routed<KvReply>> KernelEntry::kv_set(KvSetRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.kv_set(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<KvReply>> KernelEntry::kv_get(KvGetRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.kv_get(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<KvReply>> KernelEntry::kv_exists(KvGetRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.kv_exists(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<KvReply>> KernelEntry::kv_delete(KvKeyRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.kv_delete(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<KvReply>> KernelEntry::kv_extend(KvExtendRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.kv_extend(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<std::vector<Routed<KvReply>>> KernelEntry::kv_set_many(std::vector<KvSetRequest> items, CallOptions options) {
  return asio::co_spawn(io_, kernel_.kv_set_many(std::move(items), options), asio::use_awaitable);
}

asio::awaitable<std::vector<Routed<KvReply>>> KernelEntry::kv_get_many(std::vector<KvGetRequest> items, CallOptions options) {
  return asio::co_spawn(io_, kernel_.kv_get_many(std::move(items), options), asio::use_awaitable);
}

asio::awaitable<std::vector<Routed<KvReply>>> KernelEntry::kv_exists_many(std::vector<KvGetRequest> items, CallOptions options) {
  return asio::co_spawn(io_, kernel_.kv_exists_many(std::move(items), options), asio::use_awaitable);
}

asio::awaitable<std::vector<Routed<KvReply>>> KernelEntry::kv_delete_many(std::vector<KvKeyRequest> items, CallOptions options) {
  return asio::co_spawn(io_, kernel_.kv_delete_many(std::move(items), options), asio::use_awaitable);
}

asio::awaitable<Routed<KvScanReply>> KernelEntry::kv_get_by_bucket(KvPrefixRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.kv_get_by_bucket(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<KvScanReply> KernelEntry::kv_scan_prefix(KvPrefixRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.kv_scan_prefix(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<KvRangePage>> KernelEntry::kv_get_range(KvRangeRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.kv_get_range(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<SequenceReply>> KernelEntry::sequence_create(SequenceCreateRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.sequence_create(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<SequenceReply>> KernelEntry::sequence_get(std::string name, CallOptions options) {
  return asio::co_spawn(io_, kernel_.sequence_get(std::move(name), options), asio::use_awaitable);
}

asio::awaitable<Routed<SequenceReply>> KernelEntry::sequence_update(SequenceUpdateRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.sequence_update(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<SequenceReply>> KernelEntry::sequence_reserve(SequenceReserveRequest request, CallOptions options) {
  return asio::co_spawn(io_, kernel_.sequence_reserve(std::move(request), options), asio::use_awaitable);
}

asio::awaitable<Routed<SequenceReply>> KernelEntry::sequence_delete(std::string name, CallOptions options) {
  return asio::co_spawn(io_, kernel_.sequence_delete(std::move(name), options), asio::use_awaitable);
}

}  // namespace kahuna
