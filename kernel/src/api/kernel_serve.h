// Kernel::serve, the path every single-partition request takes; included by
// the files that implement the Kernel's operations, family by family.
#pragma once

#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "api/kernel.h"

namespace kahuna {

// The family's outcome-unknown code, for the family whose must-retry code is
// given.
constexpr LockCode outcome_unknown_of(LockCode) noexcept { return LockCode::kOutcomeUnknown; }
constexpr KvCode outcome_unknown_of(KvCode) noexcept { return KvCode::kOutcomeUnknown; }
constexpr SequenceCode outcome_unknown_of(SequenceCode) noexcept { return SequenceCode::kOutcomeUnknown; }
constexpr TxCode outcome_unknown_of(TxCode) noexcept { return TxCode::kOutcomeUnknown; }

namespace serve_timing {
// A pause before trying again after a transient refusal (an election, a
// leadership transfer, a forward that found no leader), so a retry does not
// spin while the cluster settles.
inline constexpr auto kRetryPause = std::chrono::milliseconds(10);
inline constexpr auto kUnreachablePause = std::chrono::milliseconds(20);
// A forwarded call gets what is left of the deadline minus this share (at
// most kForwardMargin), so its answer — even "unknown" — comes back while
// there is still time to act on it.
inline constexpr auto kForwardMargin = std::chrono::milliseconds(500);
}  // namespace serve_timing

// The loop tells must-retry from outcome-unknown by remembering whether any
// attempt may have taken effect: a local proposal that timed out in flight,
// a forward sent and never answered, a leader's own "unknown". Trying again
// after such an attempt is safe for a write because it carries its request
// id (the state machine applies an id once), and always safe for a read.
// Writes are recognised by their id: every write gets one on entry.
template <class Reply, class Local, class Forward>
inline asio::awaitable<Routed<Reply>> Kernel::serve(std::uint32_t partition, const CallOptions& options,
                                                    Reply must_retry, Reply failed, Local local,
                                                    Forward forward) {
  using namespace serve_timing;
  const auto deadline = Clock::now() + options.timeout;
  const bool is_write = options.request_id.present();
  bool maybe_applied = false;
  Routed<Reply> out;
  out.route.partition = partition;
  out.route.metadata_version = cluster_metadata()->version;
  auto pause = [](std::chrono::milliseconds length) -> asio::awaitable<void> {
    asio::steady_timer timer(co_await asio::this_coro::executor, length);
    co_await timer.async_wait(asio::use_awaitable);
  };
  std::uint64_t hint = 0;  // the leader the last forwarded answer named
  for (;;) {
    const Target target = co_await resolve(partition, deadline, hint);
    hint = 0;
    out.route.leader = target.leader;
    if (target.service != nullptr) {
      auto [failure, reply] = co_await local(*target.service, deadline);
      // kLocal only on an answer of the leader's own (a forwarder trusts it
      // as final); an attempt that failed leaves the route unknown.
      out.route.provenance = failure == ServeFailure::kNone || failure == ServeFailure::kFailed
                                 ? RouteProvenance::kLocal
                                 : RouteProvenance::kUnknown;
      if (failure == ServeFailure::kNone) {
        counters_.served_locally.fetch_add(1, std::memory_order_relaxed);
        out.reply = std::move(reply);
        co_return out;
      }
      if (failure == ServeFailure::kFailed) {
        out.reply = failed;
        co_return out;
      }
      if (failure == ServeFailure::kUnknown) maybe_applied = true;
      // A node shutting down answers at once rather than trying until the
      // deadline: its groups are stopping too.
      if (Clock::now() >= deadline || stopping()) break;
      // Leadership moved before anything was proposed: look again at once.
      if (failure != ServeFailure::kNotLeader) co_await pause(kRetryPause);
      continue;
    }
    if (target.leader == 0 || options.forwarded) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    const auto remote_timeout =
        std::max(left - std::min(left / 2, kForwardMargin), std::chrono::milliseconds(1));
    // Stop waiting for a leader the others have replaced (it froze, or it
    // is cut off): the new one gets the same request.
    // What this node believed when it sent is the baseline: the asked node
    // may come from an answer's hint the local view has not caught up with.
    const std::uint64_t asked = target.leader;
    const std::uint64_t believed = leader_of(partition);
    AbandonWhen replaced = [this, partition, asked, believed] {
      const std::uint64_t now_leading = leader_of(partition);
      return now_leading != 0 && now_leading != asked && now_leading != believed;
    };
    Forwarded<Routed<Reply>> remote = co_await forward(target.leader, remote_timeout, std::move(replaced));
    if (remote.reply) {
      const auto code = remote.reply->reply.code;
      out.route.leader = remote.reply->route.leader != 0 ? remote.reply->route.leader : target.leader;
      out.route.provenance = RouteProvenance::kForwarded;
      // The leader's own answer is final, must-retry included: its state
      // refused the request (a key held by a transaction, say), and asking
      // again before anything changes would only spend the deadline.
      const bool leaders_own = remote.reply->route.provenance == RouteProvenance::kLocal;
      if ((code != must_retry.code || leaders_own) && code != outcome_unknown_of(must_retry.code)) {
        counters_.forwarded.fetch_add(1, std::memory_order_relaxed);
        out.reply = std::move(remote.reply->reply);
        co_return out;
      }
      // The leader could not serve it (it lost leadership, or its own time
      // ran out): find the leader again and resend, same id.
      if (code != must_retry.code) maybe_applied = true;
      if (remote.reply->route.leader != target.leader) hint = remote.reply->route.leader;
    } else if (remote.sent) {
      maybe_applied = true;  // sent, never answered: the leader may have run it
    }
    if (Clock::now() >= deadline || stopping()) break;
    // Unreachable or leaderless: wait for the election that replaces it.
    co_await pause(remote.sent ? kRetryPause : kUnreachablePause);
  }
  if (is_write && maybe_applied) {
    counters_.outcome_unknown.fetch_add(1, std::memory_order_relaxed);
    out.reply = must_retry;
    out.reply.code = outcome_unknown_of(must_retry.code);
    co_return out;
  }
  counters_.must_retry.fetch_add(1, std::memory_order_relaxed);
  out.reply = must_retry;
  co_return out;
}

template <class Reply, class Read>
Routed<Reply> Kernel::read_here(std::uint32_t partition, Read read) {
  Routed<Reply> out;
  out.route.partition = partition;
  out.route.leader = leader_of(partition);
  out.route.provenance = RouteProvenance::kLocal;
  out.route.metadata_version = cluster_metadata()->version;
  out.reply = read(*partitions_.at(partition));
  return out;
}

// The reply of family `Family` in a state machine's Reply; `failed` when the
// entry was rejected or belongs to another family.
template <class Family>
Family reply_as(const services::Reply& reply, Family failed) {
  if (const auto* typed = std::get_if<Family>(&reply)) return *typed;
  return failed;
}

}  // namespace kahuna
