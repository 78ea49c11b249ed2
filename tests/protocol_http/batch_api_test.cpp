// /v1/kv/try-*-many: HTTP-API.md §6.2 and the delete-many example of §11.
#include "contract_examples.h"
#include "json_expect.h"
#include "plugin_fixture.h"

namespace kahuna::testing {
namespace {

class BatchApiTest : public HttpApiTest {
 protected:
  void set(const std::string& key, const std::string& value_json) {
    call("/v1/kv/try-set", R"({"key":")" + key + R"(","value":)" + value_json + R"(,"durability":1})");
  }
};

TEST_F(BatchApiTest, ReproducesTheDeleteManyExample) {
  host.kernel.set_leader(FakeKernel::partition_of_name("users/7"), FakeKernel::kOther);
  set("users/7", "\"YQ==\"");
  auto reply = call("/v1/kv/try-delete-many", kDeleteManyBody);
  EXPECT_EQ(int_of(reply, "type"), 4);
  EXPECT_GE(int_of(reply, "timeElapsedMs"), 0);
  ASSERT_TRUE(reply["items"].IsArray());
  ASSERT_EQ(reply["items"].Size(), 2u);
  const auto& invalid = reply["items"][0];
  EXPECT_EQ(string_of(invalid, "key"), "");
  EXPECT_EQ(int_of(invalid, "type"), 100);
  EXPECT_EQ(int_of(invalid, "revision"), 0);
  EXPECT_EQ(hlc_of(invalid, "lastModified"), "0,0,0");
  EXPECT_EQ(int_of(invalid, "durability"), 1);
  EXPECT_EQ(int_of(invalid, "routeIndex"), 0);
  expect_users_7_deleted(reply["items"][1]);
  ASSERT_TRUE(reply["routes"].IsArray());
  ASSERT_EQ(reply["routes"].Size(), 1u);
  EXPECT_EQ(int_of(reply["routes"][0], "partitionId"), FakeKernel::partition_of_name("users/7"));
  EXPECT_EQ(string_of(reply["routes"][0], "endpoint"), FakeKernel::kOtherEndpoint);
  EXPECT_EQ(int_of(reply["routes"][0], "provenance"), 2);
  EXPECT_EQ(int_of(reply["routes"][0], "generation"), 0);
}

TEST_F(BatchApiTest, SetManyListsEachRouteOnceWithOneBasedIndexes) {
  // Two keys of one key space share a route; a third key space on another node.
  host.kernel.set_leader(FakeKernel::partition_of_name("b/x"), FakeKernel::kOther);
  std::string other_space = "c";
  while (FakeKernel::partition_of_name(other_space + "/x") == FakeKernel::partition_of_name("b/x"))
    other_space += "c";
  auto reply = call("/v1/kv/try-set-many", R"({"items":[{"key":"b/1","value":"YQ==","flags":8,"durability":0},
      {"key":"b/2","value":null,"durability":0},{"key":")" +
                                               other_space + R"(/1","value":"","durability":"persistent"},
      {"key":"b/1","value":"Yg==","flags":8,"durability":0}]})");
  EXPECT_EQ(int_of(reply, "type"), 0);
  const auto& rows = reply["items"];
  ASSERT_EQ(rows.Size(), 4u);
  EXPECT_EQ(int_of(rows[0], "type"), 0);
  EXPECT_EQ(int_of(rows[1], "type"), 0);
  EXPECT_EQ(int_of(rows[2], "type"), 0);
  EXPECT_EQ(int_of(rows[3], "type"), 1);  // set-if-not-exists on a key set by row 0
  EXPECT_EQ(int_of(rows[2], "durability"), 1);
  EXPECT_EQ(int_of(rows[0], "routeIndex"), 1);
  EXPECT_EQ(int_of(rows[1], "routeIndex"), 1);
  EXPECT_EQ(int_of(rows[2], "routeIndex"), 2);
  EXPECT_EQ(int_of(rows[3], "routeIndex"), 1);
  ASSERT_EQ(reply["routes"].Size(), 2u);
  EXPECT_EQ(string_of(reply["routes"][0], "endpoint"), FakeKernel::kOtherEndpoint);
  EXPECT_EQ(string_of(reply["routes"][1], "endpoint"), host.server->endpoint());
}

