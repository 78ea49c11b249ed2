#include "binary_server.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <asio/use_awaitable.hpp>

#include "connection.h"
#include "connection_registry.h"

namespace kahuna::binary_protocol {

using asio::ip::tcp;

// What the accept loop needs, owned jointly by the server and the loop.
struct Listener {
  Listener(asio::io_context& io, KernelApi& kernel, const ConnectionLimits& limits,
           std::size_t max_connections)
      : io(io),
        kernel(kernel),
        limits(limits),
        strand(asio::make_strand(io)),
        acceptor(strand),
        registry(std::make_shared<ConnectionRegistry>(max_connections)) {}

  asio::io_context& io;
  KernelApi& kernel;
  const ConnectionLimits limits;
  asio::strand<asio::io_context::executor_type> strand;
  tcp::acceptor acceptor;
  const std::shared_ptr<ConnectionRegistry> registry;
};

namespace {

asio::awaitable<void> accept_loop(std::shared_ptr<Listener> listener) {
  std::error_code error;
  for (;;) {
    // Each connection gets a strand of its own: connections run in parallel
    // on the io threads, and each one's coroutines never race each other.
    tcp::socket socket = co_await listener->acceptor.async_accept(
        asio::make_strand(listener->io), asio::redirect_error(asio::use_awaitable, error));
    if (!listener->acceptor.is_open()) break;
    if (error) {
      // E.g. out of file descriptors: back off instead of spinning.
      asio::steady_timer pause(listener->strand, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, error));
      continue;
    }
    // Replies are small and clients wait for them: never hold one for Nagle.
    socket.set_option(tcp::no_delay(true), error);
    auto connection = std::make_shared<Connection>(std::move(socket), listener->kernel, listener->limits,
                                                   listener->registry);
    // Over max_connections (or stopping): the socket closes as `connection` goes.
    if (listener->registry->try_add(connection)) connection->start();
  }
}

// Runs on the io_context when the server stops: no more accepting, and every
// connection closes (requests in flight finish; their replies are dropped).
void close_everything(const std::shared_ptr<Listener>& listener) {
  asio::post(listener->strand, [listener] {
    std::error_code ignored;
    listener->acceptor.close(ignored);
  });
  for (const auto& connection : listener->registry->close()) connection->close();
}

ConnectionLimits limits_of(const BinaryOptions& options) {
  ConnectionLimits limits;
  limits.max_frame_bytes = options.max_frame_bytes;
  limits.max_inflight = options.max_inflight_per_connection;
  limits.idle_timeout = options.idle_timeout;
  limits.default_request_timeout = options.default_request_timeout;
  return limits;
}

}  // namespace

BinaryServer::BinaryServer(BinaryOptions options, KernelApi& kernel)
    : options_(std::move(options)),
      kernel_(kernel),
      io_threads_(options_.io_threads, options_.shutdown_grace),
      listener_(std::make_shared<Listener>(io_threads_.context(), kernel, limits_of(options_),
                                           options_.max_connections)) {}

// The io threads return once every connection has closed and every request
// in flight has finished; each ends within its own timeout, but a host that
// stopped its kernel may never answer, hence the grace. Whatever is left past
// it goes with the io_context, once the listener has.
BinaryServer::~BinaryServer() { io_threads_.stop(); }

Status BinaryServer::start() {
  if (stopped_) return Status::invalid_argument("the binary protocol server is stopped");
  if (started_.exchange(true))
    return Status::invalid_argument("the binary protocol server is already started");
  const std::string address = options_.listen.to_string();
  std::error_code error;
  tcp::resolver resolver(io_threads_.context());
  const auto endpoints = resolver.resolve(options_.listen.host, std::to_string(options_.listen.port), error);
  if (error || endpoints.empty()) {
    return Status::invalid_argument("binary protocol: cannot resolve listen address " + address + ": " +
                                    error.message());
  }
  const tcp::endpoint endpoint = *endpoints.begin();
  tcp::acceptor& acceptor = listener_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    std::error_code ignored;
    acceptor.close(ignored);
    return Status::io_error("binary protocol: cannot listen on " + address + ": " + error.message());
  }
  const tcp::endpoint bound = acceptor.local_endpoint(error);
  {
    HostPort actual = options_.listen;
    if (!error) actual.port = bound.port();
    std::lock_guard lock(endpoint_mutex_);
    bound_endpoint_ = actual.to_string();
  }
  asio::co_spawn(listener_->strand, accept_loop(listener_), asio::detached);
  if (!io_threads_.start([listener = listener_] { close_everything(listener); })) {
    return Status::invalid_argument(
        "the binary protocol server is stopped");  // by a stop() racing this start()
  }
  return Status::ok();
}

void BinaryServer::stop() {
  stopped_ = true;
  io_threads_.request_stop();  // the io threads end once the closes and requests in flight are done
}

std::string BinaryServer::endpoint() const {
  if (!options_.advertise.empty()) return options_.advertise;
  std::lock_guard lock(endpoint_mutex_);
  return bound_endpoint_.empty() ? options_.listen.to_string() : bound_endpoint_;
}

}  // namespace kahuna::binary_protocol
