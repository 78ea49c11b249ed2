#include "transport/peer_transport.h"

#include <algorithm>
#include <optional>
#include <random>
#include <set>
#include <variant>

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
        we_dial(we_dial),
        strand(asio::make_strand(io)),
        address(std::move(address)),
        wake(strand),
        retry(strand) {}

  HostPort dial_address() {
    std::lock_guard lock(mutex);
    return address;
  }

  const NodeId id;
  const bool we_dial;  // the lower id dials: exactly one connection per pair
  asio::strand<asio::io_context::executor_type> strand;

  // Shared with send(), add_peer() and remove_peer() on any thread.
  std::mutex mutex;
  HostPort address;  // where the next dial goes
  std::deque<std::string> queue;
  std::size_t queued_bytes = 0;
  bool writer_waiting = false;
  // Set once, under `mutex`, so that no send() queues after the removal
  // emptied the queue. Read without it by the coroutines, to end.
  std::atomic<bool> removed{false};

  // Strand-only state.
  asio::steady_timer wake;   // the writer sleeps on it; cancel() wakes it
  asio::steady_timer retry;  // the dialler's backoff
  std::shared_ptr<Connection> current;
  tcp::socket* dialing = nullptr;  // the socket being connected, so stop() can abort it
  std::atomic<bool> connected{false};
};

// One request connection being answered.
struct PeerTransport::Exchange {
  Exchange(asio::io_context& io, tcp::socket s)
      : strand(asio::make_strand(io)),
        socket(std::move(s)),
        stop(strand, asio::steady_timer::time_point::max()) {}
  asio::strand<asio::io_context::executor_type> strand;
  tcp::socket socket;
  // stop() moves its expiry to the past: a wait in progress is cancelled
  // and any later one returns at once, so no stop is missed.
  asio::steady_timer stop;
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

void PeerTransport::set_request_handler(RequestHandler handler) { request_handler_ = std::move(handler); }

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
  if (const auto bound = acceptor_.local_endpoint(error); !error) listen_address_.port = bound.port();
  asio::co_spawn(accept_strand_, accept_loop(), asio::detached);
  std::unique_lock lock(peers_mutex_);
  started_ = true;
  for (auto& [id, peer] : peers_) {
    if (peer->we_dial) start_dialling(*peer);
  }
  return Status::ok();
}

void PeerTransport::start_dialling(Peer& peer) {
  // The dialler runs until the transport stops or the peer is removed.
  asio::co_spawn(peer.strand, dial_loop(peer), asio::detached);
}

void PeerTransport::add_peer(const PeerConfig& config) {
  if (config.id == self_) return;  // a membership list names this node too
  if (config.id == 0) {
    spdlog::warn("peer transport: ignored peer id 0 at {}: 0 marks request connections",
                 config.address.to_string());
    return;
  }
  {
    std::unique_lock lock(peers_mutex_);
    const auto it = peers_.find(config.id);
    if (it != peers_.end()) {
      update_address(*it->second, config.address);
      return;
    }
    auto peer = std::make_unique<Peer>(io_, config.id, config.address, self_ < config.id);
    if (started_ && peer->we_dial) start_dialling(*peer);
    peers_.emplace(config.id, std::move(peer));
  }
  spdlog::info("peer transport: added node {} ({})", config.id, config.address.to_string());
}

void PeerTransport::update_address(Peer& peer, const HostPort& address) {
  {
    std::lock_guard lock(peer.mutex);
    if (peer.address == address) return;
    peer.address = address;
  }
  spdlog::info("peer transport: node {} is now at {}", peer.id, address.to_string());
  // A dialler backing off after failing at the old address tries the new
  // one now rather than after its backoff.
  if (peer.we_dial) asio::post(peer.strand, [&peer] { peer.retry.cancel(); });
}

