// The contract the SDK's retries rest on, checked against a real node: a
// write resent with the same request id gets its first apply's reply and is
// not applied again (protocol.md §3.1). The requests go out raw, one
// connection each, so that the test picks the ids and resends at will, as
// the SDK does after a lost reply.
#include <gtest/gtest.h>

#include "single_node.h"
#include "test_client.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t kClient = 0x5eed0000c0ffee01ull;

class RequestIdServerTest : public SingleNodeTest {
 protected:
  // Sends `body` with request id (kClient, sequence) on a new connection
  // and returns the reply.
  static wire::Response send(const wire::RequestBody& body, std::uint64_t sequence) {
    binary_protocol::testing::TestClient raw(server_->endpoints().front());
    wire::Request request{body, {}};
    request.settings.request_id = RequestId{kClient, sequence, 0};
    EXPECT_TRUE(raw.send(sequence, request));
    auto reply = raw.receive();
    EXPECT_TRUE(reply.has_value()) << "no reply";
    return reply ? reply->response : wire::Response{};
  }
  static KvReply kv(const wire::RequestBody& body, std::uint64_t sequence) {
    return std::get<Routed<KvReply>>(send(body, sequence)).reply;
  }
  static LockReply lock(const wire::RequestBody& body, std::uint64_t sequence) {
    return std::get<Routed<LockReply>>(send(body, sequence)).reply;
  }
  static SequenceReply sequence_reply(const wire::RequestBody& body, std::uint64_t sequence) {
    return std::get<Routed<SequenceReply>>(send(body, sequence)).reply;
  }
};

KvSetRequest set_if_absent(std::string key, std::string value) {
  KvSetRequest set;
  set.key = std::move(key);
  set.value = std::move(value);
  set.flags = KvSetFlag::kSetIfNotExists;
  set.durability = Durability::kPersistent;
  return set;
}

TEST_F(RequestIdServerTest, AResentConditionalSetReportsItsFirstRun) {
  const wire::RequestBody body = wire::KvSet{set_if_absent("dedup/set", "first")};
  const KvReply first = kv(body, 101);
  ASSERT_EQ(first.code, KvCode::kSet);
  const KvReply resent = kv(body, 101);
  EXPECT_EQ(resent.code, KvCode::kSet) << "answered from the first apply, not run again";
  EXPECT_EQ(resent.revision, first.revision);
  EXPECT_EQ(kv(body, 102).code, KvCode::kNotSet) << "a new id runs again";
  auto stored = client().get("dedup/set");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->revision, first.revision);
}

TEST_F(RequestIdServerTest, AResentUnlockDeleteAndCreateReportTheirFirstRun) {
  const LockRequest held{"dedup/lock", "owner", 30000, Durability::kPersistent};
  ASSERT_EQ(lock(wire::TryLock{held}, 201).code, LockCode::kLocked);
  const wire::RequestBody unlock =
      wire::Unlock{LockRequest{"dedup/lock", "owner", 0, Durability::kPersistent}};
  EXPECT_EQ(lock(unlock, 202).code, LockCode::kUnlocked);
  EXPECT_EQ(lock(unlock, 202).code, LockCode::kUnlocked);
  EXPECT_EQ(lock(unlock, 203).code, LockCode::kLockDoesNotExist);

  ASSERT_TRUE(client().set("dedup/delete", "x"));
  const wire::RequestBody remove = wire::KvDelete{KvKeyRequest{"dedup/delete", Durability::kPersistent}};
  EXPECT_EQ(kv(remove, 204).code, KvCode::kDeleted);
  EXPECT_EQ(kv(remove, 204).code, KvCode::kDeleted);
  EXPECT_EQ(kv(remove, 205).code, KvCode::kDoesNotExist);

  SequenceCreateRequest create;
  create.name = "dedup-sequence";
  const wire::RequestBody created = wire::SequenceCreate{create};
  EXPECT_EQ(sequence_reply(created, 206).code, SequenceCode::kSuccess);
  EXPECT_EQ(sequence_reply(created, 206).code, SequenceCode::kSuccess);
  EXPECT_EQ(sequence_reply(created, 207).code, SequenceCode::kAlreadyExists);
}

TEST_F(RequestIdServerTest, AResentBatchAnswersEveryRowFromItsFirstRun) {
  // What the SDK relies on when it resends a batch whole after an unknown row.
  const wire::RequestBody body =
      wire::KvSetMany{{set_if_absent("dedup/row1", "a"), set_if_absent("dedup/row2", "b")}};
  const auto first = std::get<std::vector<Routed<KvReply>>>(send(body, 301));
  ASSERT_EQ(first.size(), 2u);
  const auto resent = std::get<std::vector<Routed<KvReply>>>(send(body, 301));
  ASSERT_EQ(resent.size(), 2u);
  for (std::size_t row = 0; row < 2; ++row) {
    SCOPED_TRACE(row);
    EXPECT_EQ(first[row].reply.code, KvCode::kSet);
    EXPECT_EQ(resent[row].reply.code, KvCode::kSet);
    EXPECT_EQ(resent[row].reply.revision, first[row].reply.revision);
  }
  const auto again = std::get<std::vector<Routed<KvReply>>>(send(body, 302));
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].reply.code, KvCode::kNotSet);
  EXPECT_EQ(again[1].reply.code, KvCode::kNotSet);
}

}  // namespace
}  // namespace kahuna::client::testing
