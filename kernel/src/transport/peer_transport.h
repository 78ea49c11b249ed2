// PeerTransport: carries Raft traffic between the nodes of a cluster.
//
// One TCP connection per pair of nodes, shared by every Raft group: the node
// with the lower id dials, the other accepts, and both send on it. Each
// message travels as a frame tagged with its group id (peer_frame.h).
// Messages queued for a peer while its connection is busy are written
// together in one gathered write. A peer that is down or slow costs at most
// `max_queue_bytes` of memory: beyond that, new messages to it are dropped
// and counted (Raft retransmits what matters). A dropped connection is
// redialled with exponential backoff and jitter.
//
// Membership can change while the transport runs: add_peer() and
// remove_peer() take effect at once. A removed peer's connection is closed,
// its dialling stops, and its hellos are refused until it is added again.
//
// A node that is not a peer yet (say, one asking a member to admit it) uses
// a one-shot request connection instead: request() sends a hello with
// `to == 0` and one frame on peer_wire::kRequestChannel, the receiving
// transport runs its RequestHandler and writes back one frame on the same
// channel, then closes. A transport that has no other peer (a node that
// will join later) listens and answers requests all the same.
//
// Threading: send(), connected(), peer_ids(), add_peer(), remove_peer() and
// stop() may be called from any thread. The handler runs on the sending
// peer's strand, one frame at a time per peer, in the order the peer sent
// them. The request handler runs on a strand of its own per request.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>

#include <kahuna/status.h>

#include "config/config.h"

namespace kahuna {

namespace peer_wire {
struct Hello;
}

class PeerTransport {
 public:
  using NodeId = std::uint64_t;
  using GroupId = std::uint32_t;
  using Handler = std::function<void(NodeId from, GroupId group, std::string payload)>;
  // Answers one request connection with the reply's bytes. `from` is the id
  // the requester claims (never 0 nor this node's): any id, peer or not, and
  // not authenticated. A handler that throws, or that stop() cancels,
  // leaves the connection closed unanswered.
  using RequestHandler = std::function<asio::awaitable<std::string>(NodeId from, std::string request)>;

  struct RequestResult {
    Status status;
    std::string reply;  // when status is ok
  };

  struct Options {
    std::size_t max_frame_bytes = 64u << 20;  // a larger incoming frame closes the connection
    std::size_t max_queue_bytes = 64u << 20;  // per peer; beyond it send() drops
    std::chrono::milliseconds min_backoff{20};
    std::chrono::milliseconds max_backoff{2000};
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds handshake_timeout{5000};
  };

  struct Stats {
    std::atomic<std::uint64_t> frames_sent{0};
    std::atomic<std::uint64_t> frames_received{0};
    std::atomic<std::uint64_t> frames_dropped{0};  // queue full, peer unknown or removed
    std::atomic<std::uint64_t> writes{0};          // gathered socket writes
    std::atomic<std::uint64_t> connections_opened{0};
    std::atomic<std::uint64_t> connections_refused{0};  // bad hello, bad frame, bad or unanswerable request
  };

  // `peers` lists every node of the cluster, this one (`self`) included: its
  // own entry is the address to listen on.
  PeerTransport(asio::io_context& io, NodeId self, const std::vector<PeerConfig>& peers, Handler handler,
                Options options);
  PeerTransport(asio::io_context& io, NodeId self, const std::vector<PeerConfig>& peers, Handler handler)
      : PeerTransport(io, self, peers, std::move(handler), Options{}) {}
  // Destroy only after the io_context has stopped running (its coroutines
  // refer to this object).
  ~PeerTransport();

  PeerTransport(const PeerTransport&) = delete;
  PeerTransport& operator=(const PeerTransport&) = delete;

  // Answers request connections; without one they are refused. Set before
  // start().
  void set_request_handler(RequestHandler handler);

  // Binds the listening socket (an error names the address, e.g. in use)
  // and starts dialling the peers this node dials.
  Status start();

  // Adds a peer, or gives a known one a new address for its next dial (a
  // connection already up stays until it fails); the same address again is
  // a no-op, and so is this node's own id. Once started, a peer this node
  // dials (the lower id dials) is dialled at once.
  void add_peer(const PeerConfig& peer);
  // Closes the peer's connection and stops dialling it; from then on send()
  // to it drops and its hellos are refused. Unknown ids are ignored.
  void remove_peer(NodeId id);
  // The current peers, this node excluded, ascending.
  std::vector<NodeId> peer_ids() const;

