// /v1/kv/try-*: HTTP-API.md §6.1 and the key/value examples of §11.
#include <thread>

#include "contract_examples.h"
#include "json_expect.h"
#include "plugin_fixture.h"

namespace kahuna::testing {
namespace {

std::string set_body(const std::string& key, const std::string& value_json, int flags = 1,
                     const std::string& extra = "") {
  return std::string("{") + kTx + R"(,"key":")" + key + R"(","value":)" + value_json +
         R"(,"expiresMs":0,"flags":)" + std::to_string(flags) + R"(,"durability":1)" + extra + "}";
}

std::string key_body(const std::string& key, const std::string& extra = "") {
  return std::string("{") + kTx + R"(,"key":")" + key + R"(","durability":1)" + extra + "}";
}

class KvApiTest : public HttpApiTest {};

TEST_F(KvApiTest, ReproducesTheKeyValueExamples) {
  auto set = call("/v1/kv/try-set", set_body("users/7", "\"c29tZS12YWx1ZQ==\"", 8));
  EXPECT_EQ(int_of(set, "type"), 0);
  EXPECT_EQ(string_of(set, "typeName"), "set");
  EXPECT_EQ(int_of(set, "revision"), 0);
  EXPECT_EQ(int_of(set["lastModified"], "n"), 1);
  EXPECT_EQ(string_of(set, "servedFrom"), "");
  EXPECT_TRUE(set["route"].IsObject());

  auto again = call("/v1/kv/try-set", set_body("users/7", "\"c29tZS12YWx1ZQ==\"", 8));
  expect_not_set_again(again);

  auto missing = call("/v1/kv/try-get", get_missing_key_body());
  EXPECT_EQ(int_of(missing, "type"), 103);
  EXPECT_EQ(string_of(missing, "typeName"), "doesNotExist");
  EXPECT_TRUE(is_null(missing, "value"));
  EXPECT_EQ(int_of(missing, "revision"), 0);
  EXPECT_EQ(hlc_of(missing, "expires"), "0,0,0");
  EXPECT_EQ(hlc_of(missing, "lastModified"), "0,0,0");
  EXPECT_EQ(string_of(missing, "servedFrom"), "");
  EXPECT_TRUE(missing["route"].IsObject());
}

TEST_F(KvApiTest, RevisionsRunThroughDeleteAndRecreate) {
  EXPECT_EQ(int_of(call("/v1/kv/try-set", set_body("k/1", "\"djE=\"")), "revision"), 0);
  auto deleted = call("/v1/kv/try-delete", key_body("k/1"));
  EXPECT_EQ(int_of(deleted, "type"), 4);
  EXPECT_EQ(string_of(deleted, "typeName"), "deleted");
  EXPECT_EQ(int_of(deleted, "revision"), 1);
  EXPECT_EQ(int_of(call("/v1/kv/try-delete", key_body("k/1")), "type"), 103);
  // A failed condition reports the tombstone's revision.
  auto not_set = call("/v1/kv/try-set", set_body("k/1", "\"djE=\"", 4));
  EXPECT_EQ(int_of(not_set, "type"), 1);
  EXPECT_EQ(int_of(not_set, "revision"), 1);
  EXPECT_EQ(int_of(call("/v1/kv/try-set", set_body("k/1", "\"djI=\"")), "revision"), 2);
  // Never written: -1.
  EXPECT_EQ(int_of(call("/v1/kv/try-set", set_body("k/never", "null", 4)), "revision"), -1);
}

TEST_F(KvApiTest, NullAndEmptyValuesComeBackAsSent) {
  call("/v1/kv/try-set", set_body("v/null", "null"));
  call("/v1/kv/try-set", set_body("v/empty", "\"\""));
  call("/v1/kv/try-set", std::string("{") + R"("key":"v/absent","durability":1})");
  auto null_value = call("/v1/kv/try-get", key_body("v/null"));
  EXPECT_EQ(int_of(null_value, "type"), 3);
  EXPECT_EQ(string_of(null_value, "typeName"), "get");
  EXPECT_TRUE(is_null(null_value, "value"));
  auto empty_value = call("/v1/kv/try-get", key_body("v/empty"));
  EXPECT_EQ(string_of(empty_value, "value"), "");
  EXPECT_TRUE(is_null(call("/v1/kv/try-get", key_body("v/absent")), "value"));
}

TEST_F(KvApiTest, ExistsExtendAndHistory) {
  call("/v1/kv/try-set", set_body("h/1", "\"YQ==\""));
  call("/v1/kv/try-set", set_body("h/1", "\"Yg==\""));
  auto exists = call("/v1/kv/try-exists", key_body("h/1"));
  EXPECT_EQ(int_of(exists, "type"), 10);
  EXPECT_EQ(string_of(exists, "typeName"), "exists");
  EXPECT_EQ(int_of(exists, "revision"), 1);
  EXPECT_FALSE(exists.HasMember("value"));
  EXPECT_EQ(int_of(call("/v1/kv/try-exists", key_body("h/none")), "type"), 103);

  auto old = call("/v1/kv/try-get", key_body("h/1", R"(,"revision":0)"));
  EXPECT_EQ(int_of(old, "type"), 3);
  EXPECT_EQ(int_of(old, "revision"), 0);
  EXPECT_EQ(string_of(old, "value"), "YQ==");
  EXPECT_EQ(int_of(call("/v1/kv/try-get", key_body("h/1", R"(,"revision":7)")), "type"), 103);

  // A snapshot read "as of" the first write's timestamp returns revision 0.
  const auto first = call("/v1/kv/try-get", key_body("h/1", R"(,"revision":0)"));
  const std::string as_of = R"(,"readTimestamp":{"n":0,"l":)" +
                            std::to_string(int_of(first["lastModified"], "l")) + R"(,"c":)" +
                            std::to_string(int_of(first["lastModified"], "c")) + "}";
  EXPECT_EQ(int_of(call("/v1/kv/try-get", key_body("h/1", as_of)), "revision"), 0);
  // The full uint32 counter is accepted.
  auto latest = call("/v1/kv/try-get",
                     key_body("h/1", R"(,"readTimestamp":{"n":0,"l":99999999999999,"c":4294967295})"));
  EXPECT_EQ(int_of(latest, "revision"), 1);

  auto extended = call("/v1/kv/try-extend", key_body("h/1", R"(,"expiresMs":60000)"));
  EXPECT_EQ(int_of(extended, "type"), 2);
  EXPECT_EQ(string_of(extended, "typeName"), "extended");
  EXPECT_EQ(int_of(extended, "revision"), 1);
  EXPECT_GT(int_of(call("/v1/kv/try-get", key_body("h/1"))["expires"], "l"), 0);
  EXPECT_EQ(int_of(call("/v1/kv/try-extend", key_body("h/none", R"(,"expiresMs":100)")), "type"), 103);
}

TEST_F(KvApiTest, ShortExpiryHidesTheKey) {
  call("/v1/kv/try-set", std::string(R"({"key":"ttl/1","value":"YQ==","expiresMs":1,"durability":1})"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(int_of(call("/v1/kv/try-get", key_body("ttl/1")), "type"), 103);
}

TEST_F(KvApiTest, CompareAndSet) {
  call("/v1/kv/try-set", set_body("c/1", "\"YQ==\""));
  EXPECT_EQ(
      int_of(call("/v1/kv/try-set", set_body("c/1", "\"Yg==\"", 16, R"(,"compareValue":"eA==")")), "type"),
      1);
  EXPECT_EQ(
      int_of(call("/v1/kv/try-set", set_body("c/1", "\"Yg==\"", 16, R"(,"compareValue":"YQ==")")), "type"),
      0);
  EXPECT_EQ(
      int_of(call("/v1/kv/try-set", set_body("c/1", "\"Yw==\"", 32, R"(,"compareRevision":0)")), "type"), 1);
  auto ok = call("/v1/kv/try-set", set_body("c/1", "\"Yw==\"", 32, R"(,"compareRevision":1)"));
  EXPECT_EQ(int_of(ok, "type"), 0);
  EXPECT_EQ(int_of(ok, "revision"), 2);
}

TEST_F(KvApiTest, InvalidInputs) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/v1/kv/try-set", set_body("", "null")},
      {"/v1/kv/try-set", R"({"value":"YQ=="})"},
      {"/v1/kv/try-set", set_body("x/1", "null", 64)},
      {"/v1/kv/try-set", set_body("x/1", "null", 128)},
      {"/v1/kv/try-set", R"({"key":"x/1","expiresMs":-1})"},
      {"/v1/kv/try-set", R"({"key":"__kahuna:sequences:a","value":null})"},
      {"/v1/kv/try-set", R"({"key":"x/1","durability":3})"},
      {"/v1/kv/try-set", R"({"key":"x/1","transactionId":{"n":1,"l":5,"c":0}})"},
      {"/v1/kv/try-get", R"({"key":""})"},
      {"/v1/kv/try-get", R"({"key":"x/1","transactionId":{"n":0,"l":1,"c":0}})"},
      {"/v1/kv/try-exists", R"({})"},
      {"/v1/kv/try-delete", R"({"key":null})"},
      {"/v1/kv/try-extend", R"({"key":"x/1"})"},
      {"/v1/kv/try-extend", R"({"key":"x/1","expiresMs":0})"},
  };
  for (const auto& [path, body] : cases) {
    auto reply = call(path, body);
    EXPECT_EQ(int_of(reply, "type"), 100) << path << " " << body;
    EXPECT_EQ(string_of(reply, "typeName"), "invalidInput");
    EXPECT_TRUE(is_null(reply, "route")) << path << " " << body;
  }
}

TEST_F(KvApiTest, OneMebibyteValuesWork) {
  const std::string value(1 << 20, 'z');
  std::string encoded;
  // 1 MiB of 'z' is 349525 times "enp6" and a tail.
  {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::size_t i = 0;
    for (; i + 3 <= value.size(); i += 3) {
      const unsigned g = 'z' << 16 | 'z' << 8 | 'z';
      encoded += alphabet[(g >> 18) & 63];
      encoded += alphabet[(g >> 12) & 63];
      encoded += alphabet[(g >> 6) & 63];
      encoded += alphabet[g & 63];
    }
    const unsigned g = 'z' << 16;
    encoded += alphabet[(g >> 18) & 63];
    encoded += alphabet[(g >> 12) & 63];
    encoded += "==";
  }
  EXPECT_EQ(int_of(call("/v1/kv/try-set", set_body("big/1", "\"" + encoded + "\"")), "type"), 0);
  auto read = call("/v1/kv/try-get", key_body("big/1"));
  EXPECT_EQ(string_of(read, "value"), encoded);
}

TEST_F(KvApiTest, NoLeaderIsMustRetry) {
  host.kernel.set_leader(FakeKernel::partition_of_name("nl/1"), 0);
  auto reply = call("/v1/kv/try-set", set_body("nl/1", "null"));
  EXPECT_EQ(int_of(reply, "type"), 101);
  EXPECT_EQ(string_of(reply, "typeName"), "mustRetry");
  ASSERT_TRUE(reply["route"].IsNull());  // no leader and nothing executed: no owner to hint
}

}  // namespace
}  // namespace kahuna::testing
