// HTTP/1.x transport behaviour: keep-alive, pipelining, Connection: close,
// HTTP/1.0, 100-continue, chunked bodies, idle timeouts, max_connections.
#include <thread>

#include "json_expect.h"
#include "plugin_fixture.h"

namespace kahuna::testing {
namespace {

using namespace std::chrono_literals;

class TransportTest : public HttpApiTest {};

TEST_F(TransportTest, KeepAliveServesManyRequestsOnOneConnection) {
  for (int i = 0; i < 50; ++i) {
    auto reply = client->post("/v1/kv/try-set", R"({"key":"ka/)" + std::to_string(i) + R"(","value":null})");
    ASSERT_EQ(reply.status, 200);
    EXPECT_TRUE(reply.keep_alive);
    EXPECT_EQ(reply.header("connection"), "keep-alive");
  }
}

TEST_F(TransportTest, PipelinedRequestsAreAnsweredInOrder) {
  std::string bytes;
  bytes += HttpTestClient::request_bytes("POST", "/v1/kv/try-set", R"({"key":"p/1","value":"YQ=="})");
  bytes += HttpTestClient::request_bytes("POST", "/v1/kv/try-get", R"({"key":"p/1"})");
  bytes += HttpTestClient::request_bytes("GET", "/nothing", "");
  bytes += HttpTestClient::request_bytes("POST", "/v1/kv/try-delete", R"({"key":"p/1"})");
  bytes += HttpTestClient::request_bytes("POST", "/v1/kv/try-get", R"({"key":"p/1"})");
  client->send_raw(bytes);
  auto set = client->read_reply();
  auto get = client->read_reply();
  auto missing_path = client->read_reply();
  auto deleted = client->read_reply();
  auto gone = client->read_reply();
  ASSERT_TRUE(set && get && missing_path && deleted && gone);
  EXPECT_EQ(int_of(set->json(), "type"), 0);
  EXPECT_EQ(string_of(get->json(), "value"), "YQ==");
  EXPECT_EQ(missing_path->status, 404);
  EXPECT_EQ(int_of(deleted->json(), "type"), 4);
  EXPECT_EQ(int_of(gone->json(), "type"), 103);
}

TEST_F(TransportTest, PipelinedBytesSplitAnywhereStillParse) {
  const std::string bytes =
      HttpTestClient::request_bytes("POST", "/v1/kv/try-set", R"({"key":"s/1","value":"YQ=="})") +
      HttpTestClient::request_bytes("POST", "/v1/kv/try-get", R"({"key":"s/1"})");
  for (char c : bytes) {
    client->send_raw(std::string(1, c));
  }
  auto first = client->read_reply();
  auto second = client->read_reply();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(string_of(second->json(), "value"), "YQ==");
}

TEST_F(TransportTest, ConnectionCloseIsHonoured) {
  client->send_raw(
      HttpTestClient::request_bytes("POST", "/v1/kv/try-get", R"({"key":"a"})", "Connection: close\r\n"));
  auto reply = client->read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->header("connection"), "close");
  EXPECT_TRUE(client->closed_within(5s));
}

TEST_F(TransportTest, Http10ClosesUnlessAskedToKeepAlive) {
  client->send_raw("GET /health HTTP/1.0\r\n\r\n");
  auto reply = client->read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_TRUE(client->closed_within(5s));

  HttpTestClient kept(host.port());
  kept.send_raw("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  auto first = kept.read_reply();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->header("connection"), "keep-alive");
  kept.send_raw(
      "POST /v1/kv/try-get HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 11\r\n\r\n{\"key\":\"a\"}");
  auto second = kept.read_reply();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200);
}

TEST_F(TransportTest, ExpectContinueGetsAnInterimResponse) {
  const std::string body = R"({"key":"ec/1","value":"YQ=="})";
  client->send_raw("POST /v1/kv/try-set HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n\r\n");
  // read_reply() skips the interim 100; with no body sent yet it must time out.
  EXPECT_FALSE(client->read_reply(300ms));
  client->send_raw(body);
  auto reply = client->read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(int_of(reply->json(), "type"), 0);
}

TEST_F(TransportTest, ChunkedBodiesWork) {
  client->send_raw(
      "POST /v1/kv/try-set HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\n{\"key\r\n18\r\n\":\"ch/1\",\"value\":\"YQ==\"}\r\n0\r\n\r\n");
  auto reply = client->read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200) << reply->body;
  EXPECT_EQ(int_of(reply->json(), "type"), 0);
}

TEST_F(TransportTest, StopClosesOpenConnections) {
  EXPECT_EQ(client->get("/health").status, 200);
  host.shut_down();
  EXPECT_TRUE(client->closed_within(5s));
}

class IdleTimeoutTest : public HttpApiTest {
 protected:
  std::string extra_options() const override { return "idle_timeout_ms = 300\n"; }
};

TEST_F(IdleTimeoutTest, IdleKeepAliveConnectionsAreClosed) {
  EXPECT_EQ(client->get("/health").status, 200);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(client->closed_within(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
}

TEST_F(IdleTimeoutTest, ClientsStuckMidRequestAreClosedEvenWhenTheyDribble) {
  client->send_raw("POST /v1/kv/try-set HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
  const auto started = std::chrono::steady_clock::now();
  bool closed = false;
  while (std::chrono::steady_clock::now() - started < 5s) {
    client->send_raw(" ");  // one byte every 50 ms never completes the body
    if (client->closed_within(50ms)) {
      closed = true;
      break;
    }
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST_F(IdleTimeoutTest, BusyConnectionsStayOpen) {
  for (int i = 0; i < 8; ++i) {
    std::this_thread::sleep_for(100ms);
    ASSERT_EQ(client->get("/health").status, 200) << i;
  }
}

class MaxConnectionsTest : public HttpApiTest {
 protected:
  std::string extra_options() const override { return "max_connections = 2\n"; }
};

TEST_F(MaxConnectionsTest, ConnectionsBeyondTheLimitGet503) {
  EXPECT_EQ(client->get("/health").status, 200);
  auto second = std::make_unique<HttpTestClient>(host.port());
  EXPECT_EQ(second->get("/health").status, 200);
  HttpTestClient third(host.port());
  third.send_raw(HttpTestClient::request_bytes("GET", "/health", ""));
  auto refused = third.read_reply();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_TRUE(refused->json().IsObject());
  EXPECT_TRUE(third.closed_within(5s));

  // A slot frees when a client leaves.
  second.reset();
  bool served = false;
  for (int attempt = 0; attempt < 50 && !served; ++attempt) {
    HttpTestClient fourth(host.port());
    fourth.send_raw(HttpTestClient::request_bytes("GET", "/health", ""));
    auto reply = fourth.read_reply();
    served = reply && reply->status == 200;
    if (!served) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(served);
}

}  // namespace
}  // namespace kahuna::testing