void PeerTransport::remove_peer(NodeId id) {
  Peer* peer = nullptr;
  {
    std::unique_lock lock(peers_mutex_);
    const auto it = peers_.find(id);
    if (it == peers_.end()) return;
    peer = it->second.get();
    removed_peers_.push_back(std::move(it->second));
    peers_.erase(it);
  }
  {
    std::lock_guard lock(peer->mutex);
    peer->removed = true;
    peer->queue.clear();
    peer->queued_bytes = 0;
  }
  asio::post(peer->strand, [this, peer] { disconnect(*peer); });
  spdlog::info("peer transport: removed node {}", id);
}

std::vector<PeerTransport::NodeId> PeerTransport::peer_ids() const {
  std::shared_lock lock(peers_mutex_);
  std::vector<NodeId> ids;
  ids.reserve(peers_.size());
  for (const auto& [id, peer] : peers_) ids.push_back(id);
  return ids;  // ascending: the map's order
}

PeerTransport::Peer* PeerTransport::find_peer(NodeId id) const {
  std::shared_lock lock(peers_mutex_);
  const auto it = peers_.find(id);
  return it == peers_.end() ? nullptr : it->second.get();
}

bool PeerTransport::ended(const Peer& peer) const { return stopped_ || peer.removed; }

bool PeerTransport::send(NodeId to, GroupId group, std::string_view payload) {
  Peer* const found = stopped_.load(std::memory_order_relaxed) ? nullptr : find_peer(to);
  if (found == nullptr) {
    stats_.frames_dropped.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  Peer& peer = *found;
  bool wake_writer = false;
  {
    std::lock_guard lock(peer.mutex);
    if (peer.removed) {  // removed since the lookup
      stats_.frames_dropped.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
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
    // An admitted request is added on this strand only while !stopped_, so
    // each one is either here or never started.
    for (const std::shared_ptr<Exchange>& exchange : requests_) {
      asio::post(exchange->strand, [exchange] {
        exchange->stop.expires_at(asio::steady_timer::time_point::min());
        std::error_code ignored;
        exchange->socket.close(ignored);
      });
    }
  });
  // A peer added after this point sees stopped_ and never dials; a removed
  // one was disconnected by remove_peer().
  std::shared_lock lock(peers_mutex_);
  for (auto& [id, peer] : peers_) asio::post(peer->strand, [this, p = peer.get()] { disconnect(*p); });
}

void PeerTransport::disconnect(Peer& peer) {
  if (peer.current) close(peer, *peer.current);
  std::error_code ignored;
  if (peer.dialing != nullptr) peer.dialing->close(ignored);
  peer.retry.cancel();
  peer.wake.cancel();
}

bool PeerTransport::connected(NodeId id) const {
  const Peer* peer = find_peer(id);
  return peer != nullptr && peer->connected.load();
}

// A connection that lasted this long worked: the next dial starts over
// from the shortest backoff.
constexpr auto kStableConnection = std::chrono::seconds(1);

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
  // Whoever connects must say who it is promptly, or it is dropped: a
  // silent connection must not hold resources. A request connection must
  // also have sent its request by then.
  asio::steady_timer deadline(co_await asio::this_coro::executor, options_.handshake_timeout);
  if (stopped_) co_return;
  handshaking_.insert(&socket);
  peer_wire::Hello hello;
  std::string problem = co_await read_hello(socket, deadline, hello);
  std::string request;
  Peer* peer = nullptr;
  if (problem.empty() && hello.to == 0) {
    problem = co_await read_request(socket, deadline, hello.from, request);
  } else if (problem.empty()) {
    problem = check_peer_hello(hello, peer);
  }
  handshaking_.erase(&socket);
  if (!problem.empty()) {
    stats_.connections_refused.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("peer transport: refused connection from {}: {}",
                 remote.address().to_string() + ":" + std::to_string(remote.port()), problem);
    co_return;
  }
  if (peer == nullptr) {
    admit_request(std::move(socket), hello.from, std::move(request));
    co_return;
  }
  // Raft messages are small and latency-bound: never wait for Nagle.
  socket.set_option(tcp::no_delay(true), error);
  auto connection = std::make_shared<Connection>(std::move(socket));
  asio::co_spawn(peer->strand, serve(*peer, connection), asio::detached);
}

