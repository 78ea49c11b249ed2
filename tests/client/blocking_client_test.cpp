// The blocking Client: many threads at once, one connection underneath.
#include <atomic>
#include <future>
#include <thread>

#include <asio/post.hpp>

#include "single_node.h"

namespace kahuna::client::testing {
namespace {

class BlockingClientTest : public SingleNodeTest {};

TEST_F(BlockingClientTest, ManyThreadsShareOneClient) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t, &failures] {
      for (int i = 0; i < 50; ++i) {
        const std::string key = "threads/" + std::to_string(t) + "-" + std::to_string(i);
        auto set = client().set(key, std::to_string(i));
        auto get = client().get(key);
        if (!set || set->code != KvCode::kSet || !get ||
            get->value != std::optional<std::string>(std::to_string(i))) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const ClientMetrics metrics = client().metrics();
  EXPECT_EQ(metrics.connections_opened, 1u) << "one connection per node";
  EXPECT_EQ(metrics.forwarded_replies, 0u);
  EXPECT_EQ(metrics.transport_failures, 0u);
}

TEST_F(BlockingClientTest, ABlockingCallOnTheClientsOwnThreadIsRefused) {
  std::promise<Result<KvResult>> seen;
  asio::post(client().executor(), [this, &seen] { seen.set_value(client().get("threads/x")); });
  auto result = seen.get_future().get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kInvalidArgument);
}

}  // namespace
}  // namespace kahuna::client::testing
