// Sessions over HTTP against the in-memory kernel (TRANSACTIONS.md §2): the
// life-cycle paths, the point verbs choosing their session form by a
// non-zero transactionId, and what reaches the kernel.
#include "contract_examples.h"
#include "json_expect.h"
#include "plugin_fixture.h"

namespace kahuna::testing {
namespace {

// A session's context, as start-tx-session would have named it.
constexpr const char* kSession =
    R"("transactionId":{"n":1,"l":1700000000000,"c":3},"coordinatorKey":"orders/1",)"
    R"("operationIdHigh":0,"operationIdLow":42)";
const HlcTimestamp kSessionId{1, 1700000000000, 3};

std::string in_session(const std::string& fields) { return std::string("{") + kSession + "," + fields + "}"; }
std::string outside(const std::string& fields) { return std::string("{") + kTx + "," + fields + "}"; }

class SessionApiTest : public HttpApiTest {
 protected:
  std::vector<std::string> methods() {
    std::vector<std::string> names;
    for (const auto& call : host.kernel.session_calls()) names.push_back(call.method);
    return names;
  }
  template <class Request>
  Request last_request() {
    const auto calls = host.kernel.session_calls();
    EXPECT_FALSE(calls.empty());
    if (calls.empty()) return Request{};
    const Request* request = std::get_if<Request>(&calls.back().request);
    EXPECT_NE(request, nullptr) << calls.back().method;
    return request != nullptr ? *request : Request{};
  }
  void expect_session_context(const TxContext& context) {
    EXPECT_EQ(context.transaction_id, kSessionId);
    EXPECT_EQ(context.coordinator_key, "orders/1");
    EXPECT_EQ(context.operation_id_high, 0u);
    EXPECT_EQ(context.operation_id_low, 42u);
  }
};

TEST_F(SessionApiTest, StartAnswersStartedWithANewTransactionId) {
  auto started = call("/v1/kv/start-tx-session",
                      R"({"coordinatorKey":"orders/1","timeout":3000,"lockingType":1,"readValidation":1,)"
                      R"("priority":2,"admissionWaitMs":0,"asyncRelease":false,"autoCommit":false,)"
                      R"("decisionDurability":0})");
  EXPECT_EQ(int_of(started, "type"), 0);
  EXPECT_EQ(string_of(started, "typeName"), "started");
  EXPECT_GT(int_of(started["transactionId"], "l"), 0);
  EXPECT_TRUE(is_null(started, "recordAnchorKey"));
  EXPECT_EQ(hlc_of(started, "holderTransactionId"), "0,0,0");
  EXPECT_EQ(string_of(started, "servedFrom"), "");
  EXPECT_EQ(int_of(started["route"], "partitionId"), FakeKernel::partition_of_name("orders/1"));
  const auto request = last_request<TxStartRequest>();
  EXPECT_EQ(request.coordinator_key, "orders/1");
  EXPECT_EQ(request.timeout_ms, 3000);
  EXPECT_EQ(request.locking, TxLocking::kOptimistic);
}

TEST_F(SessionApiTest, CommitAndRollbackCarryTheHandle) {
  auto committed = call("/v1/kv/commit-tx-session", in_session(R"("recordAnchorKey":null)"));
  EXPECT_EQ(int_of(committed, "type"), 8);
  EXPECT_EQ(string_of(committed, "typeName"), "committed");
  EXPECT_EQ(string_of(committed, "recordAnchorKey"), "orders/1");
  EXPECT_EQ(hlc_of(committed, "transactionId"), "1,1700000000000,3");
  const auto commit = last_request<TxEndRequest>();
  expect_session_context(commit.context);
  EXPECT_FALSE(commit.record_anchor_key.has_value());

  auto rolled_back = call("/v1/kv/rollback-tx-session", in_session(R"("recordAnchorKey":"orders/9")"));
  EXPECT_EQ(int_of(rolled_back, "type"), 9);
  EXPECT_EQ(string_of(rolled_back, "typeName"), "rolledBack");
  EXPECT_EQ(last_request<TxEndRequest>().record_anchor_key, std::optional<std::string>("orders/9"));
  EXPECT_EQ(methods(), (std::vector<std::string>{"tx_commit", "tx_rollback"}));
}

TEST_F(SessionApiTest, AnUnknownCommitOutcomeIsMustRetryWithTheAnchor) {
  host.kernel.set_session_reply(
      TxSessionReply{.code = KvCode::kOutcomeUnknown, .record_anchor_key = "orders/1", .reason = "timeout"});
  auto reply = call("/v1/kv/commit-tx-session", in_session(R"("recordAnchorKey":null)"));
  EXPECT_EQ(int_of(reply, "type"), 101);
  EXPECT_EQ(string_of(reply, "typeName"), "mustRetry");
  EXPECT_EQ(string_of(reply, "recordAnchorKey"), "orders/1");
  EXPECT_NE(string_of(reply, "reason").find("retry the commit with the same handle"), std::string::npos);

  host.kernel.set_session_reply(TxSessionReply{.code = KvCode::kAborted, .reason = "a key it read changed"});
  auto aborted = call("/v1/kv/commit-tx-session", in_session(R"("recordAnchorKey":"orders/1")"));
  EXPECT_EQ(int_of(aborted, "type"), 102);
  EXPECT_EQ(string_of(aborted, "typeName"), "aborted");
  EXPECT_EQ(string_of(aborted, "reason"), "a key it read changed");
}

TEST_F(SessionApiTest, ExclusiveLock) {
  auto locked = call("/v1/kv/try-acquire-exclusive-lock",
                     in_session(R"("key":"orders/7","expiresMs":5000,"durability":1)"));
  EXPECT_EQ(int_of(locked, "type"), 5);
  EXPECT_EQ(string_of(locked, "typeName"), "locked");
  const auto request = last_request<TxLockRequest>();
  expect_session_context(request.context);
  EXPECT_EQ(request.key, "orders/7");
  EXPECT_EQ(request.expires_ms, 5000);
  EXPECT_EQ(request.durability, Durability::kPersistent);

  host.kernel.set_session_reply(TxSessionReply{.code = KvCode::kAlreadyLocked, .holder = {2, 99, 1}});
  auto held = call("/v1/kv/try-acquire-exclusive-lock", in_session(R"("key":"orders/7","durability":1)"));
  EXPECT_EQ(int_of(held, "type"), 104);
  EXPECT_EQ(string_of(held, "typeName"), "alreadyLocked");
  EXPECT_EQ(hlc_of(held, "holderTransactionId"), "2,99,1");
}

TEST_F(SessionApiTest, RuleBreaksAnswerInvalidInputWithAReasonAndReachNoKernel) {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"/v1/kv/start-tx-session", R"({"timeout":100})", "coordinatorKey is required"},
      {"/v1/kv/start-tx-session", R"({"coordinatorKey":"k","lockingType":3})", "lockingType"},
      {"/v1/kv/start-tx-session", R"({"coordinatorKey":"k","readValidation":2})", "readValidation"},
      {"/v1/kv/start-tx-session", R"({"coordinatorKey":"k","readValidation":1,"readTimestamp":{"l":1}})",
       "readTimestamp"},
      {"/v1/kv/commit-tx-session", outside(R"("recordAnchorKey":null)"), "transactionId is required"},
      {"/v1/kv/commit-tx-session", R"({"coordinatorKey":"orders/1"})", "transactionId is required"},
      {"/v1/kv/rollback-tx-session", R"({"transactionId":{"n":1,"l":2,"c":3}})",
       "coordinatorKey is required"},
      {"/v1/kv/try-acquire-exclusive-lock", in_session(R"("key":"")"), "key is required"},
      {"/v1/kv/try-acquire-exclusive-lock", R"({"transactionId":{"n":1,"l":2,"c":3},"key":"k"})",
       "coordinatorKey is required"},
  };
  for (const auto& [path, body, reason] : cases) {
    auto reply = call(path, body);
    EXPECT_EQ(int_of(reply, "type"), 100) << path << " " << body;
    EXPECT_EQ(string_of(reply, "typeName"), "invalidInput");
    EXPECT_NE(string_of(reply, "reason").find(reason), std::string::npos) << path << " " << to_json(reply);
    EXPECT_TRUE(is_null(reply, "route"));
  }
  EXPECT_TRUE(host.kernel.session_calls().empty());
}

