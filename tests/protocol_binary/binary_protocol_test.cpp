// The binary protocol plugin, loaded from its .so, serving a FakeKernel over
// 127.0.0.1.
#include <algorithm>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include <kahuna/wire/codec.h>

#include "plugin_fixture.h"
#include "sample_messages.h"
#include "test_client.h"

namespace kahuna::binary_protocol::testing {
namespace {

using namespace std::chrono_literals;

std::string body_bytes(const wire::RequestBody& body) {
  std::string out;
  EXPECT_TRUE(wire::encode_request_body(wire::Request{body, {}}, out).is_ok());
  return out;
}

std::string response_bytes(const wire::Response& response) {
  std::string out;
  EXPECT_TRUE(wire::encode_response_body(response, out).is_ok());
  return out;
}

// The KernelApi method each opcode must reach, and the call it must make.
std::string expected_method(wire::Opcode opcode) {
  if (opcode == wire::Opcode::kSequenceNext) return "sequence_reserve";
  if (opcode == wire::Opcode::kTryExtendLock) return "try_extend";
  return std::string(wire::to_string(opcode));
}

wire::RequestBody expected_call(const wire::RequestBody& sent) {
  if (const auto* next = std::get_if<wire::SequenceNext>(&sent)) {
    return wire::SequenceReserve{SequenceReserveRequest{next->name, 1, next->idempotency_key}};
  }
  return sent;
}

wire::Request try_lock(std::int64_t expires_ms, std::string resource = "r") {
  return wire::Request{
      wire::TryLock{LockRequest{std::move(resource), "owner", expires_ms, Durability::kEphemeral}}, {}};
}

// Sends try_lock(id) as request `id` on `client` and waits for a reply.
::testing::AssertionResult answers(TestClient& client, std::uint64_t id) {
  if (!client.send(id, try_lock(static_cast<std::int64_t>(id)))) {
    return ::testing::AssertionFailure() << "request " << id << " was not sent";
  }
  if (!client.receive().has_value())
    return ::testing::AssertionFailure() << "request " << id << " got no reply";
  return ::testing::AssertionSuccess();
}

// Server options with just `max_connections` set.
toml::table max_connections(int connections) {
  toml::table options;
  options.insert("max_connections", connections);
  return options;
}

class BinaryProtocolTest : public PluginFixture {};

TEST_F(BinaryProtocolTest, EveryOpcodeReachesItsKernelMethodWithItsFields) {
  start();
  TestClient client(endpoint());
  ASSERT_TRUE(client.connected());
  const std::vector<wire::Request> requests = wire::testing::sample_requests();
  std::uint64_t id = 1000;
  for (const wire::Request& request : requests) {
    const wire::Opcode opcode = wire::opcode_of(request.body);
    SCOPED_TRACE(std::string(wire::to_string(opcode)));
    const std::size_t calls_before = kernel_.call_count();
    ASSERT_TRUE(client.send(++id, request));
    const auto reply = client.receive();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->header.request_id, id);
    EXPECT_EQ(static_cast<wire::Opcode>(reply->header.opcode), wire::reply_opcode_for(opcode));

    const auto calls = kernel_.calls();
    ASSERT_EQ(calls.size(), calls_before + 1);
    const FakeKernel::Call& call = calls.back();
    EXPECT_EQ(call.method, expected_method(opcode));
    EXPECT_EQ(body_bytes(call.body), body_bytes(expected_call(request.body)));
    if (opcode != wire::Opcode::kClusterStatus) {  // not awaitable: takes no options
      const auto timeout =
          request.settings.timeout_ms == 0 ? 5000ms : std::chrono::milliseconds(request.settings.timeout_ms);
      EXPECT_EQ(call.options.timeout, timeout);
      EXPECT_EQ(call.options.consistency, request.settings.consistency);
      EXPECT_EQ(call.options.forwarded, request.settings.forwarded);
      EXPECT_EQ(call.options.request_id, request.settings.request_id);  // the same id on every resend
    }

    // The reply is the kernel's, unchanged.
    std::string expected;
    switch (wire::reply_opcode_for(opcode)) {
      case wire::Opcode::kLockReply: {
        Routed<LockReply> lock = kernel_.lock_reply;
        lock.reply.fencing_token = std::visit(
            [](const auto& c) -> std::int64_t {
              if constexpr (requires { c.request.expires_ms; }) return c.request.expires_ms;
              return 0;
            },
            request.body);
        expected = response_bytes(lock);
        break;
      }
      case wire::Opcode::kKvReply: expected = response_bytes(kernel_.kv_reply); break;
      case wire::Opcode::kKvBatchReply: expected = response_bytes(kernel_.batch_reply); break;
      case wire::Opcode::kKvScanReply: expected = response_bytes(kernel_.scan_reply); break;
      case wire::Opcode::kKvRoutedScanReply: expected = response_bytes(kernel_.bucket_reply); break;
      case wire::Opcode::kKvRangeReply: expected = response_bytes(kernel_.range_reply); break;
      case wire::Opcode::kSequenceReply: expected = response_bytes(kernel_.sequence_reply); break;
      case wire::Opcode::kClusterStatusReply: expected = response_bytes(kernel_.status); break;
      case wire::Opcode::kClusterChangeReply: expected = response_bytes(kernel_.change_reply); break;
      case wire::Opcode::kTxReply: expected = response_bytes(kernel_.tx_reply); break;
      case wire::Opcode::kScriptReply: expected = response_bytes(kernel_.script_reply); break;
      case wire::Opcode::kTxSessionReply: expected = response_bytes(kernel_.tx_session_reply); break;
      default: FAIL() << "no reply kind";
    }
    EXPECT_EQ(reply->frame.substr(wire::kFrameHeaderSize), expected);
  }
  EXPECT_EQ(kernel_.call_count(), requests.size());
}

// The node that receives a cluster administration request serves it: each
// body reaches its method whole, and the change reply comes back field by
// field, the metadata version and message included.
TEST_F(BinaryProtocolTest, ClusterAdministrationRoundTripsFieldByField) {
  start();
  TestClient client(endpoint());
  ASSERT_TRUE(client.connected());
  const std::vector<std::pair<wire::RequestBody, std::string>> requests = {
      {wire::ClusterJoin{ClusterJoinRequest{{"10.0.0.1:7001", "[::1]:7002"}}}, "cluster_join"},
      {wire::ClusterLeave{ClusterMemberRequest{0}}, "cluster_leave"},
      {wire::ClusterRemove{ClusterMemberRequest{42}}, "cluster_remove"},
      {wire::SetReplicationFactor{ReplicationFactorRequest{3, 2}}, "set_replication_factor"},
  };
  std::uint64_t id = 0;
  for (const auto& [body, method] : requests) {
    SCOPED_TRACE(method);
    ASSERT_TRUE(client.send(++id, wire::Request{body, {}}));
    const auto reply = client.receive();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->header.request_id, id);
    EXPECT_EQ(static_cast<wire::Opcode>(reply->header.opcode), wire::Opcode::kClusterChangeReply);
    const auto* change = std::get_if<ClusterChangeReply>(&reply->response);
    ASSERT_NE(change, nullptr);
    EXPECT_EQ(change->code, ClusterCode::kRefused);
    EXPECT_EQ(change->metadata_version, 6u);
    EXPECT_EQ(change->message, "partition 1 would lose its quorum");
    const FakeKernel::Call call = kernel_.calls().back();
    EXPECT_EQ(call.method, method);
    EXPECT_EQ(body_bytes(call.body), body_bytes(body));
  }
  const auto calls = kernel_.calls();
  const auto& join = std::get<wire::ClusterJoin>(calls.front().body);
  EXPECT_EQ(join.request.seeds, (std::vector<std::string>{"10.0.0.1:7001", "[::1]:7002"}));
  const auto& factor = std::get<wire::SetReplicationFactor>(calls.back().body);
  EXPECT_EQ(factor.request.replication_factor, 3u);
  EXPECT_EQ(factor.request.partition, 2u);
}

