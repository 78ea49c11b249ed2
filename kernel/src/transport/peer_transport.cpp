#include "transport/peer_transport.h"

#include <algorithm>
#include <random>
#include <set>

#include <spdlog/spdlog.h>
#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "transport/peer_frame.h"

namespace kahuna {

using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

struct PeerTransport::Connection {
  explicit Connection(tcp::socket s) : socket(std::move(s)) {}
  tcp::socket socket;
  bool closed = false;  // set on the peer's strand when either loop ends
};

struct PeerTransport::Peer {
  Peer(asio::io_context& io, NodeId id, HostPort address, bool we_dial)
      : id(id),
        address(std::move(address)),
        we_dial(we_dial),
        strand(asio::make_strand(io)),
        wake(strand),
        retry(strand) {}

  const NodeId id;
  const HostPort address;
  const bool we_dial;  // the lower id dials: exactly one connection per pair
  asio::strand<asio::io_context::executor_type> strand;

  // The outgoing queue, shared with send() on any thread.
  std::mutex mutex;
  std::deque<std::string> queue;
  std::size_t queued_bytes = 0;
  bool writer_waiting = false;

  // Strand-only state.
  asio::steady_timer wake;   // the writer sleeps on it; cancel() wakes it
  asio::steady_timer retry;  // the dialler's backoff
  std::shared_ptr<Connection> current;
  tcp::socket* dialing = nullptr;  // the socket being connected, so stop() can abort it
  std::atomic<bool> connected{false};
};

PeerTransport::PeerTransport(asio::io_context& io, NodeId self, const std::vector<PeerConfig>& peers,
                             Handler handler, Options options)
    : io_(io),
      self_(self),
      handler_(std::move(handler)),
      options_(options),
      accept_strand_(asio::make_strand(io)),
      acceptor_(accept_strand_) {
  for (const PeerConfig& peer : peers) {
    if (peer.id == self) {
      listen_address_ = peer.address;
    } else {
      peers_.emplace(peer.id, std::make_unique<Peer>(io, peer.id, peer.address, self < peer.id));
    }
  }
}

PeerTransport::~PeerTransport() = default;

Status PeerTransport::start() {
  std::error_code error;
  tcp::resolver resolver(io_);
  const auto endpoints = resolver.resolve(listen_address_.host, std::to_string(listen_address_.port), error);
  if (error || endpoints.empty()) {
    return Status::invalid_argument("cannot resolve peer address " + listen_address_.to_string() + ": " +
                                    error.message());
  }
  const tcp::endpoint endpoint = *endpoints.begin();
  acceptor_.open(endpoint.protocol(), error);
  if (!error) acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return Status::io_error("cannot listen for peers on " + listen_address_.to_string() + ": " +
                            error.message());
  }
  asio::co_spawn(accept_strand_, accept_loop(), asio::detached);
  for (auto& [id, peer] : peers_) {
    // The writer runs for the life of the transport, across connections.
    if (peer->we_dial) asio::co_spawn(peer->strand, dial_loop(*peer), asio::detached);
  }
  return Status::ok();
}

