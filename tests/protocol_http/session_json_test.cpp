// Session bodies into request structs, and session replies into JSON,
// without a server (TRANSACTIONS.md §2).
#include <gtest/gtest.h>

#include "json_expect.h"
#include "kv_batch_json.h"
#include "kv_json.h"
#include "scan_json.h"
#include "session_json.h"

namespace kahuna::http {
namespace {

using testing::hlc_of;
using testing::int_of;
using testing::is_null;
using testing::string_of;

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document document;
  std::string reason;
  EXPECT_TRUE(parse_json_object(text, document, reason)) << text << ": " << reason;
  return document;
}

// A session's context as the reference client sends it.
constexpr const char* kSession =
    R"("transactionId":{"n":2,"l":1700000000000,"c":7},"coordinatorKey":"orders/1",)"
    R"("operationIdHigh":11,"operationIdLow":12)";

std::string in_session(const std::string& fields) { return std::string("{") + kSession + "," + fields + "}"; }

template <class Request>
DecodeResult decode(const std::string& text, Request& out, wire::Opcode verb = wire::Opcode::kTxStart) {
  const rapidjson::Document body = parse(text);
  return decode_request(body, verb, out);
}

void expect_context(const TxContext& context) {
  EXPECT_EQ(context.transaction_id, (HlcTimestamp{2, 1700000000000, 7}));
  EXPECT_EQ(context.coordinator_key, "orders/1");
  EXPECT_EQ(context.operation_id_high, 11u);
  EXPECT_EQ(context.operation_id_low, 12u);
}

TEST(SessionJsonTest, StartTakesEveryField) {
  TxStartRequest request;
  const DecodeResult result = decode(
      R"({"coordinatorKey":"orders/1","timeout":2500,"lockingType":1,"readValidation":0,
          "readTimestamp":{"n":1,"l":5,"c":6},"priority":4,"admissionWaitMs":10,"asyncRelease":true,
          "autoCommit":false,"decisionDurability":1})",
      request);
  ASSERT_TRUE(result.is_ok()) << result.reason;
  EXPECT_EQ(request.coordinator_key, "orders/1");
  EXPECT_EQ(request.timeout_ms, 2500);
  EXPECT_EQ(request.locking, TxLocking::kOptimistic);
  EXPECT_EQ(request.read_timestamp, (HlcTimestamp{1, 5, 6}));
}

TEST(SessionJsonTest, StartDefaultsToPessimisticWithTheServersTimeout) {
  TxStartRequest request;
  ASSERT_TRUE(decode(R"({"coordinatorKey":"k","readValidation":1})", request).is_ok());
  EXPECT_EQ(request.locking, TxLocking::kPessimistic);
  EXPECT_EQ(request.timeout_ms, 0);  // the server's default (5000)
  EXPECT_TRUE(request.read_timestamp.is_zero());
}

TEST(SessionJsonTest, StartRuleBreaksAreInvalidInputWithAReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({})", "coordinatorKey is required"},
      {R"({"coordinatorKey":""})", "coordinatorKey is required"},
      {R"({"coordinatorKey":null})", "coordinatorKey is required"},
      {R"({"coordinatorKey":"__kahuna:x"})", "reserved"},
      {R"({"coordinatorKey":"k","lockingType":2})", "lockingType"},
      {R"({"coordinatorKey":"k","readValidation":-1})", "readValidation"},
      {R"({"coordinatorKey":"k","readValidation":1,"readTimestamp":{"n":0,"l":5,"c":0}})", "readTimestamp"},
  };
  for (const auto& [body, reason] : cases) {
    TxStartRequest request;
    const DecodeResult result = decode(body, request);
    EXPECT_EQ(result.kind, DecodeResult::Kind::kInvalidInput) << body;
    EXPECT_NE(result.reason.find(reason), std::string::npos) << body << " -> " << result.reason;
  }
}