TEST_F(SessionApiTest, FieldsOfTheWrongTypeAre400) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/v1/kv/start-tx-session", R"({"coordinatorKey":7})"},
      {"/v1/kv/start-tx-session", R"({"coordinatorKey":"k","timeout":"1s"})"},
      {"/v1/kv/start-tx-session", R"({"coordinatorKey":"k","lockingType":"optimistic"})"},
      {"/v1/kv/start-tx-session", R"({"coordinatorKey":"k","readTimestamp":"now"})"},
      {"/v1/kv/start-tx-session", R"([])"},
      {"/v1/kv/commit-tx-session", in_session(R"("recordAnchorKey":{})")},
      {"/v1/kv/commit-tx-session", R"({"transactionId":[1],"coordinatorKey":"k"})"},
      {"/v1/kv/rollback-tx-session",
       R"({"transactionId":{"n":1,"l":2,"c":3},"coordinatorKey":"k","operationIdHigh":"1"})"},
      {"/v1/kv/try-acquire-exclusive-lock", in_session(R"("key":"k","expiresMs":true)")},
      {"/v1/kv/try-set", in_session(R"("key":"k","value":12)")},
      {"/v1/kv/try-get", in_session(R"("key":"k","revision":"latest")")},
      {"/v1/kv/try-get", R"({"transactionId":"abc","key":"k"})"},
      {"/v1/kv/get-by-bucket", in_session(R"("prefixKey":5)")},
      {"/v1/kv/try-delete-many", in_session(R"("items":[1])")},
  };
  for (const auto& [path, body] : cases) {
    const HttpReply reply = client->post(path, body);
    EXPECT_EQ(reply.status, 400) << path << " " << body << " -> " << reply.body;
  }
  EXPECT_TRUE(host.kernel.session_calls().empty());
}

