// KernelEntry: the KernelApi handed to protocol plugins. Every call runs on
// the node's own io threads and only its completion returns to the plugin's.
//
// Why: Asio is header-only, so the server and each plugin carry their own
// copy of its per-thread state. Code compiled into one module must not run
// the event loop machinery of another's threads; initiating an operation on
// another module's io_context and completing into it are safe. Protocol
// plugins therefore run their own io_context and threads, and every kernel
// call hops to the server's io_context (co_spawn) and back.
#pragma once

#include <asio/io_context.hpp>
#include <kahuna/kernel_api.h>

namespace kahuna {

class KernelEntry final : public KernelApi {
 public:
  KernelEntry(KernelApi& kernel, asio::io_context& io) : kernel_(kernel), io_(io) {}

  std::uint64_t node_id() const override { return kernel_.node_id(); }
  std::uint32_t partition_of_lock(std::string_view resource) const override {
    return kernel_.partition_of_lock(resource);
  }
  std::uint32_t partition_of_key(std::string_view key) const override { return kernel_.partition_of_key(key); }
  std::uint32_t partition_of_sequence(std::string_view name) const override {
    return kernel_.partition_of_sequence(name);
  }
  std::uint64_t leader_of(std::uint32_t partition) const override { return kernel_.leader_of(partition); }

  asio::awaitable<Routed<LockReply>> try_lock(LockRequest request, CallOptions options) override;
  asio::awaitable<Routed<LockReply>> try_extend(LockRequest request, CallOptions options) override;
  asio::awaitable<Routed<LockReply>> unlock(LockRequest request, CallOptions options) override;
  asio::awaitable<Routed<LockReply>> get_lock(LockRequest request, CallOptions options) override;
  asio::awaitable<Routed<LockReply>> lock(LockRequest request, std::chrono::milliseconds wait,
                                          CallOptions options) override;
  asio::awaitable<Routed<KvReply>> kv_set(KvSetRequest request, CallOptions options) override;
  asio::awaitable<Routed<KvReply>> kv_get(KvGetRequest request, CallOptions options) override;
  asio::awaitable<Routed<KvReply>> kv_exists(KvGetRequest request, CallOptions options) override;
  asio::awaitable<Routed<KvReply>> kv_delete(KvKeyRequest request, CallOptions options) override;
  asio::awaitable<Routed<KvReply>> kv_extend(KvExtendRequest request, CallOptions options) override;
  asio::awaitable<std::vector<Routed<KvReply>>> kv_set_many(std::vector<KvSetRequest> items,
                                                            CallOptions options) override;
  asio::awaitable<std::vector<Routed<KvReply>>> kv_get_many(std::vector<KvGetRequest> items,
                                                            CallOptions options) override;
  asio::awaitable<std::vector<Routed<KvReply>>> kv_exists_many(std::vector<KvGetRequest> items,
                                                               CallOptions options) override;
  asio::awaitable<std::vector<Routed<KvReply>>> kv_delete_many(std::vector<KvKeyRequest> items,
                                                               CallOptions options) override;
  asio::awaitable<Routed<KvScanReply>> kv_get_by_bucket(KvPrefixRequest request, CallOptions options) override;
  asio::awaitable<KvScanReply> kv_scan_prefix(KvPrefixRequest request, CallOptions options) override;
  asio::awaitable<Routed<KvRangePage>> kv_get_range(KvRangeRequest request, CallOptions options) override;
  asio::awaitable<Routed<SequenceReply>> sequence_create(SequenceCreateRequest request,
                                                         CallOptions options) override;
  asio::awaitable<Routed<SequenceReply>> sequence_get(std::string name, CallOptions options) override;
  asio::awaitable<Routed<SequenceReply>> sequence_update(SequenceUpdateRequest request,
                                                         CallOptions options) override;
  asio::awaitable<Routed<SequenceReply>> sequence_reserve(SequenceReserveRequest request,
                                                          CallOptions options) override;
  asio::awaitable<Routed<SequenceReply>> sequence_delete(std::string name, CallOptions options) override;

  ClusterStatus cluster_status() const override { return kernel_.cluster_status(); }
  std::string metrics_text() const override { return kernel_.metrics_text(); }

 private:
  KernelApi& kernel_;
  asio::io_context& io_;
};

}  // namespace kahuna
