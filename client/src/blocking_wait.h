// Running one AsyncClient call from another thread and waiting for its
// result: the blocking API's only way into the client's executor.
#pragma once

#include <exception>
#include <thread>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/use_future.hpp>

#include <kahuna/client/result.h>

namespace kahuna::client::detail {

// Runs `call` on `executor`, whose one thread is `io_thread`, and waits for
// its result. Refused on that thread itself: it would wait for itself.
template <class T>
Result<T> wait_on(const asio::any_io_executor& executor, std::thread::id io_thread,
                  asio::awaitable<Result<T>> call) {
  if (std::this_thread::get_id() == io_thread) {
    return Error{ErrorKind::kInvalidArgument, "a blocking call was made on the client's own thread"};
  }
  try {
    return asio::co_spawn(executor, std::move(call), asio::use_future).get();
  } catch (const std::exception& e) {
    return Error{ErrorKind::kClosed, e.what()};
  }
}

}  // namespace kahuna::client::detail
