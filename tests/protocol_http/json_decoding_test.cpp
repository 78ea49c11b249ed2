// Request bodies into request structs, without a server.
#include <gtest/gtest.h>

#include "kv_batch_json.h"
#include "kv_json.h"
#include "lock_json.h"
#include "scan_json.h"
#include "sequence_json.h"

namespace kahuna::http {
namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document document;
  std::string reason;
  EXPECT_TRUE(parse_json_object(text, document, reason)) << text << ": " << reason;
  return document;
}

TEST(JsonDecodingTest, LockRequest) {
  LockRequest request;
  auto body =
      parse(R"({"resource":"r","owner":"b3duZXItYQ==","expiresMs":2147483647,"durability":"PERSISTENT"})");
  ASSERT_TRUE(decode_request(body, wire::Opcode::kTryLock, request).is_ok());
  EXPECT_EQ(request.resource, "r");
  EXPECT_EQ(request.owner, "owner-a");
  EXPECT_EQ(request.expires_ms, 2147483647);
  EXPECT_EQ(request.durability, Durability::kPersistent);
  // get-info needs neither owner nor expiry.
  auto info = parse(R"({"resource":"r"})");
  EXPECT_TRUE(decode_request(info, wire::Opcode::kGetLock, request).is_ok());
  EXPECT_EQ(request.durability, Durability::kEphemeral);
}

TEST(JsonDecodingTest, KvSetKeepsNullAndEmptyApart) {
  KvSetRequest request;
  auto null_value = parse(R"({"key":"k","value":null,"compareValue":"","flags":16})");
  ASSERT_TRUE(decode_request(null_value, wire::Opcode::kKvSet, request).is_ok());
  EXPECT_FALSE(request.value.has_value());
  ASSERT_TRUE(request.compare_value.has_value());
  EXPECT_EQ(*request.compare_value, "");
  EXPECT_EQ(request.flags, 16u);
  auto empty = parse(R"({"key":"k","value":""})");
  ASSERT_TRUE(decode_request(empty, wire::Opcode::kKvSet, request).is_ok());
  ASSERT_TRUE(request.value.has_value());
  EXPECT_EQ(*request.value, "");
}

TEST(JsonDecodingTest, KvGetDefaultsAndTimestamps) {
  KvGetRequest request;
  auto body = parse(R"({"key":"k","readTimestamp":{"n":0,"l":1700000000000,"c":4294967295}})");
  ASSERT_TRUE(decode_request(body, wire::Opcode::kKvGet, request).is_ok());
  EXPECT_EQ(request.query.revision, -1);
  EXPECT_EQ(request.query.read_timestamp.physical, 1700000000000);
  EXPECT_EQ(request.query.read_timestamp.logical, 4294967295u);
  auto null_timestamp = parse(R"({"key":"k","readTimestamp":null,"transactionId":null})");
  ASSERT_TRUE(decode_request(null_timestamp, wire::Opcode::kKvGet, request).is_ok());
  EXPECT_TRUE(request.query.read_timestamp.is_zero());
}

TEST(JsonDecodingTest, BatchItemsKeepTheirOwnProblems) {
  BatchRequest<KvSetRequest> batch;
  auto body = parse(R"({"items":[{"key":""},{"key":"ok","durability":1},{"key":"f","flags":64}]})");
  ASSERT_TRUE(decode_set_many(body, batch).is_ok());
  ASSERT_EQ(batch.items.size(), 3u);
  EXPECT_FALSE(batch.items[0].invalid.empty());
  EXPECT_TRUE(batch.items[1].invalid.empty());
  EXPECT_EQ(batch.items[1].durability, 1);
  EXPECT_FALSE(batch.items[2].invalid.empty());
  EXPECT_FALSE(batch.items_missing);
  EXPECT_FALSE(batch.transactional);
}

TEST(JsonDecodingTest, RangeCursorsAreBase64OfTheKernelsCursor) {
  KvRangeRequest request;
  auto body = parse(R"({"prefix":"p","limit":5,"cursor":"AGFi","startKey":null,"endKey":"p/z"})");
  ASSERT_TRUE(decode_request(body, wire::Opcode::kKvGetRange, request).is_ok());
  EXPECT_EQ(request.query.cursor, std::string("\0ab", 3));
  EXPECT_FALSE(request.query.start_key.has_value());
  EXPECT_EQ(request.query.end_key, "p/z");
  EXPECT_TRUE(request.query.start_inclusive);
  EXPECT_FALSE(request.query.end_inclusive);
  const std::string page = encode_range_page(KvRangePage{
      .code = KvCode::kGet, .items = {}, .has_more = true, .next_cursor = std::string("\0ab", 3)});
  EXPECT_NE(page.find(R"("nextCursor":"AGFi")"), std::string::npos) << page;
}

TEST(JsonDecodingTest, SequenceUpdateReadsNullsAsUnchanged) {
  SequenceUpdateRequest request;
  auto body =
      parse(R"({"name":"s","currentValue":null,"increment":10,"maxValue":null,"removeBlockSize":true})");
  ASSERT_TRUE(decode_request(body, wire::Opcode::kSequenceUpdate, request).is_ok());
  EXPECT_FALSE(request.current_value.has_value());
  EXPECT_EQ(request.increment, 10);
  EXPECT_FALSE(request.max_value.has_value());
  EXPECT_TRUE(request.remove_block_size);
}

TEST(JsonDecodingTest, EncodesRepliesWithEveryContractField) {
  const std::string lock =
      encode_lock_reply(wire::Opcode::kTryLock, LockReply{.code = LockCode::kLocked, .fencing_token = 7},
                        RouteHint{5, "http://10.0.0.2:7200", 1});
  EXPECT_EQ(lock,
            R"({"type":0,"typeName":"locked","fencingToken":7,"servedFrom":"",)"
            R"("route":{"partitionId":5,"endpoint":"http://10.0.0.2:7200","provenance":1,"generation":0}})");
  const std::string kv = encode_kv_reply(wire::Opcode::kKvGet,
                                         KvReply{.code = KvCode::kDoesNotExist, .revision = 9}, std::nullopt);
  EXPECT_EQ(
      kv, R"({"type":103,"typeName":"doesNotExist","value":null,"revision":0,"expires":{"n":0,"l":0,"c":0},)"
          R"("lastModified":{"n":0,"l":0,"c":0},"servedFrom":"","route":null})");
}

}  // namespace
}  // namespace kahuna::http