// A route carries the metadata version the answering node had applied.
TEST_F(BinaryProtocolTest, RoutesCarryTheMetadataVersion) {
  start();
  TestClient client(endpoint());
  ASSERT_TRUE(client.send(1, try_lock(1000)));
  const auto reply = client.receive();
  ASSERT_TRUE(reply.has_value());
  const auto* lock = std::get_if<Routed<LockReply>>(&reply->response);
  ASSERT_NE(lock, nullptr);
  EXPECT_EQ(lock->route.metadata_version, 5u);
  EXPECT_EQ(lock->route.partition, 3u);
}

TEST_F(BinaryProtocolTest, HundredPipelinedRequestsCompleteOutOfOrderWithMatchingIds) {
  // Later requests answer sooner, so replies come back in reverse.
  kernel_.set_delay([](const wire::RequestBody& body) {
    return std::chrono::milliseconds(2 * (100 - std::get<wire::TryLock>(body).request.expires_ms));
  });
  start();
  TestClient client(endpoint());
  std::string burst;
  for (std::int64_t i = 0; i < 100; ++i) {
    ASSERT_TRUE(wire::encode_request(static_cast<std::uint64_t>(5000 + i), try_lock(i), burst).is_ok());
  }
  ASSERT_TRUE(client.send_raw(burst));  // one write: the server reads many frames at once

  std::vector<std::uint64_t> arrival;
  for (int i = 0; i < 100; ++i) {
    const auto reply = client.receive();
    ASSERT_TRUE(reply.has_value()) << "after " << i << " replies";
    const auto& lock = std::get<Routed<LockReply>>(reply->response);
    EXPECT_EQ(reply->header.request_id, 5000 + static_cast<std::uint64_t>(lock.reply.fencing_token));
    arrival.push_back(reply->header.request_id);
  }
  std::set<std::uint64_t> unique(arrival.begin(), arrival.end());
  EXPECT_EQ(unique.size(), 100u);
  EXPECT_FALSE(std::is_sorted(arrival.begin(), arrival.end())) << "replies were not reordered";
}