TEST(SessionJsonTest, StartFieldsOfTheWrongTypeAreBadRequests) {
  for (const char* body :
       {R"({"coordinatorKey":5})", R"({"coordinatorKey":"k","timeout":"5s"})",
        R"({"coordinatorKey":"k","lockingType":"optimistic"})",
        R"({"coordinatorKey":"k","readValidation":true})", R"({"coordinatorKey":"k","readTimestamp":12})",
        R"({"coordinatorKey":"k","timeout":1.5})"}) {
    TxStartRequest request;
    EXPECT_EQ(decode(body, request).kind, DecodeResult::Kind::kBadRequest) << body;
  }
}

TEST(SessionJsonTest, CommitAndRollbackTakeTheContextAndTheAnchor) {
  TxEndRequest request;
  ASSERT_TRUE(decode(in_session(R"("recordAnchorKey":"orders/1")"), request).is_ok());
  expect_context(request.context);
  EXPECT_EQ(request.record_anchor_key, std::optional<std::string>("orders/1"));
  TxEndRequest first_try;
  ASSERT_TRUE(decode(in_session(R"("recordAnchorKey":null)"), first_try).is_ok());
  EXPECT_FALSE(first_try.record_anchor_key.has_value());
  TxEndRequest absent;
  ASSERT_TRUE(decode(in_session(R"("x":1)"), absent).is_ok());
  EXPECT_FALSE(absent.record_anchor_key.has_value());
  // An operation id is one 128-bit number: either half may be zero.
  TxEndRequest low_only;
  ASSERT_TRUE(
      decode(R"({"transactionId":{"n":1,"l":2,"c":3},"coordinatorKey":"k","operationIdLow":9})", low_only)
          .is_ok());
  EXPECT_EQ(low_only.context.operation_id_high, 0u);
  EXPECT_EQ(low_only.context.operation_id_low, 9u);
}

TEST(SessionJsonTest, CommitWithoutAWholeContextIsInvalidInput) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"coordinatorKey":"k"})", "transactionId"},
      {R"({"transactionId":{"n":0,"l":0,"c":0},"coordinatorKey":"k"})", "transactionId"},
      {R"({"transactionId":null,"coordinatorKey":"k"})", "transactionId"},
      {R"({"transactionId":{"n":1,"l":2,"c":3}})", "coordinatorKey"},
      {R"({"transactionId":{"n":1,"l":2,"c":3},"coordinatorKey":""})", "coordinatorKey"},
  };
  for (const auto& [body, reason] : cases) {
    TxEndRequest request;
    const DecodeResult result = decode(body, request);
    EXPECT_EQ(result.kind, DecodeResult::Kind::kInvalidInput) << body;
    EXPECT_NE(result.reason.find(reason), std::string::npos) << body << " -> " << result.reason;
  }
  for (const std::string& body :
       {in_session(R"("recordAnchorKey":5)"), std::string(R"({"transactionId":"abc","coordinatorKey":"k"})"),
        std::string(R"({"transactionId":{"n":1,"l":2,"c":3},"coordinatorKey":"k",)"
                    R"("operationIdHigh":-1})")}) {
    TxEndRequest request;
    EXPECT_EQ(decode(body, request).kind, DecodeResult::Kind::kBadRequest) << body;
  }
}

TEST(SessionJsonTest, ExclusiveLock) {
  TxLockRequest request;
  ASSERT_TRUE(decode(in_session(R"("key":"orders/7","expiresMs":5000,"durability":1)"), request).is_ok());
  expect_context(request.context);
  EXPECT_EQ(request.key, "orders/7");
  EXPECT_EQ(request.expires_ms, 5000);
  EXPECT_EQ(request.durability, Durability::kPersistent);
  TxLockRequest ephemeral;
  ASSERT_TRUE(decode(in_session(R"("key":"k")"), ephemeral).is_ok());
  EXPECT_EQ(ephemeral.durability, Durability::kEphemeral);  // absent durability is 0, as everywhere

  for (const std::string& body :
       {in_session(R"("key":"")"), in_session(R"("expiresMs":5)"), in_session(R"("key":"__kahuna:x")"),
        in_session(R"("key":"k","durability":2)"), in_session(R"("key":"k","expiresMs":-1)"),
        std::string(R"({"key":"k"})")}) {
    TxLockRequest bad;
    EXPECT_EQ(decode(body, bad).kind, DecodeResult::Kind::kInvalidInput) << body;
  }
  TxLockRequest wrong_type;
  EXPECT_EQ(decode(in_session(R"("key":["k"])"), wrong_type).kind, DecodeResult::Kind::kBadRequest);
}

