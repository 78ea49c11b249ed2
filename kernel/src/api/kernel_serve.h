// Kernel::serve, the path every single-partition request takes; included by
// the files that implement the Kernel's operations, family by family.
#pragma once

#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "api/kernel.h"

namespace kahuna {

template <class Reply, class Local, class Forward>
inline asio::awaitable<Routed<Reply>> Kernel::serve(std::uint32_t partition, const CallOptions& options, Reply must_retry,
                                             Reply failed, Local local, Forward forward) {
  const auto deadline = Clock::now() + options.timeout;
  Routed<Reply> out;
  out.route.partition = partition;
  for (;;) {
    const Target target = co_await resolve(partition, deadline);
    out.route.leader = target.leader;
    if (target.service != nullptr) {
      auto [failure, reply] = co_await local(*target.service, deadline);
      if (failure == ServeFailure::kNotLeader && Clock::now() < deadline) continue;  // nothing was proposed
      out.route.provenance = RouteProvenance::kLocal;
      if (failure == ServeFailure::kNone) {
        counters_.served_locally.fetch_add(1, std::memory_order_relaxed);
        out.reply = std::move(reply);
        co_return out;
      }
      out.reply = failure == ServeFailure::kFailed ? failed : must_retry;
      if (failure != ServeFailure::kFailed) counters_.must_retry.fetch_add(1, std::memory_order_relaxed);
      co_return out;
    }
    if (target.leader == 0 || options.forwarded) break;
    Forwarded<Routed<Reply>> remote = co_await forward(target.leader);
    if (remote.reply) {
      counters_.forwarded.fetch_add(1, std::memory_order_relaxed);
      out.reply = std::move(remote.reply->reply);
      out.route.leader = remote.reply->route.leader != 0 ? remote.reply->route.leader : target.leader;
      out.route.provenance = RouteProvenance::kForwarded;
      co_return out;
    }
    // Sent but unanswered: the outcome is unknown, so the caller decides.
    if (remote.sent || Clock::now() >= deadline) break;
    // The leader this node knows is unreachable (it may have died): wait
    // for the election that replaces it.
    asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(20));
    co_await pause.async_wait(asio::use_awaitable);
  }
  counters_.must_retry.fetch_add(1, std::memory_order_relaxed);
  out.reply = must_retry;
  co_return out;
}

template <class Reply, class Read>
Routed<Reply> Kernel::read_here(std::uint32_t partition, Read read) {
  Routed<Reply> out;
  out.route.partition = partition;
  out.route.leader = partitions_.at(partition)->status().leader;
  out.route.provenance = RouteProvenance::kLocal;
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