TEST_F(BinaryProtocolTest, GarbageGetsAnErrorReplyAndClosesOnlyThatConnection) {
  start();
  TestClient good(endpoint());
  ASSERT_TRUE(answers(good, 1));

  TestClient bad(endpoint());
  ASSERT_TRUE(bad.send_raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto error = bad.receive();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->header.request_id, 0u);
  EXPECT_EQ(std::get<wire::ErrorReply>(error->response).code, wire::ErrorCode::kMalformedFrame);
  EXPECT_TRUE(bad.wait_closed());

  ASSERT_TRUE(good.send(2, try_lock(2)));
  const auto reply = good.receive();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->header.request_id, 2u);
}

TEST_F(BinaryProtocolTest, OversizedFrameGetsAnErrorReplyAndClosesOnlyThatConnection) {
  toml::table options;
  options.insert("max_frame_bytes", 1024);
  start(options);
  TestClient good(endpoint());
  TestClient bad(endpoint());

  KvSetRequest big;
  big.key = "k";
  big.value = std::string(2000, 'x');
  std::string frame;
  ASSERT_TRUE(wire::encode_request(99, wire::Request{wire::KvSet{big}, {}}, frame).is_ok());
  bad.send_raw(frame);
  const auto error = bad.receive();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->header.request_id, 99u);
  EXPECT_EQ(std::get<wire::ErrorReply>(error->response).code, wire::ErrorCode::kFrameTooLarge);
  EXPECT_TRUE(bad.wait_closed());
  EXPECT_EQ(kernel_.call_count(), 0u);

  big.value = std::string(900, 'x');  // fits
  ASSERT_TRUE(good.send(100, wire::Request{wire::KvSet{big}, {}}));
  const auto reply = good.receive();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->header.request_id, 100u);
  EXPECT_TRUE(std::holds_alternative<Routed<KvReply>>(reply->response));
}

