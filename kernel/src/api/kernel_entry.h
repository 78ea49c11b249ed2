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

#include <kahuna/kernel_api.h>
#include <asio/io_context.hpp>

namespace kahuna {

class KernelEntry final : public KernelApi {
 public:
  KernelEntry(KernelApi& kernel, asio::io_context& io) : kernel_(kernel), io_(io) {}

  std::uint64_t node_id() const override { return kernel_.node_id(); }
  std::uint32_t partition_of_lock(std::string_view resource) const override {
    return kernel_.partition_of_lock(resource);
  }
  std::uint32_t partition_of_key(std::string_view key) const override {
    return kernel_.partition_of_key(key);
  }
  std::uint32_t partition_of_sequence(std::string_view name) const override {
    return kernel_.partition_of_sequence(name);
  }
  std::uint64_t leader_of(std::uint32_t partition) const override { return kernel_.leader_of(partition); }

#define KAHUNA_OPERATION KAHUNA_DECLARE_OPERATION_OVERRIDE
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION

  ClusterStatus cluster_status() const override { return kernel_.cluster_status(); }
  std::string metrics_text() const override { return kernel_.metrics_text(); }

 private:
  KernelApi& kernel_;
  asio::io_context& io_;
};

}  // namespace kahuna
