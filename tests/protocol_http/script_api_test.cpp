// POST /v1/kv/try-execute-tx-script against the fake kernel, which echoes
// what it received (the text as `reason`, each parameter as a row): the
// JSON decodes into the request exactly, the reply's rows come back in the
// documented shape, and malformed bodies never reach the kernel.
#include <kahuna/base64.h>

#include "json_expect.h"
#include "plugin_fixture.h"

namespace kahuna::testing {
namespace {

class ScriptApiTest : public HttpApiTest {};

TEST_F(ScriptApiTest, TheTextAndEveryParameterReachTheKernel) {
  const std::string body = R"({"script":")" + base64_encode("SET `k` @value") +
                           R"(","hash":"ab12","parameters":[{"key":"@value","value":"v 1"},)"
                           R"({"key":"@none","value":null}],"priority":3})";
  auto reply = call("/v1/kv/try-execute-tx-script", body);
  EXPECT_EQ(int_of(reply, "type"), 3);
  EXPECT_EQ(string_of(reply, "typeName"), "get");
  EXPECT_EQ(string_of(reply, "reason"), "SET `k` @value");
  ASSERT_TRUE(reply["values"].IsArray());
  ASSERT_EQ(reply["values"].Size(), 2u);
  EXPECT_EQ(string_of(reply["values"][0], "key"), "@value");
  EXPECT_EQ(string_of(reply["values"][0], "value"), base64_encode("v 1"));  // reply values are base64
  EXPECT_EQ(int_of(reply["values"][0], "revision"), 1);
  EXPECT_TRUE(reply["values"][0]["expires"].IsObject());
  EXPECT_TRUE(reply["values"][0]["lastModified"].IsObject());
  EXPECT_EQ(string_of(reply["values"][1], "key"), "@none");
  EXPECT_TRUE(is_null(reply["values"][1], "value"));
}

TEST_F(ScriptApiTest, NullOrAbsentParametersAreNone) {
  auto reply = call("/v1/kv/try-execute-tx-script",
                    R"({"script":")" + base64_encode("GET `k`") + R"(","parameters":null})");
  EXPECT_EQ(int_of(reply, "type"), 3);
  EXPECT_EQ(reply["values"].Size(), 0u);
  reply = call("/v1/kv/try-execute-tx-script", R"({"script":")" + base64_encode("GET `k`") + R"("})");
  EXPECT_EQ(int_of(reply, "type"), 3);
}

TEST_F(ScriptApiTest, MalformedBodiesAreRefused) {
  auto missing = call("/v1/kv/try-execute-tx-script", R"({"hash":null})");
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(int_of(missing, "type"), 100);
  EXPECT_NE(string_of(missing, "reason").find("script is required"), std::string::npos);
  for (const char* body :
       {R"({"script":7})", R"({"script":"not base64!"})", R"({"script":"R0VU","parameters":{"@a":"b"}})",
        R"({"script":"R0VU","parameters":[{"key":7}]})", R"({"script":"R0VU","priority":9})"}) {
    EXPECT_EQ(client->post("/v1/kv/try-execute-tx-script", body).status, 400) << body;
  }
  auto unnamed = call("/v1/kv/try-execute-tx-script", R"({"script":"R0VU","parameters":[{"value":"x"}]})");
  EXPECT_EQ(int_of(unnamed, "type"), 100);
}

// The participants' step has no HTTP path: nothing routes to it.
TEST_F(ScriptApiTest, TheTransactionStepIsNotServedOverHttp) {
  EXPECT_EQ(client->post("/v1/kv/tx-step", R"({"partition":1})").status, 404);
}

}  // namespace
}  // namespace kahuna::testing