TEST_F(BinaryProtocolTest, UnservableFramesGetErrorRepliesAndTheConnectionStaysUsable) {
  start();
  TestClient client(endpoint());
  std::string body;
  ASSERT_TRUE(wire::encode_request_body(wire::Request{wire::GetClusterStatus{}, {}}, body).is_ok());
  const auto frame_with = [&](std::uint64_t id, std::uint16_t opcode, std::uint8_t version,
                              std::string_view b) {
    wire::FrameHeader header;
    header.request_id = id;
    header.opcode = opcode;
    header.version = version;
    header.body_size = static_cast<std::uint32_t>(b.size());
    std::string frame;
    wire::append_frame_header(frame, header);
    return frame + std::string(b);
  };
  const std::map<std::uint64_t, wire::ErrorCode> expected = {
      {1, wire::ErrorCode::kUnknownOpcode},
      {2, wire::ErrorCode::kUnsupportedVersion},
      {3, wire::ErrorCode::kMalformedBody},
      {4, wire::ErrorCode::kUnknownOpcode},
  };
  ASSERT_TRUE(client.send_raw(frame_with(1, 0x0777, wire::kProtocolVersion, body) +
                              frame_with(2, 0x0050, 7, body) +
                              frame_with(3, 0x0011, wire::kProtocolVersion, body) +  // kv_get with no key
                              frame_with(4, 0x8001, wire::kProtocolVersion, body)));
  for (int i = 0; i < 4; ++i) {
    const auto reply = client.receive();
    ASSERT_TRUE(reply.has_value());
    const auto& error = std::get<wire::ErrorReply>(reply->response);
    EXPECT_EQ(error.code, expected.at(reply->header.request_id)) << error.message;
    EXPECT_FALSE(error.message.empty());
  }
  ASSERT_TRUE(client.send(5, try_lock(5)));
  const auto reply = client.receive();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->header.request_id, 5u);
  EXPECT_EQ(kernel_.call_count(), 1u);
}

TEST_F(BinaryProtocolTest, TruncatedFrameThenCloseLeavesTheServerHealthy) {
  start();
  {
    TestClient client(endpoint());
    std::string frame;
    ASSERT_TRUE(wire::encode_request(1, try_lock(1), frame).is_ok());
    client.send_raw(std::string_view(frame).substr(0, frame.size() - 3));
  }  // closes mid-frame
  TestClient next(endpoint());
  ASSERT_TRUE(answers(next, 2));
}

TEST_F(BinaryProtocolTest, MaxConnectionsIsEnforced) {
  start(max_connections(2));
  TestClient first(endpoint());
  TestClient second(endpoint());
  // A reply proves the server has registered each connection.
  ASSERT_TRUE(answers(first, 1));
  ASSERT_TRUE(answers(second, 2));

  TestClient third(endpoint());
  EXPECT_TRUE(third.wait_closed());

  ASSERT_TRUE(answers(first, 3));
}

TEST_F(BinaryProtocolTest, ClosedConnectionFreesItsSlot) {
  start(max_connections(1));
  {
    TestClient first(endpoint());
    ASSERT_TRUE(answers(first, 1));
  }
  // The server notices the close asynchronously: retry briefly.
  for (int attempt = 0; attempt < 100; ++attempt) {
    TestClient next(endpoint());
    if (next.send(2, try_lock(2)) && next.receive(1s).has_value()) return;
    std::this_thread::sleep_for(10ms);
  }
  FAIL() << "the slot of a closed connection was never freed";
}

TEST_F(BinaryProtocolTest, AtMaxInflightTheConnectionStopsReadingUntilRepliesDrain) {
  toml::table options;
  options.insert("max_inflight_per_connection", 2);
  start(options);
  kernel_.hold();
  TestClient client(endpoint());
  std::string burst;
  for (std::uint64_t i = 1; i <= 5; ++i) ASSERT_TRUE(wire::encode_request(i, try_lock(1), burst).is_ok());
  ASSERT_TRUE(client.send_raw(burst));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(kernel_.call_count(), 2u) << "requests beyond the in-flight limit were started";
  kernel_.release();
  std::set<std::uint64_t> ids;
  for (int i = 0; i < 5; ++i) {
    const auto reply = client.receive();
    ASSERT_TRUE(reply.has_value());
    EXPECT_TRUE(std::holds_alternative<Routed<LockReply>>(reply->response)) << "backpressure is not an error";
    ids.insert(reply->header.request_id);
  }
  EXPECT_EQ(ids.size(), 5u);
  EXPECT_EQ(kernel_.call_count(), 5u);
}

