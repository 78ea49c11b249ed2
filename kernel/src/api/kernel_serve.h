// Kernel::serve, the path every single-partition request takes; included by
// the files that implement the Kernel's operations, family by family.
#pragma once

#include "api/kernel.h"

namespace kahuna {

template <class Reply, class Local, class Forward>
inline asio::awaitable<Routed<Reply>> Kernel::serve(std::uint32_t partition, const CallOptions& options, Reply must_retry,
                                             Reply failed, Local local, Forward forward) {
  const auto deadline = Clock::now() + options.timeout;
  Routed<Reply> out;
  out.route.partition = partition;
  // Leadership may move between resolving and serving: one more try then.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const Target target = co_await resolve(partition, deadline);
    out.route.leader = target.leader;
    if (target.service != nullptr) {
      auto [failure, reply] = co_await local(*target.service, deadline);
      if (failure == ServeFailure::kNotLeader) continue;
      out.route.provenance = RouteProvenance::kLocal;
      if (failure == ServeFailure::kNone) {
        counters_.served_locally.fetch_add(1, std::memory_order_relaxed);
        out.reply = std::move(reply);
      } else if (failure == ServeFailure::kRetry) {
        counters_.must_retry.fetch_add(1, std::memory_order_relaxed);
        out.reply = must_retry;
      } else {
        out.reply = failed;
      }
      co_return out;
    }
    if (target.leader == 0 || options.forwarded) break;
    std::optional<Routed<Reply>> remote = co_await forward(target.leader);
    if (!remote) break;
    counters_.forwarded.fetch_add(1, std::memory_order_relaxed);
    out.reply = std::move(remote->reply);
    out.route.leader = remote->route.leader != 0 ? remote->route.leader : target.leader;
    out.route.provenance = RouteProvenance::kForwarded;
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

// A forward function for requests that cannot be forwarded.
template <class Reply>
asio::awaitable<std::optional<Routed<Reply>>> no_forward(std::uint64_t) {
  co_return std::nullopt;
}

}  // namespace kahuna