  // Queues one message for `to`. False when it was dropped: unknown peer,
  // queue full, or stopped.
  bool send(NodeId to, GroupId group, std::string_view payload);

  // Closes the listener and every connection, cancelling the request
  // handlers in progress; coroutines end soon after. Callable from any
  // thread; idempotent.
  void stop();

  bool connected(NodeId peer) const;
  const Stats& stats() const noexcept { return stats_; }
  // Where start() listens, with the port the system chose if the configured
  // one was 0. Call after start().
  const HostPort& listen_address() const noexcept { return listen_address_; }

  // One request connection to the node listening at `address`, as node
  // `self`: sends `payload`, returns the reply. The whole exchange, connect
  // included, is bounded by `timeout`. A failure's message names the
  // address: cannot connect, timed out, closed without a reply (the node
  // has no handler or refused the request: its log says which) are
  // kIOError; a reply over the default max_frame_bytes is kCorruption,
  // another peer protocol version kNotSupported, a cancelled request
  // kAborted.
  static asio::awaitable<RequestResult> request(asio::any_io_executor executor, NodeId self,
                                                const HostPort& address, std::string payload,
                                                std::chrono::milliseconds timeout);

 private:
  struct Connection;
  struct Peer;
  struct Exchange;

  Peer* find_peer(NodeId id) const;
  void start_dialling(Peer& peer);
  void update_address(Peer& peer, const HostPort& address);
  void disconnect(Peer& peer);
  bool ended(const Peer& peer) const;

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> handshake(asio::ip::tcp::socket socket);
  asio::awaitable<std::string> read_hello(asio::ip::tcp::socket& socket, asio::steady_timer& deadline,
                                          peer_wire::Hello& hello);
  std::string check_peer_hello(const peer_wire::Hello& hello, Peer*& peer) const;
  asio::awaitable<std::string> read_request(asio::ip::tcp::socket& socket, asio::steady_timer& deadline,
                                            NodeId from, std::string& request);
  void admit_request(asio::ip::tcp::socket socket, NodeId from, std::string request);
  asio::awaitable<void> answer(std::shared_ptr<Exchange> exchange, NodeId from, std::string request);
  asio::awaitable<std::optional<std::string>> call_request_handler(NodeId from, std::string request);
  asio::awaitable<void> write_reply(Exchange& exchange, NodeId from, const std::string& reply);
  asio::awaitable<void> dial_loop(Peer& peer);
  // Runs one established connection until it fails or is replaced.
  asio::awaitable<void> serve(Peer& peer, std::shared_ptr<Connection> connection);
  asio::awaitable<void> read_loop(Peer& peer, std::shared_ptr<Connection> connection);
  asio::awaitable<void> write_loop(Peer& peer, std::shared_ptr<Connection> connection);
  void close(Peer& peer, Connection& connection);
  std::chrono::milliseconds backoff(int attempt);

  asio::io_context& io_;
  const NodeId self_;
  HostPort listen_address_;
  Handler handler_;
  RequestHandler request_handler_;  // set before start(), then read-only
  const Options options_;
  Stats stats_;
  std::atomic<bool> stopped_{false};
  asio::strand<asio::io_context::executor_type> accept_strand_;
  asio::ip::tcp::acceptor acceptor_;
  std::set<asio::ip::tcp::socket*> handshaking_;  // accept strand only
  std::set<std::shared_ptr<Exchange>> requests_;  // accept strand only: being answered

  // The membership. send() and connected() look peers up from any thread,
  // add_peer() and remove_peer() change it: readers share the lock, writers
  // hold it alone. A Peer is never freed before the transport, because its
  // coroutines (and lookups made just before a removal) may still use it:
  // a removed one moves to removed_peers_, and a re-added id gets a new one.
  mutable std::shared_mutex peers_mutex_;
  std::map<NodeId, std::unique_ptr<Peer>> peers_;
  std::vector<std::unique_ptr<Peer>> removed_peers_;
  bool started_ = false;  // under peers_mutex_: add_peer() dials at once from then on
};

}  // namespace kahuna
