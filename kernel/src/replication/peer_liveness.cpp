#include "replication/peer_liveness.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna {

PeerLiveness::PeerLiveness(asio::io_context& io, Clock::duration interval, Clock::duration timeout,
                           Hooks hooks)
    : interval_(interval),
      timeout_(timeout),
      hooks_(std::move(hooks)),
      strand_(asio::make_strand(io)),
      timer_(strand_) {}

void PeerLiveness::start() {
  started_ = true;
  asio::co_spawn(strand_, run(), asio::detached);
}

void PeerLiveness::stop() {
  if (stopped_.exchange(true) || !started_) return;
  asio::post(strand_, [this] { timer_.cancel(); });
  ended_.get_future().wait();
}

void PeerLiveness::heard(NodeId peer) {
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(mutex_);
  peers_[peer].last_heard = now;
}

bool PeerLiveness::suspected(NodeId peer) const {
  std::lock_guard lock(mutex_);
  auto it = peers_.find(peer);
  return it != peers_.end() && it->second.suspected;
}

std::vector<std::pair<PeerLiveness::NodeId, bool>> PeerLiveness::evaluate(const std::vector<NodeId>& peers,
                                                                          Clock::time_point now) {
  std::vector<std::pair<NodeId, bool>> changed;
  std::lock_guard lock(mutex_);
  std::map<NodeId, PeerState> current;
  for (NodeId peer : peers) {
    // A peer first seen now starts as alive: it is given a timeout to be heard.
    auto [it, added] = peers_.try_emplace(peer, PeerState{now, false});
    PeerState state = it->second;
    const bool silent = now - state.last_heard >= timeout_;
    if (silent != state.suspected) {
      state.suspected = silent;
      changed.emplace_back(peer, !silent);
    }
    current.emplace(peer, state);
  }
  peers_ = std::move(current);  // removed peers are forgotten
  return changed;
}

asio::awaitable<void> PeerLiveness::run() {
  while (!stopped_) {
    const std::vector<NodeId> peers = hooks_.peers();
    for (NodeId peer : peers) hooks_.ping(peer);
    for (const auto& [peer, alive] : evaluate(peers, Clock::now())) {
      changes_.fetch_add(1, std::memory_order_relaxed);
      hooks_.on_change(peer, alive);
    }
    timer_.expires_after(interval_);
    co_await timer_.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  }
  ended_.set_value();
}

}  // namespace kahuna
