// /v1/sequences/*: HTTP-API.md §7 and the sequence examples of §11.
#include "contract_examples.h"
#include "json_expect.h"
#include "plugin_fixture.h"

namespace kahuna::testing {
namespace {

class SequenceApiTest : public HttpApiTest {};

void expect_empty_allocation(const rapidjson::Value& reply) {
  ASSERT_TRUE(reply["allocation"].IsObject()) << to_json(reply);
  EXPECT_EQ(string_of(reply["allocation"], "name"), "");
  EXPECT_EQ(int_of(reply["allocation"], "start"), 0);
  EXPECT_EQ(int_of(reply["allocation"], "end"), 0);
  EXPECT_EQ(int_of(reply["allocation"], "count"), 0);
  EXPECT_EQ(int_of(reply["allocation"], "revision"), 0);
}

TEST_F(SequenceApiTest, ReproducesTheSequenceExamples) {
  auto created =
      call("/v1/sequences/create", R"({"name":"invoices","initialValue":0,"increment":1,"maxValue":null,
      "blockSize":null,"durability":1})");
  EXPECT_EQ(int_of(created, "type"), 0);
  EXPECT_EQ(string_of(created, "typeName"), "success");
  EXPECT_EQ(int_of(created, "revision"), 0);
  EXPECT_TRUE(is_null(created, "sequence"));
  expect_empty_allocation(created);
  EXPECT_EQ(string_of(created, "servedFrom"), "");
  EXPECT_TRUE(created["route"].IsObject());

  auto reserved = call("/v1/sequences/reserve",
                       R"({"name":"invoices","count":10,"idempotencyKey":"req-81c2","durability":1})");
  EXPECT_EQ(int_of(reserved, "type"), 0);
  EXPECT_EQ(int_of(reserved, "revision"), 1);
  EXPECT_TRUE(is_null(reserved, "sequence"));
  const auto& allocation = reserved["allocation"];
  EXPECT_EQ(string_of(allocation, "name"), "invoices");
  EXPECT_EQ(int_of(allocation, "start"), 1);
  EXPECT_EQ(int_of(allocation, "end"), 10);
  EXPECT_EQ(int_of(allocation, "count"), 10);
  EXPECT_EQ(int_of(allocation, "revision"), 1);

  auto got = call("/v1/sequences/get", R"({"name":"invoices","durability":1})");
  EXPECT_EQ(int_of(got, "type"), 0);
  EXPECT_EQ(int_of(got, "revision"), 1);
  expect_empty_allocation(got);
  const auto& sequence = got["sequence"];
  ASSERT_TRUE(sequence.IsObject());
  expect_invoices_after_a_reservation(sequence);
  EXPECT_EQ(int_of(sequence, "currentValue"), 10);
  EXPECT_EQ(int_of(sequence, "durability"), 1);
  EXPECT_EQ(int_of(sequence["createdAt"], "n"), 1);
  EXPECT_GE(int_of(sequence["updatedAt"], "l"), int_of(sequence["createdAt"], "l"));