bool PeerTransport::send(NodeId to, GroupId group, std::string_view payload) {
  const auto it = peers_.find(to);
  if (it == peers_.end() || stopped_.load(std::memory_order_relaxed)) {
    stats_.frames_dropped.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  Peer& peer = *it->second;
  bool wake_writer = false;
  {
    std::lock_guard lock(peer.mutex);
    const std::size_t size = payload.size() + peer_wire::kFrameHeaderSize;
    if (peer.queued_bytes + size > options_.max_queue_bytes) {
      stats_.frames_dropped.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    peer.queue.push_back(peer_wire::encode_frame(group, payload));
    peer.queued_bytes += size;
    wake_writer = std::exchange(peer.writer_waiting, false);
  }
  if (wake_writer) asio::post(peer.strand, [&peer] { peer.wake.cancel(); });
  return true;
}

void PeerTransport::stop() {
  if (stopped_.exchange(true)) return;
  asio::post(accept_strand_, [this] {
    std::error_code ignored;
    acceptor_.close(ignored);
    for (tcp::socket* socket : handshaking_) socket->close(ignored);
  });
  for (auto& [id, peer_pointer] : peers_) {
    Peer& peer = *peer_pointer;
    asio::post(peer.strand, [this, &peer] {
      if (peer.current) close(peer, *peer.current);
      std::error_code ignored;
      if (peer.dialing != nullptr) peer.dialing->close(ignored);
      peer.retry.cancel();
      peer.wake.cancel();
    });
  }
}

bool PeerTransport::connected(NodeId peer) const {
  const auto it = peers_.find(peer);
  return it != peers_.end() && it->second->connected.load();
}

std::chrono::milliseconds PeerTransport::backoff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  const auto base = options_.min_backoff * (1LL << std::min(attempt, 16));
  const auto capped = std::min<std::chrono::milliseconds>(base, options_.max_backoff);
  // Full jitter in [capped/2, capped]: peers that lost each other at the
  // same moment do not redial in lockstep.
  std::uniform_int_distribution<long> spread(capped.count() / 2, capped.count());
  return std::chrono::milliseconds(spread(random));
}

asio::awaitable<void> PeerTransport::accept_loop() {
  while (!stopped_) {
    std::error_code error;
    tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      if (stopped_ || error == asio::error::operation_aborted) co_return;
      spdlog::warn("peer transport: accept failed: {}", error.message());
      continue;
    }
    // Handshakes share the acceptor's strand: they are short, and stop()
    // can then close the ones in progress.
    asio::co_spawn(accept_strand_, handshake(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> PeerTransport::handshake(tcp::socket socket) {
  std::error_code error;
  const auto remote = socket.remote_endpoint(error);
  char bytes[peer_wire::kHelloSize];
  asio::steady_timer deadline(co_await asio::this_coro::executor, options_.handshake_timeout);
  // Whoever connects must say who it is promptly, or it is dropped: a
  // silent connection must not hold resources.
  if (stopped_) co_return;
  handshaking_.insert(&socket);
  auto result = co_await (
      asio::async_read(socket, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, error)) ||
      deadline.async_wait(asio::use_awaitable));
  handshaking_.erase(&socket);
  peer_wire::Hello hello;
  std::string problem;
  if (result.index() == 1) {
    problem = "no hello within the handshake timeout";
  } else if (error) {
    problem = "connection closed before its hello: " + error.message();
  } else if (!peer_wire::decode_hello(bytes, hello)) {
    problem = "not a kahuna peer (bad magic)";
  } else if (hello.version != peer_wire::kVersion) {
    problem = "peer protocol version " + std::to_string(hello.version) + ", expected " +
              std::to_string(peer_wire::kVersion);
  } else if (hello.to != self_) {
    problem =
        "hello addressed to node " + std::to_string(hello.to) + ", this is node " + std::to_string(self_);
  } else if (!peers_.contains(hello.from) || hello.from >= self_) {
    problem = "node " + std::to_string(hello.from) + " is not a peer that dials this node";
  }
  if (!problem.empty()) {
    stats_.connections_refused.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("peer transport: refused connection from {}: {}",
                 remote.address().to_string() + ":" + std::to_string(remote.port()), problem);
    co_return;
  }
  Peer& peer = *peers_.at(hello.from);
  // Raft messages are small and latency-bound: never wait for Nagle.
  socket.set_option(tcp::no_delay(true), error);
  auto connection = std::make_shared<Connection>(std::move(socket));
  asio::co_spawn(peer.strand, serve(peer, connection), asio::detached);
}

asio::awaitable<void> PeerTransport::dial_loop(Peer& peer) {
  int attempt = 0;
  tcp::resolver resolver(peer.strand);
  while (!stopped_) {
    std::error_code error;
    const auto endpoints =
        co_await resolver.async_resolve(peer.address.host, std::to_string(peer.address.port),
                                        asio::redirect_error(asio::use_awaitable, error));
    if (!error) {
      tcp::socket socket(peer.strand);
      asio::steady_timer deadline(peer.strand, options_.connect_timeout);
      peer.dialing = &socket;
      auto result = co_await (
          asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, error)) ||
          deadline.async_wait(asio::use_awaitable));
      peer.dialing = nullptr;
      if (result.index() == 1) error = asio::error::timed_out;
      if (!error) {
        socket.set_option(tcp::no_delay(true), error);
        const std::string hello = peer_wire::encode_hello({peer_wire::kVersion, self_, peer.id});
        co_await asio::async_write(socket, asio::buffer(hello),
                                   asio::redirect_error(asio::use_awaitable, error));
      }
      if (!error && !stopped_) {
        attempt = 0;
        co_await serve(peer, std::make_shared<Connection>(std::move(socket)));
      }
    }
    if (stopped_) break;
    peer.retry.expires_after(backoff(attempt++));
    co_await peer.retry.async_wait(asio::redirect_error(asio::use_awaitable, error));
  }
}

asio::awaitable<void> PeerTransport::serve(Peer& peer, std::shared_ptr<Connection> connection) {
  if (stopped_) co_return;
  // A newer connection from the same peer replaces the old one: the peer
  // redialled because it saw the old one fail.
  if (peer.current) close(peer, *peer.current);
  peer.current = connection;
  peer.connected = true;
  stats_.connections_opened.fetch_add(1, std::memory_order_relaxed);
  spdlog::info("peer transport: connected to node {} ({})", peer.id, peer.address.to_string());
  co_await (read_loop(peer, connection) && write_loop(peer, connection));
  if (peer.current == connection) {
    peer.current.reset();
    peer.connected = false;
    if (!stopped_) spdlog::info("peer transport: lost node {}", peer.id);
  }
}

void PeerTransport::close(Peer& peer, Connection& connection) {
  if (connection.closed) return;
  connection.closed = true;
  std::error_code ignored;
  connection.socket.shutdown(tcp::socket::shutdown_both, ignored);
  connection.socket.close(ignored);
  peer.wake.cancel();  // let the writer see `closed`
}

asio::awaitable<void> PeerTransport::read_loop(Peer& peer, std::shared_ptr<Connection> connection) {
  // Frames are parsed out of one growing buffer, so a burst of small frames
  // costs one read, not two per frame.
  std::vector<char> buffer(64 * 1024);
  std::size_t filled = 0;
  std::error_code error;
  while (!connection->closed) {
    if (filled == buffer.size()) buffer.resize(buffer.size() * 2);
    const std::size_t n = co_await connection->socket.async_read_some(
        asio::buffer(buffer.data() + filled, buffer.size() - filled),
        asio::redirect_error(asio::use_awaitable, error));
    if (error) break;
    filled += n;

    std::size_t at = 0;
    bool bad_frame = false;
    while (filled - at >= peer_wire::kFrameHeaderSize) {
      const auto length = peer_wire::get<std::uint32_t>(buffer.data() + at);
      if (length < 4 || length - 4 > options_.max_frame_bytes) {
        bad_frame = true;
        break;
      }
      if (filled - at < 4 + static_cast<std::size_t>(length)) {
        // Make room for the whole frame in one piece.
        if (4 + static_cast<std::size_t>(length) > buffer.size())
          buffer.resize(4 + static_cast<std::size_t>(length));
        break;
      }
      const auto group = peer_wire::get<std::uint32_t>(buffer.data() + at + 4);
      std::string payload(buffer.data() + at + peer_wire::kFrameHeaderSize, length - 4);
      at += 4 + static_cast<std::size_t>(length);
      stats_.frames_received.fetch_add(1, std::memory_order_relaxed);
      handler_(peer.id, group, std::move(payload));
    }
    if (bad_frame) {
      stats_.connections_refused.fetch_add(1, std::memory_order_relaxed);
      spdlog::warn("peer transport: node {} sent a frame over the {}-byte limit or malformed; closing",
                   peer.id, options_.max_frame_bytes);
      break;
    }
    std::copy(buffer.begin() + static_cast<std::ptrdiff_t>(at),
              buffer.begin() + static_cast<std::ptrdiff_t>(filled), buffer.begin());
    filled -= at;
  }
  close(peer, *connection);
}

asio::awaitable<void> PeerTransport::write_loop(Peer& peer, std::shared_ptr<Connection> connection) {
  std::vector<std::string> batch;
  std::vector<asio::const_buffer> buffers;
  std::error_code error;
  while (!connection->closed) {
    {
      std::lock_guard lock(peer.mutex);
      if (peer.queue.empty()) {
        peer.writer_waiting = true;
      } else {
        batch.assign(std::make_move_iterator(peer.queue.begin()), std::make_move_iterator(peer.queue.end()));
        peer.queue.clear();
        peer.queued_bytes = 0;
      }
    }
    if (batch.empty()) {
      // Woken by send(), by close(), or by stop(); all re-check above.
      peer.wake.expires_at(asio::steady_timer::time_point::max());
      co_await peer.wake.async_wait(asio::redirect_error(asio::use_awaitable, error));
      continue;
    }
    buffers.clear();
    for (const std::string& frame : batch) buffers.emplace_back(asio::buffer(frame));
    co_await asio::async_write(connection->socket, buffers, asio::redirect_error(asio::use_awaitable, error));
    if (error) break;
    stats_.writes.fetch_add(1, std::memory_order_relaxed);
    stats_.frames_sent.fetch_add(batch.size(), std::memory_order_relaxed);
    batch.clear();
  }
  close(peer, *connection);
}

}  // namespace kahuna