asio::awaitable<std::string> PeerTransport::read_hello(tcp::socket& socket, asio::steady_timer& deadline,
                                                       peer_wire::Hello& hello) {
  char bytes[peer_wire::kHelloSize];
  std::error_code error;
  auto result = co_await (
      asio::async_read(socket, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, error)) ||
      deadline.async_wait(asio::use_awaitable));
  if (result.index() == 1) co_return "no hello within the handshake timeout";
  if (error) co_return "connection closed before its hello: " + error.message();
  if (!peer_wire::decode_hello(bytes, hello)) co_return "not a kahuna peer (bad magic)";
  if (hello.version == peer_wire::kVersion) co_return "";
  if (hello.to == 0) {
    // A requester cannot tell a refusal from a version mismatch by the
    // close alone: tell it our version, so its error names both.
    const std::string ours = peer_wire::encode_hello({peer_wire::kVersion, self_, hello.from});
    co_await (
        asio::async_write(socket, asio::buffer(ours), asio::redirect_error(asio::use_awaitable, error)) ||
        deadline.async_wait(asio::use_awaitable));
  }
  co_return "peer protocol version " + std::to_string(hello.version) + ", expected " +
      std::to_string(peer_wire::kVersion);
}

std::string PeerTransport::check_peer_hello(const peer_wire::Hello& hello, Peer*& peer) const {
  if (hello.to != self_) {
    return "hello addressed to node " + std::to_string(hello.to) + ", this is node " + std::to_string(self_);
  }
  // A removed peer is no longer found, so its redials end here.
  peer = hello.from < self_ ? find_peer(hello.from) : nullptr;
  if (peer == nullptr) return "node " + std::to_string(hello.from) + " is not a peer that dials this node";
  return "";
}

asio::awaitable<std::string> PeerTransport::read_request(tcp::socket& socket, asio::steady_timer& deadline,
                                                         NodeId from, std::string& request) {
  const std::string who = "request from node " + std::to_string(from) + ": ";
  if (from == 0 || from == self_) co_return who + "not a valid requester id";
  if (!request_handler_) co_return who + "this node has no request handler";
  char header[peer_wire::kFrameHeaderSize];
  std::error_code error;
  auto result = co_await (
      asio::async_read(socket, asio::buffer(header), asio::redirect_error(asio::use_awaitable, error)) ||
      deadline.async_wait(asio::use_awaitable));
  if (result.index() == 1) co_return who + "no request within the handshake timeout";
  if (error) co_return who + "connection closed before the request: " + error.message();
  const auto length = peer_wire::get<std::uint32_t>(header);
  const auto group = peer_wire::get<std::uint32_t>(header + 4);
  if (group != peer_wire::kRequestChannel)
    co_return who + "frame on group " + std::to_string(group) + ", not the request channel";
  if (length < 4 || length - 4 > options_.max_frame_bytes) {
    co_return who + "frame length " + std::to_string(length) + " malformed or over the " +
        std::to_string(options_.max_frame_bytes) + "-byte limit";
  }
  // The buffer grows with what arrives, not with what the header claims:
  // whoever connects is not trusted yet.
  result =
      co_await (asio::async_read(socket, asio::dynamic_buffer(request), asio::transfer_exactly(length - 4),
                                 asio::redirect_error(asio::use_awaitable, error)) ||
                deadline.async_wait(asio::use_awaitable));
  if (result.index() == 1) co_return who + "incomplete request within the handshake timeout";
  if (error) co_return who + "connection closed during the request: " + error.message();
  stats_.frames_received.fetch_add(1, std::memory_order_relaxed);
  co_return "";
}

void PeerTransport::admit_request(tcp::socket socket, NodeId from, std::string request) {
  // stop() posts to this strand after setting stopped_: it either finds
  // this exchange in requests_ or the exchange never starts.
  if (stopped_) return;
  auto exchange = std::make_shared<Exchange>(io_, std::move(socket));
  requests_.insert(exchange);
  // A strand of its own: the handler may take seconds (it awaits Raft) and
  // must hold up neither the handshakes nor other requests.
  asio::co_spawn(exchange->strand, answer(exchange, from, std::move(request)), asio::detached);
}

