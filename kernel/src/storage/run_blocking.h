// run_blocking: runs work that may block (disk reads and writes, syncs) on a
// thread meant for it, and resumes the calling coroutine on its own executor
// with the result, so no io thread waits on the disk.
#pragma once

#include <type_traits>
#include <utility>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/bind_executor.hpp>
#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna {

template <class Work>
asio::awaitable<std::invoke_result_t<Work&>> run_blocking(asio::any_io_executor blocking_executor,
                                                          Work work) {
  const asio::any_io_executor home = co_await asio::this_coro::executor;
  // Named tokens: temporaries with destructors inside co_await expressions
  // trip GCC 12's coroutine code generation.
  auto to_blocking_thread = asio::bind_executor(blocking_executor, asio::use_awaitable);
  co_await asio::post(std::move(to_blocking_thread));
  auto result = work();
  auto back_home = asio::bind_executor(home, asio::use_awaitable);
  co_await asio::post(std::move(back_home));
  co_return result;
}

}  // namespace kahuna
