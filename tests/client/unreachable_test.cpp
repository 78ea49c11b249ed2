// What a call returns when no node can be reached, or the client is gone.
#include <future>

#include <gtest/gtest.h>
#include <asio/post.hpp>

#include <kahuna/client/client.h>

#include "server_cluster.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

TEST(UnreachableTest, NoListeningNodeGivesUnreachableWithinTheDeadline) {
  ClientOptions options;
  options.endpoints = {"127.0.0.1:" + std::to_string(free_port())};
  options.call_deadline = 500ms;
  Client client(options);
  const auto started = std::chrono::steady_clock::now();
  auto reply = client.get("any/key");
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, ErrorKind::kUnreachable) << reply.error().to_string();
  EXPECT_NE(reply.error().message.find("attempt"), std::string::npos) << reply.error().message;
  EXPECT_LT(took, 3s);
  EXPECT_GT(client.metrics().transport_failures, 0u);
}

TEST(UnreachableTest, AMalformedEndpointIsUnreachableToo) {
  ClientOptions options;
  options.endpoints = {"no-port-here"};
  options.call_deadline = 200ms;
  Client client(options);
  auto reply = client.cluster_status();
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, ErrorKind::kUnreachable);
  EXPECT_NE(reply.error().message.find("'no-port-here' is not an address"), std::string::npos)
      << reply.error().message;
}

TEST(UnreachableTest, CallsAfterShutdownFailClosed) {
  ClientOptions options;
  options.endpoints = {"127.0.0.1:" + std::to_string(free_port())};
  Client client(options);
  std::promise<void> done;
  asio::post(client.executor(), [&] {
    client.async().shutdown();
    done.set_value();
  });
  done.get_future().wait();
  auto reply = client.set("k", "v");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, ErrorKind::kClosed);
}

}  // namespace
}  // namespace kahuna::client::testing