TEST_F(SessionApiTest, PlainVerbsWithAZeroTransactionIdStayPlain) {
  EXPECT_EQ(int_of(call("/v1/kv/try-set", outside(R"("key":"p/1","value":"YQ==","durability":1)")), "type"),
            0);
  EXPECT_EQ(int_of(call("/v1/kv/try-get", outside(R"("key":"p/1","durability":1)")), "type"), 3);
  EXPECT_EQ(int_of(call("/v1/kv/try-exists", outside(R"("key":"p/1","durability":1)")), "type"), 10);
  EXPECT_EQ(
      int_of(call("/v1/kv/try-extend", outside(R"("key":"p/1","expiresMs":1000,"durability":1)")), "type"),
      2);
  EXPECT_EQ(int_of(call("/v1/kv/get-by-bucket", outside(R"("prefixKey":"p","durability":1)")), "type"), 3);
  EXPECT_EQ(int_of(call("/v1/kv/try-delete", outside(R"("key":"p/1","durability":1)")), "type"), 4);
  // No context at all is the same.
  EXPECT_EQ(int_of(call("/v1/kv/try-set", R"({"key":"p/2","transactionId":null})"), "type"), 0);
  EXPECT_TRUE(host.kernel.session_calls().empty());
}

TEST_F(SessionApiTest, ANonZeroTransactionIdChoosesTheSessionForm) {
  auto set = call("/v1/kv/try-set", in_session(R"("key":"s/1","value":"YQ==","flags":8,"durability":1)"));
  EXPECT_EQ(int_of(set, "type"), 0);
  EXPECT_EQ(string_of(set, "typeName"), "set");
  EXPECT_EQ(int_of(set, "revision"), 0);
  const auto set_request = last_request<TxKvSetRequest>();
  expect_session_context(set_request.context);
  EXPECT_EQ(set_request.request.key, "s/1");
  EXPECT_EQ(set_request.request.value, std::optional<std::string>("a"));
  EXPECT_EQ(set_request.request.flags, 8u);
  EXPECT_EQ(set_request.request.durability, Durability::kPersistent);

  auto got = call("/v1/kv/try-get", in_session(R"("key":"s/1","revision":-1,"durability":1)"));
  EXPECT_EQ(int_of(got, "type"), 3);
  EXPECT_EQ(string_of(got, "value"), "YQ==");
  EXPECT_EQ(hlc_of(got, "expires"), "0,0,0");
  EXPECT_TRUE(got["route"].IsObject());
  EXPECT_EQ(last_request<TxKvGetRequest>().request.query.key, "s/1");

  auto exists = call("/v1/kv/try-exists", in_session(R"("key":"s/1","durability":1)"));
  EXPECT_EQ(int_of(exists, "type"), 10);
  EXPECT_FALSE(exists.HasMember("value"));

  auto extended = call("/v1/kv/try-extend", in_session(R"("key":"s/1","expiresMs":60000,"durability":1)"));
  EXPECT_EQ(int_of(extended, "type"), 2);
  EXPECT_EQ(last_request<TxKvExtendRequest>().request.expires_ms, 60000);

  auto bucket = call("/v1/kv/get-by-bucket", in_session(R"("prefixKey":"s","durability":1)"));
  EXPECT_EQ(int_of(bucket, "type"), 3);
  ASSERT_EQ(bucket["items"].Size(), 1u);
  EXPECT_EQ(string_of(bucket["items"][0], "key"), "s/1");
  EXPECT_EQ(last_request<TxKvPrefixRequest>().request.prefix, "s");

  auto deleted = call("/v1/kv/try-delete", in_session(R"("key":"s/1","durability":1)"));
  EXPECT_EQ(int_of(deleted, "type"), 4);
  EXPECT_EQ(int_of(deleted, "revision"), 1);
  expect_session_context(last_request<TxKvKeyRequest>().context);

  EXPECT_EQ(methods(), (std::vector<std::string>{"tx_kv_set", "tx_kv_get", "tx_kv_exists", "tx_kv_extend",
                                                 "tx_kv_get_by_bucket", "tx_kv_delete"}));
}

