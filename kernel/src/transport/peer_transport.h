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
// Threading: send() may be called from any thread. The handler runs on the
// sending peer's strand, one frame at a time per peer, in the order the
// peer sent them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>

#include <kahuna/status.h>

#include "config/config.h"

namespace kahuna {

class PeerTransport {
 public:
  using NodeId = std::uint64_t;
  using GroupId = std::uint32_t;
  using Handler = std::function<void(NodeId from, GroupId group, std::string payload)>;

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
    std::atomic<std::uint64_t> frames_dropped{0};  // queue full or peer unknown
    std::atomic<std::uint64_t> writes{0};          // gathered socket writes
    std::atomic<std::uint64_t> connections_opened{0};
    std::atomic<std::uint64_t> connections_refused{0};  // bad hello, bad frame
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

  // Binds the listening socket (an error names the address, e.g. in use)
  // and starts dialling the peers this node dials.
  Status start();

  // Queues one message for `to`. False when it was dropped: unknown peer,
  // queue full, or stopped.
  bool send(NodeId to, GroupId group, std::string_view payload);

  // Closes the listener and every connection; coroutines end soon after.
  // Callable from any thread; idempotent.
  void stop();

  bool connected(NodeId peer) const;
  const Stats& stats() const noexcept { return stats_; }

 private:
  struct Connection;
  struct Peer;

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> handshake(asio::ip::tcp::socket socket);
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
  const Options options_;
  Stats stats_;
  std::atomic<bool> stopped_{false};
  asio::strand<asio::io_context::executor_type> accept_strand_;
  asio::ip::tcp::acceptor acceptor_;
  std::set<asio::ip::tcp::socket*> handshaking_;  // accept strand only
  std::map<NodeId, std::unique_ptr<Peer>> peers_;
};

}  // namespace kahuna
