// PeerLiveness: which peers this node still hears from, for quiesced groups.
//
// A quiesced Raft group (raft::Config::quiesce_ticks) sends nothing, so its
// followers cannot tell a silent leader from a dead one. The node tells them
// instead: it pings every peer each interval on the heartbeat channel (one
// tiny frame per peer, however many groups there are), notes every
// heartbeat-channel frame it receives, and reports a peer's change of state
// — silent for `timeout` (suspected), or heard again (alive) — to
// `on_change`, which wakes the quiesced groups (raft::Node::wake). Waking is
// always safe, so a late or false suspicion costs a few heartbeats, never
// correctness.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>

namespace kahuna {

class PeerLiveness {
 public:
  using NodeId = std::uint64_t;
  using Clock = std::chrono::steady_clock;

  struct Hooks {
    std::function<std::vector<NodeId>()> peers;  // the current peers, this node excluded
    std::function<void(NodeId peer)> ping;       // sends one ping frame
    std::function<void(NodeId peer, bool alive)> on_change;
  };

  PeerLiveness(asio::io_context& io, Clock::duration interval, Clock::duration timeout, Hooks hooks);
  PeerLiveness(const PeerLiveness&) = delete;
  PeerLiveness& operator=(const PeerLiveness&) = delete;

  // Starts the ping loop. stop() ends it and waits until it has: call it
  // from a thread that is not an io thread, while the io threads run.
  // Idempotent; needed only after start().
  void start();
  void stop();

  // A heartbeat-channel frame from `peer` arrived. Any thread.
  void heard(NodeId peer);

  // Suspected peers so far, and changes of state seen.
  bool suspected(NodeId peer) const;
  std::uint64_t changes() const noexcept { return changes_.load(std::memory_order_relaxed); }

 private:
  struct PeerState {
    Clock::time_point last_heard;
    bool suspected = false;
  };

  asio::awaitable<void> run();
  // One round: updates every peer's state; returns the peers that changed.
  std::vector<std::pair<NodeId, bool>> evaluate(const std::vector<NodeId>& peers, Clock::time_point now);

  const Clock::duration interval_;
  const Clock::duration timeout_;
  Hooks hooks_;
  // The loop and stop()'s cancel take turns on the strand.
  asio::strand<asio::io_context::executor_type> strand_;
  asio::steady_timer timer_;
  std::atomic<bool> stopped_{false};
  bool started_ = false;
  std::promise<void> ended_;
  mutable std::mutex mutex_;
  std::map<NodeId, PeerState> peers_;
  std::atomic<std::uint64_t> changes_{0};
};

}  // namespace kahuna
