// Populating keys in batches written by several coroutines at once, the
// way both drivers fill the key space before a run.
#pragma once

#include <algorithm>
#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "async_latch.h"
#include "outcome.h"

namespace kahuna::bench {

// Cuts keys [first, first + count) into batches of `batch_size` and has
// `streams` coroutines on `executor` write them, stream s taking batches s,
// s + streams, ... with `co_await write_batch(s, begin, end)`, which returns
// an Outcome. The result is the first failed batch's outcome; once a batch
// failed, no stream starts another.
template <class WriteBatch>
asio::awaitable<Outcome> populate_in_batches(asio::any_io_executor executor, std::uint64_t first,
                                             std::uint64_t count, std::uint64_t batch_size,
                                             std::size_t streams, WriteBatch write_batch) {
  const std::uint64_t batches = (count + batch_size - 1) / batch_size;
  AsyncLatch latch(executor);
  Outcome result = Outcome::success(label::kSet);
  for (std::size_t stream = 0; stream < streams && stream < batches; ++stream) {
    latch.add();
    asio::co_spawn(
        executor,
        [&, stream]() -> asio::awaitable<void> {
          for (std::uint64_t batch = stream; batch < batches && result.ok; batch += streams) {
            const std::uint64_t begin = first + batch * batch_size;
            const std::uint64_t end = std::min(first + count, begin + batch_size);
            Outcome written = co_await write_batch(stream, begin, end);
            if (!written.ok && result.ok) result = std::move(written);
          }
          latch.done();
        },
        asio::detached);
  }
  co_await latch.wait();
  co_return result;
}

}  // namespace kahuna::bench