TEST(SessionJsonTest, PointVerbsReadThePlainFieldsInsideTheSession) {
  TxKvSetRequest set;
  ASSERT_TRUE(decode(in_session(R"("key":"a/1","value":"YQ==","compareValue":null,"compareRevision":3,)"
                                R"("expiresMs":100,"flags":32,"durability":1)"),
                     set)
                  .is_ok());
  expect_context(set.context);
  EXPECT_EQ(set.request.key, "a/1");
  EXPECT_EQ(set.request.value, std::optional<std::string>("a"));
  EXPECT_FALSE(set.request.compare_value.has_value());
  EXPECT_EQ(set.request.compare_revision, 3);
  EXPECT_EQ(set.request.expires_ms, 100);
  EXPECT_EQ(set.request.flags, 32u);
  EXPECT_EQ(set.request.durability, Durability::kPersistent);

  TxKvGetRequest get;
  ASSERT_TRUE(
      decode(in_session(R"("key":"a/1","revision":4,"readTimestamp":{"n":0,"l":9,"c":1})"), get).is_ok());
  expect_context(get.context);
  EXPECT_EQ(get.request.query.key, "a/1");
  EXPECT_EQ(get.request.query.revision, 4);
  EXPECT_EQ(get.request.query.read_timestamp, (HlcTimestamp{0, 9, 1}));

  TxKvKeyRequest del;
  ASSERT_TRUE(decode(in_session(R"("key":"a/1","durability":"persistent")"), del).is_ok());
  EXPECT_EQ(del.request.key, "a/1");
  EXPECT_EQ(del.request.durability, Durability::kPersistent);

  TxKvExtendRequest extend;
  ASSERT_TRUE(decode(in_session(R"("key":"a/1","expiresMs":60000)"), extend).is_ok());
  EXPECT_EQ(extend.request.expires_ms, 60000);

  TxKvPrefixRequest bucket;
  ASSERT_TRUE(decode(in_session(R"("prefixKey":"a","durability":1)"), bucket).is_ok());
  expect_context(bucket.context);
  EXPECT_EQ(bucket.request.prefix, "a");
}

TEST(SessionJsonTest, PointVerbsKeepThePlainRules) {
  TxKvSetRequest set;
  EXPECT_EQ(decode(in_session(R"("key":"")"), set).kind, DecodeResult::Kind::kInvalidInput);
  EXPECT_EQ(decode(in_session(R"("key":"k","flags":64)"), set).kind, DecodeResult::Kind::kInvalidInput);
  EXPECT_EQ(decode(in_session(R"("key":"k","value":7)"), set).kind, DecodeResult::Kind::kBadRequest);
  TxKvExtendRequest extend;
  EXPECT_EQ(decode(in_session(R"("key":"k","expiresMs":0)"), extend).kind, DecodeResult::Kind::kInvalidInput);
  TxKvPrefixRequest bucket;
  EXPECT_EQ(decode(in_session(R"("durability":1)"), bucket).kind, DecodeResult::Kind::kInvalidInput);
  // A session call without its coordinator key.
  TxKvGetRequest get;
  const DecodeResult no_coordinator = decode(R"({"transactionId":{"n":1,"l":1,"c":1},"key":"k"})", get);
  EXPECT_EQ(no_coordinator.kind, DecodeResult::Kind::kInvalidInput);
  EXPECT_NE(no_coordinator.reason.find("coordinatorKey"), std::string::npos);
}