TEST_F(SessionApiTest, SessionOutcomesKeepThePlainReplyShapes) {
  host.kernel.set_session_point_code(KvCode::kAlreadyLocked);
  auto held = call("/v1/kv/try-get", in_session(R"("key":"s/2","durability":1)"));
  EXPECT_EQ(int_of(held, "type"), 104);
  EXPECT_EQ(string_of(held, "typeName"), "alreadyLocked");
  EXPECT_TRUE(is_null(held, "value"));
  EXPECT_EQ(int_of(held, "revision"), 0);
  EXPECT_EQ(hlc_of(held, "expires"), "0,0,0");
  EXPECT_EQ(hlc_of(held, "lastModified"), "0,0,0");

  host.kernel.set_session_point_code(KvCode::kAborted);
  auto aborted = call("/v1/kv/try-set", in_session(R"("key":"s/2","value":null,"durability":1)"));
  EXPECT_EQ(int_of(aborted, "type"), 102);
  EXPECT_EQ(string_of(aborted, "typeName"), "aborted");
  EXPECT_TRUE(aborted.HasMember("revision"));
  EXPECT_TRUE(aborted.HasMember("lastModified"));
  EXPECT_FALSE(aborted.HasMember("value"));
}

TEST_F(SessionApiTest, APointVerbWithoutTheCoordinatorKeyIsInvalidInput) {
  for (const std::string path : {"/v1/kv/try-set", "/v1/kv/try-get", "/v1/kv/try-delete"}) {
    auto reply = call(path, R"({"transactionId":{"n":1,"l":2,"c":3},"coordinatorKey":"","key":"k"})");
    EXPECT_EQ(int_of(reply, "type"), 100) << path;
    EXPECT_NE(string_of(reply, "reason").find("coordinatorKey is required"), std::string::npos);
  }
  EXPECT_TRUE(host.kernel.session_calls().empty());
}

