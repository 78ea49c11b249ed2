// gather: runs awaitables concurrently on one executor and waits for all of
// them; results come back in the tasks' order.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna::client::detail {

// T must be default-constructible: a task that ends by an exception leaves T().
template <class T>
asio::awaitable<std::vector<T>> gather(asio::any_io_executor executor,
                                       std::vector<asio::awaitable<T>> tasks) {
  struct State {
    State(const asio::any_io_executor& executor, std::size_t count)
        : all_done(executor, asio::steady_timer::time_point::max()), results(count), left(count) {}
    asio::steady_timer all_done;  // cancelled when the last task completes
    std::vector<T> results;
    std::size_t left;
  };
  auto state = std::make_shared<State>(executor, tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    asio::co_spawn(executor, std::move(tasks[i]), [state, i](std::exception_ptr, T value) {
      state->results[i] = std::move(value);
      if (--state->left == 0) state->all_done.cancel();
    });
  }
  while (state->left > 0) {
    std::error_code ignored;
    co_await state->all_done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return std::move(state->results);
}

}  // namespace kahuna::client::detail