TEST(SessionJsonTest, PlainFormsStillRefuseATransactionId) {
  KvSetRequest set;
  EXPECT_EQ(decode(in_session(R"("key":"k")"), set, wire::Opcode::kKvSet).kind,
            DecodeResult::Kind::kInvalidInput);
  KvPrefixRequest bucket;
  EXPECT_EQ(decode(in_session(R"("prefixKey":"k")"), bucket, wire::Opcode::kKvGetByBucket).kind,
            DecodeResult::Kind::kInvalidInput);
  // scan-all-by-prefix has no context at all.
  EXPECT_TRUE(decode(in_session(R"("prefixKey":"k")"), bucket, wire::Opcode::kKvScanPrefix).is_ok());
  KvRangeRequest range;
  const DecodeResult refused =
      decode(in_session(R"("prefix":"k","limit":1)"), range, wire::Opcode::kKvGetRange);
  EXPECT_EQ(refused.kind, DecodeResult::Kind::kInvalidInput);
  EXPECT_NE(refused.reason.find("get-by-range does not take part in sessions"), std::string::npos)
      << refused.reason;
}

TEST(SessionJsonTest, NamesASessionOnlyWithANonZeroTransactionId) {
  EXPECT_TRUE(names_a_session(parse(in_session(R"("key":"k")"))));
  EXPECT_FALSE(names_a_session(parse(R"({"key":"k"})")));
  EXPECT_FALSE(names_a_session(parse(R"({"transactionId":{"n":0,"l":0,"c":0},"coordinatorKey":"c"})")));
  EXPECT_FALSE(names_a_session(parse(R"({"transactionId":null})")));
  EXPECT_FALSE(names_a_session(parse(R"({"transactionId":"x"})")));  // the plain decoder answers 400
}

TEST(SessionJsonTest, DeleteManyInASession) {
  BatchRequest<KvKeyRequest> top_level;
  ASSERT_TRUE(decode_delete_many(parse(std::string("{") + kSession + R"(,"items":[{"key":"a"},{"key":""}]})"),
                                 top_level)
                  .is_ok());
  EXPECT_TRUE(top_level.transactional);
  EXPECT_EQ(top_level.session_problem, "");
  expect_context(top_level.session);
  ASSERT_EQ(top_level.items.size(), 2u);
  EXPECT_EQ(top_level.items[1].invalid, "key is required");

  // The reference client's shape: the id on every item, the rest at the top.
  BatchRequest<KvKeyRequest> on_items;
  ASSERT_TRUE(
      decode_delete_many(parse(R"({"coordinatorKey":"orders/1","operationIdHigh":11,"operationIdLow":12,
      "items":[{"transactionId":{"n":2,"l":1700000000000,"c":7},"key":"a","durability":1},
               {"transactionId":{"n":2,"l":1700000000000,"c":7},"key":"b","durability":1}]})"),
                         on_items)
          .is_ok());
  EXPECT_TRUE(on_items.transactional);
  EXPECT_EQ(on_items.session_problem, "");
  expect_context(on_items.session);

  BatchRequest<KvKeyRequest> no_coordinator;
  ASSERT_TRUE(decode_delete_many(parse(R"({"items":[{"transactionId":{"n":1,"l":1,"c":1},"key":"a"}]})"),
                                 no_coordinator)
                  .is_ok());
  EXPECT_TRUE(no_coordinator.transactional);
  EXPECT_NE(no_coordinator.session_problem.find("coordinatorKey"), std::string::npos);

  BatchRequest<KvKeyRequest> two_sessions;
  ASSERT_TRUE(decode_delete_many(parse(R"({"coordinatorKey":"c","items":[
      {"transactionId":{"n":1,"l":1,"c":1},"key":"a"},{"transactionId":{"n":1,"l":1,"c":2},"key":"b"}]})"),
                                 two_sessions)
                  .is_ok());
  EXPECT_NE(two_sessions.session_problem.find("different transactions"), std::string::npos);

  BatchRequest<KvKeyRequest> plain;
  ASSERT_TRUE(
      decode_delete_many(parse(R"({"items":[{"transactionId":{"n":0,"l":0,"c":0},"key":"a"}]})"), plain)
          .is_ok());
  EXPECT_FALSE(plain.transactional);
}

