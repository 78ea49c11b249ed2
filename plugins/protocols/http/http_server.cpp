#include "http_server.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna::http {
namespace {

// After accept() fails for lack of file descriptors, wait before trying
// again instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};
// How long a refused connection may take to read its 503.
constexpr std::chrono::milliseconds kRefusalTimeout{2000};

}  // namespace

HttpServer::HttpServer(KernelApi& kernel, HttpOptions options)
    : kernel_(kernel),
      options_(std::move(options)),
      io_threads_(options_.io_threads, kShutdownGrace),
      listener_(std::make_shared<Listener>(io_threads_.context())),
      endpoint_(options_.advertise) {}

std::string HttpServer::endpoint() const {
  std::lock_guard lock(endpoint_mutex_);
  return endpoint_;
}

// The io threads run out of work once every connection has closed and every
// request in flight has come back from the kernel; a kernel that is shutting
// down may never answer, hence the grace. Whatever is left past it goes with
// the io_context, once the listener and the service context have.
HttpServer::~HttpServer() { io_threads_.stop(); }

Status HttpServer::start() {
  if (stopped_) return Status::invalid_argument("protocol.http: the server is stopped");
  if (started_.exchange(true))
    return Status::invalid_argument("protocol.http: the server is already started");
  HttpOptions& options = options_;
  const std::string address = options.listen_host + ":" + std::to_string(options.listen_port);
  std::error_code error;
  asio::ip::tcp::resolver resolver(io_threads_.context());
  const auto endpoints = resolver.resolve(options.listen_host, std::to_string(options.listen_port),
                                          asio::ip::resolver_base::passive, error);
  if (error || endpoints.empty()) {
    return Status::invalid_argument("protocol.http.listen: cannot resolve " + address + ": " +
                                    error.message());
  }
  const asio::ip::tcp::endpoint endpoint = endpoints.begin()->endpoint();
  asio::ip::tcp::acceptor& acceptor = listener_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    std::error_code ignored;
    acceptor.close(ignored);
    return Status::io_error("protocol.http.listen: cannot listen on " + address + ": " + error.message());
  }
  if (options.listen_port == 0 && options.advertise_is_default) {
    // "host:0" asked for any free port: advertise the one we were given.
    const auto bound = acceptor.local_endpoint(error);
    const bool ipv6 = options.listen_host.find(':') != std::string::npos;
    const std::string host = ipv6 ? "[" + options.listen_host + "]" : options.listen_host;
    if (!error) options.advertise = "http://" + host + ":" + std::to_string(bound.port());
  }
  {
    std::lock_guard lock(endpoint_mutex_);
    endpoint_ = options.advertise;
  }
  context_ = std::make_shared<ServiceContext>(kernel_, options);
  asio::co_spawn(listener_->strand, accept_loop(context_, listener_), asio::detached);
  if (!io_threads_.start([listener = listener_] { close_everything(listener); })) {
    return Status::invalid_argument(
        "protocol.http: the server is stopped");  // by a stop() racing this start()
  }
  return Status::ok();
}

void HttpServer::stop() {
  stopped_ = true;
  io_threads_.request_stop();  // the io threads end once the closes and the requests in flight are done
}

void HttpServer::close_everything(const std::shared_ptr<Listener>& listener) {
  std::set<std::shared_ptr<Connection>> connections;
  {
    std::lock_guard lock(listener->mutex);
    listener->stopped = true;
    connections.swap(listener->connections);
  }
  asio::post(listener->strand, [listener] {
    std::error_code ignored;
    listener->acceptor.close(ignored);
  });
  for (const auto& connection : connections) connection->close_from_anywhere();
}

asio::awaitable<void> HttpServer::accept_loop(std::shared_ptr<ServiceContext> context,
                                              std::shared_ptr<Listener> listener) {
  for (;;) {
    std::error_code error;
    asio::ip::tcp::socket socket = co_await listener->acceptor.async_accept(
        asio::make_strand(listener->io), asio::redirect_error(asio::use_awaitable, error));
    if (!listener->acceptor.is_open()) co_return;
    if (error) {
      if (error == asio::error::operation_aborted) co_return;
      asio::steady_timer pause(listener->strand, kAcceptRetryDelay);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, error));
      continue;
    }
    std::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);  // small replies must not wait for Nagle

    std::shared_ptr<Connection> connection;
    {
      std::lock_guard lock(listener->mutex);
      if (listener->stopped) co_return;
      if (listener->connections.size() < context->options.max_connections) {
        connection = std::make_shared<Connection>(context, std::move(socket));
        listener->connections.insert(connection);
      }
    }
    if (connection == nullptr) {
      context->metrics.connection_rejected();
      auto executor = socket.get_executor();
      asio::co_spawn(executor, refuse_connection(std::move(socket), kRefusalTimeout), asio::detached);
      continue;
    }
    auto executor = connection->executor();
    asio::co_spawn(executor, run_connection(listener, std::move(connection)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::run_connection(std::shared_ptr<Listener> listener,
                                                 std::shared_ptr<Connection> connection) {
  co_await Connection::serve(connection);
  std::lock_guard lock(listener->mutex);
  listener->connections.erase(connection);
}

}  // namespace kahuna::http
