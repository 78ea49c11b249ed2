// gather: runs one coroutine per item concurrently and collects their
// results in the items' order — how a batch reaches several partitions at
// once instead of one after the other.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/concurrent_channel.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna {

// `run(item)` must return asio::awaitable<Result> and must not throw.
template <class Result, class Item, class Run>
asio::awaitable<std::vector<Result>> gather(std::vector<Item> items, Run run) {
  std::vector<Result> results(items.size());
  if (items.empty()) co_return results;
  auto executor = co_await asio::this_coro::executor;
  struct Shared {
    explicit Shared(asio::any_io_executor e, std::size_t n) : done(std::move(e), 1), left(n) {}
    asio::experimental::concurrent_channel<void(std::error_code, bool)> done;
    std::atomic<std::size_t> left;
  };
  auto shared = std::make_shared<Shared>(executor, items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    asio::co_spawn(
        executor,
        [&results, &items, &run, shared, i]() -> asio::awaitable<void> {
          results[i] = co_await run(std::move(items[i]));
          if (shared->left.fetch_sub(1) == 1) shared->done.try_send(std::error_code{}, true);
        },
        asio::detached);
  }
  // `results`, `items` and `run` live in this frame until every item is done.
  co_await shared->done.async_receive(asio::use_awaitable);
  co_return results;
}

}  // namespace kahuna