asio::awaitable<void> PeerTransport::answer(std::shared_ptr<Exchange> exchange, NodeId from,
                                            std::string request) {
  std::error_code stopping;
  // stop() ends the wait on `exchange->stop`, which cancels the handler.
  auto outcome = co_await (call_request_handler(from, std::move(request)) ||
                           exchange->stop.async_wait(asio::redirect_error(asio::use_awaitable, stopping)));
  if (outcome.index() == 0 && std::get<0>(outcome).has_value()) {
    co_await write_reply(*exchange, from, *std::get<0>(outcome));
  }
  std::error_code ignored;
  exchange->socket.shutdown(tcp::socket::shutdown_both, ignored);
  exchange->socket.close(ignored);
  asio::post(accept_strand_, [this, exchange] { requests_.erase(exchange); });
}

asio::awaitable<std::optional<std::string>> PeerTransport::call_request_handler(NodeId from,
                                                                                std::string request) {
  try {
    co_return co_await request_handler_(from, std::move(request));
  } catch (const std::exception& error) {
    if (!stopped_) spdlog::warn("peer transport: request handler failed for node {}: {}", from, error.what());
  } catch (...) {
    if (!stopped_) spdlog::warn("peer transport: request handler failed for node {}", from);
  }
  co_return std::nullopt;
}

asio::awaitable<void> PeerTransport::write_reply(Exchange& exchange, NodeId from, const std::string& reply) {
  if (reply.size() > options_.max_frame_bytes) {
    spdlog::warn("peer transport: reply to node {} is {} bytes, over the {}-byte frame limit; not sent", from,
                 reply.size(), options_.max_frame_bytes);
    co_return;
  }
  const std::string frame = peer_wire::encode_frame(peer_wire::kRequestChannel, reply);
  // A requester that stops reading must not hold the connection open.
  asio::steady_timer deadline(exchange.strand, options_.handshake_timeout);
  std::error_code error;
  auto result = co_await (asio::async_write(exchange.socket, asio::buffer(frame),
                                            asio::redirect_error(asio::use_awaitable, error)) ||
                          deadline.async_wait(asio::use_awaitable));
  if (result.index() == 1) error = asio::error::timed_out;
  if (error) {
    if (!stopped_)
      spdlog::warn("peer transport: could not send the reply to node {}: {}", from, error.message());
    co_return;
  }
  stats_.writes.fetch_add(1, std::memory_order_relaxed);
  stats_.frames_sent.fetch_add(1, std::memory_order_relaxed);
}

asio::awaitable<void> PeerTransport::dial_loop(Peer& peer) {
  int attempt = 0;
  tcp::resolver resolver(peer.strand);
  while (!ended(peer)) {
    std::error_code error;
    // Read afresh each attempt: add_peer() may have moved the peer.
    const HostPort address = peer.dial_address();
    const auto endpoints = co_await resolver.async_resolve(address.host, std::to_string(address.port),
                                                           asio::redirect_error(asio::use_awaitable, error));
    // Ended while resolving: disconnect() had no socket to abort.
    if (!error && !ended(peer)) {
      tcp::socket socket(peer.strand);
      asio::steady_timer deadline(peer.strand, options_.connect_timeout);
      peer.dialing = &socket;
      auto result = co_await (
          asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, error)) ||
          deadline.async_wait(asio::use_awaitable));
      peer.dialing = nullptr;
      if (result.index() == 1) error = asio::error::timed_out;
      // Removed while connecting: say nothing, lest the other node take this
      // connection for a newer one and drop the one its replacement made.
      if (!error && !ended(peer)) {
        socket.set_option(tcp::no_delay(true), error);
        const std::string hello = peer_wire::encode_hello({peer_wire::kVersion, self_, peer.id});
        co_await asio::async_write(socket, asio::buffer(hello),
                                   asio::redirect_error(asio::use_awaitable, error));
      }
      if (!error && !ended(peer)) {
        const auto began = std::chrono::steady_clock::now();
        co_await serve(peer, std::make_shared<Connection>(std::move(socket)));
        // A connection the other side drops at once (it does not count this
        // node as a peer yet, e.g. before a joining node's admission) is
        // redialled with a growing backoff, not in a tight loop.
        if (std::chrono::steady_clock::now() - began >= kStableConnection) attempt = 0;
      }
    }
    if (ended(peer)) break;
    peer.retry.expires_after(backoff(attempt++));
    co_await peer.retry.async_wait(asio::redirect_error(asio::use_awaitable, error));
  }
}