TEST_F(BinaryProtocolTest, IdleConnectionIsClosedAfterTheIdleTimeout) {
  toml::table options;
  options.insert("idle_timeout_ms", 100);
  start(options);
  TestClient client(endpoint());
  ASSERT_TRUE(answers(client, 1));
  const auto before = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.wait_closed(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - before, 50ms);
}

TEST_F(BinaryProtocolTest, RequestInFlightKeepsAnIdleConnectionOpen) {
  toml::table options;
  options.insert("idle_timeout_ms", 50);
  start(options);
  kernel_.set_delay([](const wire::RequestBody&) { return 300ms; });
  TestClient client(endpoint());
  ASSERT_TRUE(client.send(1, try_lock(1)));
  const auto reply = client.receive();
  ASSERT_TRUE(reply.has_value()) << "closed while a request was running";
}

TEST_F(BinaryProtocolTest, StopClosesEveryConnectionAndTheListener) {
  start();
  TestClient client(endpoint());
  ASSERT_TRUE(answers(client, 1));
  const std::string address = endpoint();
  server_->stop();
  server_->stop();  // idempotent
  EXPECT_TRUE(client.wait_closed());
  TestClient late(address);
  EXPECT_TRUE(!late.connected() || late.wait_closed());
}

TEST_F(BinaryProtocolTest, DestructionWaitsForRequestsInFlight) {
  start();
  kernel_.set_delay([](const wire::RequestBody&) { return 300ms; });
  TestClient client(endpoint());
  ASSERT_TRUE(client.send(1, try_lock(1)));
  while (kernel_.call_count() == 0) std::this_thread::sleep_for(1ms);
  const auto before = std::chrono::steady_clock::now();
  server_.reset();  // with a connection open and a request in flight
  const auto took = std::chrono::steady_clock::now() - before;
  EXPECT_GE(took, 200ms) << "the request in flight was not waited for";
  EXPECT_LT(took, 5s);
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(BinaryProtocolTest, DestructionAbandonsRequestsStillRunningAfterTheGrace) {
  toml::table options;
  options.insert("shutdown_grace_ms", 100);
  start(options);
  kernel_.set_delay([](const wire::RequestBody&) { return 60s; });  // a kernel that never answers in time
  TestClient client(endpoint());
  ASSERT_TRUE(client.send(1, try_lock(1)));
  while (kernel_.call_count() == 0) std::this_thread::sleep_for(1ms);
  const auto before = std::chrono::steady_clock::now();
  server_.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
}

TEST_F(BinaryProtocolTest, DestroyedWithoutStartOrStop) {
  toml::table options;
  options.insert("listen", "127.0.0.1:0");
  ASSERT_TRUE(create(options).is_ok());
  server_.reset();
  ASSERT_TRUE(create(options).is_ok());
  server_->stop();
  EXPECT_FALSE(server_->start().is_ok()) << "a stopped server must not start";
  server_.reset();
}

TEST_F(BinaryProtocolTest, EndpointIsTheAdvertisedAddressOrTheBoundOne) {
  start();
  const std::string bound = endpoint();
  EXPECT_EQ(bound.rfind("127.0.0.1:", 0), 0u);
  EXPECT_NE(bound, "127.0.0.1:0");
  shut_down();

  toml::table options;
  options.insert("listen", "127.0.0.1:0");
  options.insert("advertise", "kahuna-1.example:7100");
  ASSERT_TRUE(create(options).is_ok());
  EXPECT_EQ(server_->endpoint(), "kahuna-1.example:7100");
}

TEST_F(BinaryProtocolTest, StartReportsAnAddressInUse) {
  start();
  const std::string taken = endpoint();
  PluginObject<ProtocolServer> second;
  toml::table options;
  options.insert("listen", taken);
  PluginContext context;
  context.options = &options;
  context.kernel = &kernel_;
  ASSERT_TRUE(plugin_.create(context, second).is_ok());
  const Status s = second->start();
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find(taken), std::string::npos) << s.message();
  second->stop();
}

}  // namespace
}  // namespace kahuna::binary_protocol::testing