TEST_F(BatchApiTest, GetManyAndExistsMany) {
  set("g/1", "\"YQ==\"");
  set("g/2", "null");
  const std::string body = R"({"transactionId":{"n":0,"l":0,"c":0},"readTimestamp":{"n":0,"l":0,"c":0},
      "items":[{"key":"g/1","revision":-1,"durability":1},{"key":"g/2","durability":1},{"key":"g/3","durability":1},
               {"key":"","durability":1}]})";
  auto got = call("/v1/kv/try-get-many", body);
  EXPECT_EQ(int_of(got, "type"), 3);
  const auto& rows = got["items"];
  ASSERT_EQ(rows.Size(), 4u);
  EXPECT_EQ(int_of(rows[0], "type"), 3);
  EXPECT_EQ(string_of(rows[0], "value"), "YQ==");
  EXPECT_EQ(int_of(rows[1], "type"), 3);
  EXPECT_TRUE(is_null(rows[1], "value"));
  EXPECT_EQ(int_of(rows[2], "type"), 103);
  EXPECT_TRUE(is_null(rows[2], "value"));
  EXPECT_EQ(int_of(rows[2], "revision"), 0);
  EXPECT_EQ(int_of(rows[3], "type"), 100);
  EXPECT_EQ(int_of(rows[3], "routeIndex"), 0);

  auto exists = call("/v1/kv/try-exists-many", body);
  EXPECT_EQ(int_of(exists, "type"), 3);
  EXPECT_EQ(int_of(exists["items"][0], "type"), 10);
  EXPECT_TRUE(is_null(exists["items"][0], "value"));
  EXPECT_EQ(int_of(exists["items"][2], "type"), 103);
}

TEST_F(BatchApiTest, MissingItemsIsInvalidInputWithNoRows) {
  for (const char* path :
       {"/v1/kv/try-set-many", "/v1/kv/try-delete-many", "/v1/kv/try-get-many", "/v1/kv/try-exists-many"}) {
    auto reply = call(path, "{}");
    EXPECT_EQ(int_of(reply, "type"), 100) << path;
    EXPECT_EQ(reply["items"].Size(), 0u) << path;
    EXPECT_TRUE(reply["routes"].IsArray());
  }
}

TEST_F(BatchApiTest, ATransactionIdMakesEveryRowInvalidInput) {
  auto set_many = call("/v1/kv/try-set-many", R"({"items":[{"key":"t/1","value":null},
      {"key":"t/2","value":null,"transactionId":{"n":1,"l":2,"c":3}}]})");
  EXPECT_EQ(int_of(set_many, "type"), 100);
  ASSERT_EQ(set_many["items"].Size(), 2u);
  EXPECT_EQ(int_of(set_many["items"][0], "type"), 100);
  EXPECT_EQ(int_of(set_many["items"][1], "type"), 100);
  EXPECT_EQ(int_of(call("/v1/kv/try-get", R"({"key":"t/1"})"), "type"), 103);  // nothing ran

  auto get_many =
      call("/v1/kv/try-get-many", R"({"transactionId":{"n":1,"l":2,"c":3},"items":[{"key":"t/1"}]})");
  EXPECT_EQ(int_of(get_many, "type"), 100);
  EXPECT_EQ(int_of(get_many["items"][0], "type"), 100);
}

TEST_F(BatchApiTest, WrongItemTypesAre400) {
  EXPECT_EQ(client->post("/v1/kv/try-set-many", R"({"items":{}})").status, 400);
  EXPECT_EQ(client->post("/v1/kv/try-set-many", R"({"items":[1]})").status, 400);
  EXPECT_EQ(client->post("/v1/kv/try-set-many", R"({"items":[{"key":5}]})").status, 400);
  EXPECT_EQ(client->post("/v1/kv/try-get-many", R"({"items":[{"key":"a","revision":"x"}]})").status, 400);
}

}  // namespace
}  // namespace kahuna::testing
