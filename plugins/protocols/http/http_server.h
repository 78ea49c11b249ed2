// HttpServer: the http protocol plugin's ProtocolServer — an acceptor and
// one Connection coroutine per client, each on its own strand, all on an
// io_context and threads the server owns.
//
// Why its own io_context rather than the host's: Asio is header-only, so the
// plugin and the host each carry a private copy of Asio's per-thread state.
// Socket code compiled into the plugin but run on the host's threads would
// find its copy empty and crash; threads the plugin starts itself use the
// plugin's copy consistently. KernelApi calls are still co_awaited on the
// plugin's executors: the kernel runs them on its own threads and completes
// back to ours.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/strand.hpp>

#include <kahuna/io_threads.h>
#include <kahuna/protocol_server.h>

#include "connection.h"
#include "service_context.h"

namespace kahuna::http {

class HttpServer final : public ProtocolServer {
 public:
  // `kernel` must outlive the server.
  HttpServer(KernelApi& kernel, HttpOptions options);
  // Stops (if stop() was not called), waits up to kShutdownGrace for the
  // requests in flight, then joins the io threads. Requests still running
  // after the grace are abandoned: destroyed with the io_context, here.
  ~HttpServer() override;

  Status start() override;
  void stop() override;
  std::string endpoint() const override;

  // How long destruction waits for requests still inside the kernel.
  static constexpr std::chrono::milliseconds kShutdownGrace{5000};

 private:
  // What the accept loop and close_everything() share; connections keep it alive.
  struct Listener {
    explicit Listener(asio::io_context& io) : io(io), strand(asio::make_strand(io)), acceptor(strand) {}
    asio::io_context& io;
    asio::strand<asio::io_context::executor_type> strand;
    asio::ip::tcp::acceptor acceptor;
    std::mutex mutex;
    std::set<std::shared_ptr<Connection>> connections;  // guarded by mutex
    bool stopped = false;                               // guarded by mutex
  };

  // Runs on the io_context when the server stops: no more accepting, and
  // every connection closes.
  static void close_everything(const std::shared_ptr<Listener>& listener);
  static asio::awaitable<void> accept_loop(std::shared_ptr<ServiceContext> context,
                                           std::shared_ptr<Listener> listener);
  static asio::awaitable<void> run_connection(std::shared_ptr<Listener> listener,
                                              std::shared_ptr<Connection> connection);

  KernelApi& kernel_;
  HttpOptions options_;  // until start() hands them to context_
  // Declared before everything made on its io_context, so that it is
  // destroyed last.
  IoThreads io_threads_;
  std::shared_ptr<ServiceContext> context_;  // made by start(), once the port is known
  std::shared_ptr<Listener> listener_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};
  mutable std::mutex endpoint_mutex_;
  std::string endpoint_;  // the advertised URL; guarded by endpoint_mutex_
};

}  // namespace kahuna::http
