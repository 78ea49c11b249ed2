// /v1/kv/get-by-bucket, scan-all-by-prefix and get-by-range: HTTP-API.md §6.3.
#include "json_expect.h"
#include "plugin_fixture.h"

namespace kahuna::testing {
namespace {

class ScanApiTest : public HttpApiTest {
 protected:
  void SetUp() override {
    HttpApiTest::SetUp();
    for (const char* key : {"users/1", "users/2", "users/3", "users/4", "usersx/9", "other/1"}) {
      call("/v1/kv/try-set", R"({"key":")" + std::string(key) + R"(","value":"djE=","durability":1})");
    }
    call("/v1/kv/try-set", R"({"key":"users/2","value":null,"durability":1})");
  }

  std::vector<std::string> keys_of(const rapidjson::Value& reply) {
    std::vector<std::string> keys;
    for (const auto& item : reply["items"].GetArray()) keys.push_back(string_of(item, "key"));
    return keys;
  }
};

TEST_F(ScanApiTest, GetByBucketReturnsTheKeySpace) {
  auto reply = call("/v1/kv/get-by-bucket", R"({"transactionId":{"n":0,"l":0,"c":0},"coordinatorKey":"",
      "operationIdHigh":0,"operationIdLow":0,"prefixKey":"users/","readTimestamp":{"n":0,"l":0,"c":0},"durability":1})");
  EXPECT_EQ(int_of(reply, "type"), 3);
  EXPECT_EQ(string_of(reply, "typeName"), "get");
  EXPECT_EQ(keys_of(reply), (std::vector<std::string>{"users/1", "users/2", "users/3", "users/4"}));
  const auto& second = reply["items"][1];
  EXPECT_TRUE(is_null(second, "value"));
  EXPECT_EQ(int_of(second, "revision"), 1);
  EXPECT_EQ(int_of(second["lastModified"], "n"), 1);
  EXPECT_EQ(string_of(reply["items"][0], "value"), "djE=");
}

TEST_F(ScanApiTest, ScanAllByPrefixMergesEverything) {
  auto reply = call("/v1/kv/scan-all-by-prefix", R"({"prefixKey":"users","durability":1})");
  EXPECT_EQ(int_of(reply, "type"), 3);
  EXPECT_EQ(keys_of(reply).size(), 5u);
  auto empty = call("/v1/kv/scan-all-by-prefix", R"({"prefixKey":"nothing","durability":1})");
  EXPECT_EQ(int_of(empty, "type"), 3);
  EXPECT_EQ(empty["items"].Size(), 0u);
}

TEST_F(ScanApiTest, GetByRangePagesWithOpaqueCursors) {
  const std::string first_page_body =
      R"({"transactionId":{"n":0,"l":0,"c":0},"coordinatorKey":"","operationIdHigh":0,
      "operationIdLow":0,"prefix":"users","startKey":null,"startInclusive":true,"endKey":null,"endInclusive":false,
      "limit":2,"readTimestamp":{"n":0,"l":0,"c":0},"durability":1,"cursor":null})";
  auto first = call("/v1/kv/get-by-range", first_page_body);
  EXPECT_EQ(int_of(first, "type"), 3);
  EXPECT_EQ(keys_of(first), (std::vector<std::string>{"users/1", "users/2"}));
  EXPECT_TRUE(is_null(first["items"][1], "value"));
  EXPECT_TRUE(bool_of(first, "hasMore"));
  const std::string cursor = string_of(first, "nextCursor");
  std::string next_body = first_page_body;
  next_body.replace(next_body.find("\"cursor\":null"), 13, "\"cursor\":\"" + cursor + "\"");
  auto second = call("/v1/kv/get-by-range", next_body);
  EXPECT_EQ(keys_of(second), (std::vector<std::string>{"users/3", "users/4"}));
  auto third = call("/v1/kv/get-by-range", R"({"prefix":"users","startKey":"users/3","startInclusive":false,
      "endKey":"users/4","endInclusive":true,"limit":10,"durability":1})");
  EXPECT_EQ(keys_of(third), (std::vector<std::string>{"users/4"}));
  EXPECT_FALSE(bool_of(third, "hasMore"));
  EXPECT_TRUE(is_null(third, "nextCursor"));
}

TEST_F(ScanApiTest, InvalidScans) {
  EXPECT_EQ(int_of(call("/v1/kv/get-by-bucket", R"({"durability":1})"), "type"), 100);
  EXPECT_EQ(int_of(call("/v1/kv/scan-all-by-prefix", R"({"prefixKey":""})"), "type"), 100);
  EXPECT_EQ(int_of(call("/v1/kv/get-by-range", R"({"limit":2})"), "type"), 100);
  EXPECT_EQ(int_of(call("/v1/kv/get-by-range", R"({"prefix":"users","limit":0})"), "type"), 100);
  EXPECT_EQ(int_of(call("/v1/kv/get-by-range", R"({"prefix":"users"})"), "type"), 100);
  // Not base64 at all, and base64 of something the kernel did not issue.
  auto bad = call("/v1/kv/get-by-range", R"({"prefix":"users","limit":2,"cursor":"%%%"})");
  EXPECT_EQ(int_of(bad, "type"), 100);
  EXPECT_TRUE(is_null(bad, "nextCursor"));
  EXPECT_FALSE(bool_of(bad, "hasMore"));
  EXPECT_EQ(int_of(call("/v1/kv/get-by-range", R"({"prefix":"users","limit":2,"cursor":"eHl6"})"), "type"),
            100);
  EXPECT_EQ(
      int_of(call("/v1/kv/get-by-bucket", R"({"prefixKey":"users","transactionId":{"n":0,"l":9,"c":0}})"),
             "type"),
      100);
}

}  // namespace
}  // namespace kahuna::testing
