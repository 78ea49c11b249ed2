// The coroutine API: many calls in flight on one connection, lock handles
// released with co_await.
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/use_future.hpp>

#include <kahuna/client/async_client.h>

#include "single_node.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

class AsyncClientTest : public SingleNodeTest {
 protected:
  // Runs `body` on the client's thread and waits for it.
  template <class F>
  void run(F body) {
    asio::co_spawn(client().executor(), std::move(body), asio::use_future).get();
  }
};

asio::awaitable<void> set_one(AsyncClient& client, int i, int& done) {
  std::string key = "pipelined/" + std::to_string(i);
  std::optional<std::string> value = std::to_string(i);
  SetOptions options;
  auto reply = co_await client.set(std::move(key), std::move(value), std::move(options));
  if (reply && reply->code == KvCode::kSet) ++done;
}

TEST_F(AsyncClientTest, ManyCallsInFlightShareOneConnection) {
  int done = 0;
  constexpr int kCalls = 300;
  run([this, &done]() -> asio::awaitable<void> {
    AsyncClient& async = client().async();
    // Start them all before any completes: they are pipelined on one connection.
    for (int i = 0; i < kCalls; ++i)
      asio::co_spawn(async.executor(), set_one(async, i, done), asio::detached);
    co_return;
  });
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    int seen = 0;
    run([&seen, &done]() -> asio::awaitable<void> {
      seen = done;
      co_return;
    });
    if (seen == kCalls) break;
    std::this_thread::sleep_for(20ms);
  }
  int finished = 0;
  run([&finished, &done]() -> asio::awaitable<void> {
    finished = done;
    co_return;
  });
  EXPECT_EQ(finished, kCalls);
  EXPECT_EQ(client().metrics().connections_opened, 1u);
}

TEST_F(AsyncClientTest, LockHandleReleasedWithCoAwait) {
  run([this]() -> asio::awaitable<void> {
    AsyncClient& async = client().async();
    std::string resource = "async/lock";
    LockHandleOptions options;
    auto handle = co_await async.lock(std::move(resource), 5s, 0ms, std::move(options));
    EXPECT_TRUE(handle && handle->owns_lock());
    if (!handle) co_return;
    std::string again = "async/lock";
    LockOptions lock_options;
    auto info = co_await async.get_lock(std::move(again), lock_options);
    EXPECT_TRUE(info && info->code == LockCode::kGot);
    auto released = co_await handle->async_release();
    EXPECT_TRUE(released && released->code == LockCode::kUnlocked);
  });
  EXPECT_EQ(client().get_lock("async/lock")->code, LockCode::kLockDoesNotExist);
}

TEST_F(AsyncClientTest, AnAsyncHandleDroppedWithoutReleaseUnlocksSoonAfter) {
  run([this]() -> asio::awaitable<void> {
    std::string resource = "async/dropped";
    LockHandleOptions options;
    auto handle = co_await client().async().lock(std::move(resource), 5s, 0ms, std::move(options));
    EXPECT_TRUE(handle && handle->owns_lock());
  });  // destroyed on the client's thread: the unlock is started, not awaited
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  LockCode code = LockCode::kGot;
  while (std::chrono::steady_clock::now() < deadline) {
    code = client().get_lock("async/dropped")->code;
    if (code == LockCode::kLockDoesNotExist) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(code, LockCode::kLockDoesNotExist);
}

}  // namespace
}  // namespace kahuna::client::testing
