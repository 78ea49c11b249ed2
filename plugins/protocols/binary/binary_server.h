// BinaryServer: the binary protocol's ProtocolServer — one listener and the
// connections it accepts, on an io_context and threads of its own.
//
// Why its own io_context rather than the host's: Asio is header-only, so the
// plugin and the host each hold a private copy of Asio's per-thread state
// (the call stack that tells the scheduler which thread runs it). Asio socket
// code compiled into the plugin but run by the host's io threads finds its
// copy empty and dereferences null (scheduler::compensating_work_started).
// Threads the plugin starts itself run the plugin's own copy, consistently.
// KernelApi awaitables are still co_awaited on the plugin's executors, as the
// KernelApi contract asks.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include <kahuna/io_threads.h>
#include <kahuna/kernel_api.h>
#include <kahuna/protocol_server.h>

#include "binary_options.h"

namespace kahuna::binary_protocol {

struct Listener;

class BinaryServer final : public ProtocolServer {
 public:
  // `kernel` must outlive the server.
  BinaryServer(BinaryOptions options, KernelApi& kernel);
  // Stops (if stop() was not called), waits up to the shutdown grace for the
  // requests in flight, then joins the io threads. Requests still running
  // after the grace are abandoned: destroyed with the io_context, here.
  ~BinaryServer() override;

  Status start() override;
  void stop() override;
  std::string endpoint() const override;

 private:
  const BinaryOptions options_;
  KernelApi& kernel_;
  // Declared before everything made on its io_context, so that it is
  // destroyed last.
  IoThreads io_threads_;
  // Shared with the accept loop and the connections' registry.
  std::shared_ptr<Listener> listener_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};
  mutable std::mutex endpoint_mutex_;
  std::string bound_endpoint_;  // the listen address with the port actually bound
};

}  // namespace kahuna::binary_protocol