TEST_F(SessionApiTest, DeleteManyRunsInItsSession) {
  call("/v1/kv/try-set", outside(R"("key":"d/1","value":"YQ==","durability":1)"));
  call("/v1/kv/try-set", outside(R"("key":"d/2","value":"YQ==","durability":1)"));
  // The reference client's shape: the id on each item, the rest at the top.
  auto reply = call("/v1/kv/try-delete-many",
                    R"({"coordinatorKey":"orders/1","operationIdHigh":0,"operationIdLow":42,"items":[
        {"transactionId":{"n":1,"l":1700000000000,"c":3},"key":"d/1","durability":1},
        {"transactionId":{"n":1,"l":1700000000000,"c":3},"key":"","durability":1},
        {"transactionId":{"n":1,"l":1700000000000,"c":3},"key":"d/2","durability":1}]})");
  EXPECT_EQ(int_of(reply, "type"), 4);
  ASSERT_EQ(reply["items"].Size(), 3u);
  EXPECT_EQ(int_of(reply["items"][0], "type"), 4);
  EXPECT_EQ(int_of(reply["items"][1], "type"), 100);
  EXPECT_EQ(int_of(reply["items"][2], "type"), 4);
  const auto request = last_request<TxKvDeleteManyRequest>();
  expect_session_context(request.context);
  ASSERT_EQ(request.items.size(), 2u);  // the invalid item stays out
  EXPECT_EQ(request.items[0].key, "d/1");
  EXPECT_EQ(request.items[1].key, "d/2");

  // The id at the top level works as well.
  auto top_level = call("/v1/kv/try-delete-many", in_session(R"("items":[{"key":"d/3","durability":1}])"));
  EXPECT_EQ(int_of(top_level, "type"), 4);
  EXPECT_EQ(int_of(top_level["items"][0], "type"), 103);
  EXPECT_EQ(methods(), (std::vector<std::string>{"tx_kv_delete_many", "tx_kv_delete_many"}));
}

TEST_F(SessionApiTest, DeleteManyWithAPartialContextIsRefusedWhole) {
  auto no_coordinator =
      call("/v1/kv/try-delete-many",
           R"({"items":[{"transactionId":{"n":1,"l":2,"c":3},"key":"d/1","durability":1}]})");
  EXPECT_EQ(int_of(no_coordinator, "type"), 100);
  EXPECT_EQ(int_of(no_coordinator["items"][0], "type"), 100);
  EXPECT_NE(string_of(no_coordinator, "reason").find("coordinatorKey"), std::string::npos);
  auto two = call("/v1/kv/try-delete-many", R"({"coordinatorKey":"c","items":[
      {"transactionId":{"n":1,"l":2,"c":3},"key":"d/1"},{"transactionId":{"n":1,"l":2,"c":4},"key":"d/2"}]})");
  EXPECT_EQ(int_of(two, "type"), 100);
  EXPECT_TRUE(host.kernel.session_calls().empty());
}

TEST_F(SessionApiTest, TheOtherBatchesAndGetByRangeStayOutsideSessions) {
  const std::vector<std::string> batches = {
      R"({"items":[{"transactionId":{"n":1,"l":2,"c":3},"key":"b/1","value":null}]})",
      R"({"transactionId":{"n":1,"l":2,"c":3},"coordinatorKey":"c","items":[{"key":"b/1"}]})",
      R"({"transactionId":{"n":1,"l":2,"c":3},"coordinatorKey":"c","items":[{"key":"b/1"}]})",
  };
  const std::vector<std::string> paths = {"/v1/kv/try-set-many", "/v1/kv/try-get-many",
                                          "/v1/kv/try-exists-many"};
  for (std::size_t i = 0; i < paths.size(); ++i) {
    auto reply = call(paths[i], batches[i]);
    EXPECT_EQ(int_of(reply, "type"), 100) << paths[i];
    EXPECT_EQ(int_of(reply["items"][0], "type"), 100) << paths[i];
    EXPECT_NE(string_of(reply, "reason").find("only try-delete-many"), std::string::npos) << to_json(reply);
  }
  auto range = call("/v1/kv/get-by-range", in_session(R"("prefix":"b","limit":10,"durability":1)"));
  EXPECT_EQ(int_of(range, "type"), 100);
  EXPECT_NE(string_of(range, "reason").find("get-by-range does not take part in sessions"), std::string::npos)
      << to_json(range);
  EXPECT_TRUE(host.kernel.session_calls().empty());
}

TEST_F(SessionApiTest, OnlyPostIsServed) {
  EXPECT_EQ(client->get("/v1/kv/start-tx-session").status, 405);
  EXPECT_EQ(client->get("/v1/kv/commit-tx-session").status, 405);
  // The prefix locks are not served yet.
  EXPECT_EQ(client->post("/v1/kv/try-acquire-prefix-lock", "{}").status, 404);
}

}  // namespace
}  // namespace kahuna::testing