asio::awaitable<void> PeerTransport::serve(Peer& peer, std::shared_ptr<Connection> connection) {
  // Checked on the strand: a removal's disconnect() runs either before this
  // (and the connection is dropped here) or after (and closes it).
  if (ended(peer)) co_return;
  // A newer connection from the same peer replaces the old one: the peer
  // redialled because it saw the old one fail.
  if (peer.current) close(peer, *peer.current);
  peer.current = connection;
  peer.connected = true;
  stats_.connections_opened.fetch_add(1, std::memory_order_relaxed);
  spdlog::info("peer transport: connected to node {} ({})", peer.id, peer.dial_address().to_string());
  co_await (read_loop(peer, connection) && write_loop(peer, connection));
  if (peer.current == connection) {
    peer.current.reset();
    peer.connected = false;
    if (!ended(peer)) spdlog::info("peer transport: lost node {}", peer.id);
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

namespace {

using RequestResult = PeerTransport::RequestResult;

RequestResult request_failed(Status status) { return {std::move(status), {}}; }

// One request's I/O objects, shared by request_on() and the exchange it
// starts: a resolve cannot be interrupted (getaddrinfo runs to its end), so
// on a timeout request_on() returns at once and leaves the exchange to end
// on its own, still owning these.
struct RequestState {
  explicit RequestState(const asio::strand<asio::any_io_executor>& strand)
      : resolver(strand), socket(strand), done(strand, asio::steady_timer::time_point::max()) {}
  tcp::resolver resolver;
  tcp::socket socket;
  asio::steady_timer done;  // cancelled once `result` is set
  std::optional<RequestResult> result;
  bool abandoned = false;  // request_on() gave up: send nothing more
};

// The request exchange proper, without its deadline.
asio::awaitable<RequestResult> exchange(RequestState& state, PeerTransport::NodeId self,
                                        const HostPort& address, const std::string& payload) {
  tcp::socket& socket = state.socket;
  const std::string where = address.to_string();
  std::error_code error;
  const auto endpoints = co_await state.resolver.async_resolve(
      address.host, std::to_string(address.port), asio::redirect_error(asio::use_awaitable, error));
  // A late resolve must not deliver a request its sender no longer awaits.
  if (state.abandoned) error = asio::error::operation_aborted;
  if (error) co_return request_failed(Status::io_error("cannot resolve " + where + ": " + error.message()));
  co_await asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, error));
  if (error)
    co_return request_failed(Status::io_error("cannot connect to " + where + ": " + error.message()));
  socket.set_option(tcp::no_delay(true), error);
  const std::string request = peer_wire::encode_hello({peer_wire::kVersion, self, 0}) +
                              peer_wire::encode_frame(peer_wire::kRequestChannel, payload);
  co_await asio::async_write(socket, asio::buffer(request), asio::redirect_error(asio::use_awaitable, error));
  if (error) {
    co_return request_failed(
        Status::io_error("cannot send the request to " + where + ": " + error.message()));
  }

  char header[peer_wire::kHelloSize];  // room for a hello: the other node may answer with one
  co_await asio::async_read(socket, asio::buffer(header, peer_wire::kFrameHeaderSize),
                            asio::redirect_error(asio::use_awaitable, error));
  if (error == asio::error::eof || error == asio::error::connection_reset) {
    co_return request_failed(Status::io_error(
        where +
        " closed the connection without a reply (it has no request handler or refused the request; "
        "its log says why)"));
  }
  if (error) {
    co_return request_failed(
        Status::io_error("cannot read the reply from " + where + ": " + error.message()));
  }
  if (std::memcmp(header, peer_wire::kMagic, 4) == 0) {
    // Its hello instead of a reply: it speaks another protocol version.
    co_await asio::async_read(socket,
                              asio::buffer(header + peer_wire::kFrameHeaderSize,
                                           peer_wire::kHelloSize - peer_wire::kFrameHeaderSize),
                              asio::redirect_error(asio::use_awaitable, error));
    peer_wire::Hello hello;
    if (!error && peer_wire::decode_hello(header, hello)) {
      co_return request_failed(Status::not_supported(where + " speaks peer protocol version " +
                                                     std::to_string(hello.version) + ", this node " +
                                                     std::to_string(peer_wire::kVersion)));
    }
  }
  const auto length = peer_wire::get<std::uint32_t>(header);
  const auto group = peer_wire::get<std::uint32_t>(header + 4);
  const std::size_t limit = PeerTransport::Options{}.max_frame_bytes;
  if (length < 4 || length - 4 > limit || group != peer_wire::kRequestChannel) {
    co_return request_failed(Status::corruption(
        "the reply from " + where + " is malformed or over the " + std::to_string(limit) +
        "-byte limit (length " + std::to_string(length) + ", group " + std::to_string(group) + ")"));
  }
  std::string reply;
  co_await asio::async_read(socket, asio::dynamic_buffer(reply), asio::transfer_exactly(length - 4),
                            asio::redirect_error(asio::use_awaitable, error));
  if (error) {
    co_return request_failed(
        Status::io_error("cannot read the reply from " + where + ": " + error.message()));
  }
  co_return RequestResult{Status::ok(), std::move(reply)};
}

asio::awaitable<void> run_exchange(std::shared_ptr<RequestState> state, PeerTransport::NodeId self,
                                   HostPort address, std::string payload) {
  RequestResult result = co_await exchange(*state, self, address, payload);
  if (state->abandoned) co_return;
  state->result = std::move(result);
  state->done.cancel();
}

// Runs on a strand: the socket, the resolver and the deadline are then
// never touched by two threads at once, whatever the caller's executor.
asio::awaitable<RequestResult> request_on(asio::strand<asio::any_io_executor> strand,
                                          PeerTransport::NodeId self, HostPort address, std::string payload,
                                          std::chrono::milliseconds timeout) {
  if (self == 0) {
    co_return request_failed(
        Status::invalid_argument("request to " + address.to_string() + ": node id 0 is reserved"));
  }
  auto state = std::make_shared<RequestState>(strand);
  state->done.expires_after(timeout);
  asio::co_spawn(strand, run_exchange(state, self, address, std::move(payload)), asio::detached);
  std::error_code error;
  co_await state->done.async_wait(asio::redirect_error(asio::use_awaitable, error));
  if (state->result) co_return std::move(*state->result);
  // Timed out, or the caller cancelled this request: end the exchange.
  const bool cancelled = error == asio::error::operation_aborted;
  state->abandoned = true;
  state->socket.close(error);
  state->resolver.cancel();
  if (cancelled) {
    co_return request_failed(Status::aborted("request to " + address.to_string() + " cancelled"));
  }
  co_return request_failed(Status::io_error("request to " + address.to_string() + " timed out after " +
                                            std::to_string(timeout.count()) + " ms"));
}

}  // namespace

// Not a coroutine itself: `address` is copied into request_on() now, so the
// caller's may be gone by the time the exchange runs.
asio::awaitable<PeerTransport::RequestResult> PeerTransport::request(asio::any_io_executor executor,
                                                                     NodeId self, const HostPort& address,
                                                                     std::string payload,
                                                                     std::chrono::milliseconds timeout) {
  auto strand = asio::make_strand(executor);
  return asio::co_spawn(strand, request_on(strand, self, address, std::move(payload), timeout),
                        asio::use_awaitable);
}

}  // namespace kahuna