rapidjson::Document encode(wire::Opcode verb, const TxSessionReply& reply) {
  return parse(encode_session_reply(verb, reply, RouteHint{3, "http://10.0.0.3:7200", 2}));
}

TEST(SessionJsonTest, StartAnswersStartedWithTheId) {
  const auto reply = encode(wire::Opcode::kTxStart, {.code = KvCode::kSet, .transaction_id = {3, 40, 5}});
  EXPECT_EQ(int_of(reply, "type"), 0);
  EXPECT_EQ(string_of(reply, "typeName"), "started");
  EXPECT_EQ(hlc_of(reply, "transactionId"), "3,40,5");
  EXPECT_TRUE(is_null(reply, "recordAnchorKey"));
  EXPECT_EQ(hlc_of(reply, "holderTransactionId"), "0,0,0");
  EXPECT_EQ(string_of(reply, "reason"), "");
  EXPECT_EQ(string_of(reply, "servedFrom"), "");
  EXPECT_EQ(int_of(reply["route"], "partitionId"), 3);
}

TEST(SessionJsonTest, EveryCodeKeepsItsNumberAndName) {
  const std::vector<std::tuple<KvCode, int, std::string>> codes = {
      {KvCode::kCommitted, 8, "committed"},
      {KvCode::kRolledBack, 9, "rolledBack"},
      {KvCode::kLocked, 5, "locked"},
      {KvCode::kAborted, 102, "aborted"},
      {KvCode::kAlreadyLocked, 104, "alreadyLocked"},
      {KvCode::kErrored, 99, "errored"},
      {KvCode::kInvalidInput, 100, "invalidInput"},
      {KvCode::kMustRetry, 101, "mustRetry"},
  };
  for (const auto& [code, number, name] : codes) {
    const auto reply = encode(wire::Opcode::kTxCommit, {.code = code, .reason = "why"});
    EXPECT_EQ(int_of(reply, "type"), number);
    EXPECT_EQ(string_of(reply, "typeName"), name);
    EXPECT_EQ(string_of(reply, "reason"), "why");
  }
  const auto committed =
      encode(wire::Opcode::kTxCommit, {.code = KvCode::kCommitted, .record_anchor_key = "orders/1"});
  EXPECT_EQ(string_of(committed, "recordAnchorKey"), "orders/1");
  const auto held = encode(wire::Opcode::kTxLock, {.code = KvCode::kAlreadyLocked, .holder = {1, 77, 2}});
  EXPECT_EQ(hlc_of(held, "holderTransactionId"), "1,77,2");
}

TEST(SessionJsonTest, AnUnknownCommitOutcomeAsksForTheSameCommitAgain) {
  const auto reply =
      encode(wire::Opcode::kTxCommit,
             {.code = KvCode::kOutcomeUnknown, .record_anchor_key = "orders/1", .reason = "timeout"});
  EXPECT_EQ(int_of(reply, "type"), 101);
  EXPECT_EQ(string_of(reply, "typeName"), "mustRetry");
  EXPECT_EQ(string_of(reply, "recordAnchorKey"), "orders/1");
  EXPECT_NE(string_of(reply, "reason").find("retry the commit with the same handle"), std::string::npos);
  const auto rollback = encode(wire::Opcode::kTxRollback, {.code = KvCode::kOutcomeUnknown});
  EXPECT_EQ(int_of(rollback, "type"), 101);
  EXPECT_NE(string_of(rollback, "reason").find("retry the rollback"), std::string::npos);
}

}  // namespace
}  // namespace kahuna::http