  auto again =
      call("/v1/sequences/create", R"({"name":"invoices","initialValue":0,"increment":1,"durability":1})");
  EXPECT_EQ(int_of(again, "type"), 2);
  EXPECT_EQ(string_of(again, "typeName"), "alreadyExists");
}

TEST_F(SequenceApiTest, NextIdempotencyAndMaxValue) {
  call("/v1/sequences/create", R"({"name":"s","initialValue":0,"increment":1,"maxValue":2})");
  auto one = call("/v1/sequences/next", R"({"name":"s","idempotencyKey":"k1","durability":1})");
  EXPECT_EQ(int_of(one["allocation"], "start"), 1);
  EXPECT_EQ(int_of(one["allocation"], "count"), 1);
  auto repeat = call("/v1/sequences/next", R"({"name":"s","idempotencyKey":"k1"})");
  EXPECT_EQ(int_of(repeat["allocation"], "start"), 1);
  auto other_count = call("/v1/sequences/reserve", R"({"name":"s","count":5,"idempotencyKey":"k1"})");
  EXPECT_EQ(int_of(other_count, "type"), 3);
  EXPECT_EQ(int_of(call("/v1/sequences/reserve", R"({"name":"s","count":1})")["allocation"], "start"), 2);
  auto exceeded = call("/v1/sequences/reserve", R"({"name":"s","count":1})");
  EXPECT_EQ(int_of(exceeded, "type"), 4);
  EXPECT_EQ(string_of(exceeded, "typeName"), "maxValueExceeded");
  expect_empty_allocation(exceeded);
}

TEST_F(SequenceApiTest, UpdateDeleteAndNotFound) {
  call("/v1/sequences/create", R"({"name":"u"})");
  auto updated =
      call("/v1/sequences/update", R"({"name":"u","currentValue":5000,"increment":10,"durability":1})");
  EXPECT_EQ(int_of(updated, "type"), 0);
  EXPECT_EQ(int_of(call("/v1/sequences/next", R"({"name":"u"})")["allocation"], "start"), 5010);
  EXPECT_EQ(int_of(call("/v1/sequences/get", R"({"name":"u"})")["sequence"], "incarnation"), 1);
  EXPECT_EQ(int_of(call("/v1/sequences/update", R"({"name":"u","removeMaxValue":true})"), "type"), 0);
  EXPECT_EQ(int_of(call("/v1/sequences/delete", R"({"name":"u","durability":1})"), "type"), 0);
  for (const char* path : {"/v1/sequences/get", "/v1/sequences/next", "/v1/sequences/delete"}) {
    auto reply = call(path, R"({"name":"u"})");
    EXPECT_EQ(int_of(reply, "type"), 1) << path;
    EXPECT_EQ(string_of(reply, "typeName"), "notFound");
  }
  EXPECT_EQ(int_of(call("/v1/sequences/get", R"({"name":"u"})"), "revision"), -1);
  EXPECT_EQ(int_of(call("/v1/sequences/update", R"({"name":"u","increment":2})"), "type"), 1);
  EXPECT_EQ(int_of(call("/v1/sequences/reserve", R"({"name":"u","count":2})"), "type"), 1);
}

TEST_F(SequenceApiTest, InvalidInputs) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/v1/sequences/create", R"({"name":""})"},
      {"/v1/sequences/create", R"({"name":"   "})"},
      {"/v1/sequences/create", R"({"initialValue":1})"},
      {"/v1/sequences/create", R"({"name":"__kahuna:x"})"},
      {"/v1/sequences/create", R"({"name":"a","increment":0})"},
      {"/v1/sequences/create", R"({"name":"a","increment":-1})"},
      {"/v1/sequences/create", R"({"name":"a","initialValue":10,"maxValue":5})"},
      {"/v1/sequences/create", R"({"name":"a","blockSize":0})"},
      {"/v1/sequences/create", R"({"name":"a","durability":0})"},
      {"/v1/sequences/create", R"({"name":"a","durability":"ephemeral"})"},
      {"/v1/sequences/reserve", R"({"name":"a","count":0})"},
      {"/v1/sequences/reserve", R"({"name":"a","count":-3})"},
      {"/v1/sequences/reserve", R"({"name":"a"})"},
      {"/v1/sequences/reserve",
       R"({"name":"a","count":1,"idempotencyKey":")" + std::string(1025, 'k') + "\"}"},
      {"/v1/sequences/update", R"({"name":"a"})"},
      {"/v1/sequences/update", R"({"name":"a","maxValue":5,"removeMaxValue":true})"},
      {"/v1/sequences/update", R"({"name":"a","blockSize":5,"removeBlockSize":true})"},
      {"/v1/sequences/update", R"({"name":"a","increment":0})"},
      {"/v1/sequences/get", R"({})"},
      {"/v1/sequences/next", R"({"name":""})"},
      {"/v1/sequences/delete", R"({"name":null})"},
  };
  for (const auto& [path, body] : cases) {
    auto reply = call(path, body);
    EXPECT_EQ(int_of(reply, "type"), 3) << path << " " << body;
    EXPECT_EQ(string_of(reply, "typeName"), "invalidInput");
    EXPECT_TRUE(is_null(reply, "route"));
    expect_empty_allocation(reply);
  }
}

}  // namespace
}  // namespace kahuna::testing
