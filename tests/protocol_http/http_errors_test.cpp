// The HTTP error statuses of HTTP-API.md §1, each with a JSON error body.
#include "json_expect.h"
#include "plugin_fixture.h"

namespace kahuna::testing {
namespace {

void expect_json_error(const HttpReply& reply, int status) {
  EXPECT_EQ(reply.status, status) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "application/json");
  auto body = reply.json();
  ASSERT_FALSE(body.HasParseError()) << reply.body;
  EXPECT_TRUE(body.IsObject() && body.HasMember("error") && body["error"].IsString()) << reply.body;
}

class HttpErrorsTest : public HttpApiTest {};

TEST_F(HttpErrorsTest, BodiesThatAreNotJsonObjectsAre400) {
  for (const std::string body : {"", "not json", "[1,2]", "\"text\"", "{\"key\":", "{\"a\":1}x", "null"}) {
    expect_json_error(client->post("/v1/kv/try-set", body), 400);
  }
  // Invalid UTF-8 inside a string.
  expect_json_error(client->post("/v1/kv/try-set", "{\"key\":\"\xff\xfe\"}"), 400);
  // The connection survives a 400 about a body.
  EXPECT_EQ(client->post("/v1/kv/try-get", R"({"key":"a"})").status, 200);
}

TEST_F(HttpErrorsTest, FieldsOfTheWrongTypeAre400) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/v1/locks/try-lock", R"({"resource":1,"owner":"YQ==","expiresMs":10})"},
      {"/v1/locks/try-lock", R"({"resource":"r","owner":"YQ==","expiresMs":"10"})"},
      {"/v1/locks/try-lock", R"({"resource":"r","owner":"YQ==","expiresMs":1.5})"},
      {"/v1/locks/try-lock", R"({"resource":"r","owner":"YQ==","expiresMs":3000000000})"},
      {"/v1/locks/try-lock", R"({"resource":"r","owner":"not base64!","expiresMs":10})"},
      {"/v1/locks/try-lock", R"({"resource":"r","owner":"YQ==","expiresMs":10,"durability":true})"},
      {"/v1/locks/try-lock", R"({"resource":"r","owner":"YQ==","expiresMs":10,"durability":"durable"})"},
      {"/v1/kv/try-set", R"({"key":"a","value":5})"},
      {"/v1/kv/try-set", R"({"key":"a","flags":null})"},
      {"/v1/kv/try-get", R"({"key":"a","readTimestamp":"now"})"},
      {"/v1/kv/try-get", R"({"key":"a","readTimestamp":{"n":0,"l":0,"c":-1}})"},
      {"/v1/kv/try-get", R"({"key":"a","transactionId":[]})"},
      {"/v1/kv/try-get", R"({"key":"a","operationIdHigh":-1})"},
      {"/v1/kv/get-by-range", R"({"prefix":"a","limit":1,"startInclusive":"yes"})"},
      {"/v1/sequences/create", R"({"name":"a","maxValue":"big"})"},
      {"/v1/sequences/update", R"({"name":"a","removeMaxValue":1})"},
  };
  for (const auto& [path, body] : cases) {
    SCOPED_TRACE(path + " " + body);
    expect_json_error(client->post(path, body), 400);
  }
}

TEST_F(HttpErrorsTest, AcceptsTheFull64BitRanges) {
  auto reply = call("/v1/kv/try-get", R"({"key":"a","revision":-9223372036854775808,
      "operationIdHigh":18446744073709551615,"operationIdLow":0})");
  EXPECT_EQ(int_of(reply, "type"), 103);
}

TEST_F(HttpErrorsTest, UnknownPathsAre404IncludingLaterWork) {
  for (const std::string path :
       {"/v1/kv/nope", "/v2/kv/try-set", "/v1/kv/try-acquire-prefix-lock", "/v1/kv/try-acquire-range-lock",
        "/v1/kv/snapshot-hold/acquire", "/v1/ranges/split", "/v1/backups/full", "/v1/restore"}) {
    SCOPED_TRACE(path);
    expect_json_error(client->post(path, "{}"), 404);
  }
  for (const std::string path :
       {"/v1/kv/snapshot-floor", "/v1/ranges", "/v1/backups", "/v1/backups/abc/chain", "/nothing"}) {
    SCOPED_TRACE(path);
    expect_json_error(client->get(path), 404);
  }
}

TEST_F(HttpErrorsTest, WrongMethodsAre405WithAllow) {
  auto get_on_post = client->get("/v1/kv/try-set");
  expect_json_error(get_on_post, 405);
  EXPECT_EQ(get_on_post.header("allow"), "POST");
  auto post_on_get = client->post("/v1/cluster/health", "{}");
  expect_json_error(post_on_get, 405);
  EXPECT_EQ(post_on_get.header("allow"), "GET");
  client->send_raw(HttpTestClient::request_bytes("DELETE", "/v1/locks/try-lock", ""));
  auto deleted = client->read_reply();
  ASSERT_TRUE(deleted);
  expect_json_error(*deleted, 405);
}

TEST_F(HttpErrorsTest, TrailingSlashesAndDoubledLeadingSlashesReachTheRoute) {
  EXPECT_EQ(client->post("/v1/kv/try-get/", R"({"key":"a"})").status, 200);
  EXPECT_EQ(client->post("//v1/kv/try-get", R"({"key":"a"})").status, 200);
}

TEST_F(HttpErrorsTest, BodiesUpToTheDefaultLimitOfFourMebibytesAreRead) {
  // Leading whitespace is valid JSON, so the size alone is under test.
  const std::string object = R"({"key":"a"})";
  const std::string body = std::string(4 * 1024 * 1024 - object.size(), ' ') + object;
  EXPECT_EQ(client->post("/v1/kv/try-get", body).status, 200);
}

TEST_F(HttpErrorsTest, BodiesOverTheLimitAre413) {
  // Default limit 4 MiB; announced by Content-Length, refused before reading it.
  const std::string big(4 * 1024 * 1024 + 1, ' ');
  auto reply = client->post("/v1/kv/try-set", big);
  expect_json_error(reply, 413);
  EXPECT_FALSE(reply.keep_alive);
}

TEST_F(HttpErrorsTest, ChunkedBodiesOverTheLimitAre413) {
  const std::string chunk(1024 * 1024, ' ');
  std::string bytes = "POST /v1/kv/try-set HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
  for (int i = 0; i < 5; ++i) bytes += size + chunk + "\r\n";
  bytes += "0\r\n\r\n";
  client->send_raw(bytes);
  auto reply = client->read_reply();
  ASSERT_TRUE(reply);
  expect_json_error(*reply, 413);
}

TEST_F(HttpErrorsTest, MalformedHttpIs400AndCloses) {
  client->send_raw("THIS IS NOT HTTP\r\n\r\n");
  auto reply = client->read_reply();
  ASSERT_TRUE(reply);
  expect_json_error(*reply, 400);
  EXPECT_TRUE(client->closed_within(std::chrono::seconds(5)));
}

class AuthenticationTest : public HttpApiTest {
 protected:
  std::string extra_options() const override { return "auth_tokens = [\"s3cret\", \"other\"]\n"; }
};

TEST_F(AuthenticationTest, MissingOrWrongTokensAre401) {
  auto wrong = client->post("/v1/kv/try-get", R"({"key":"a"})");  // the client sends "xxx"
  expect_json_error(wrong, 401);
  EXPECT_EQ(wrong.header("www-authenticate"), "Bearer");
  client->send_raw(HttpTestClient::request_bytes("POST", "/v1/kv/try-get", R"({"key":"a"})"));
  auto missing = client->read_reply();
  ASSERT_TRUE(missing);
  expect_json_error(*missing, 401);
  expect_json_error(client->get("/metrics"), 401);
  // Probes need no token.
  EXPECT_EQ(client->get("/health").status, 200);
  EXPECT_EQ(client->get("/v1/cluster/health").status, 200);

  HttpTestClient right(host.port(), "s3cret");
  EXPECT_EQ(right.post("/v1/kv/try-get", R"({"key":"a"})").status, 200);
  HttpTestClient second(host.port(), "other");
  EXPECT_EQ(second.get("/v1/cluster/status").status, 200);
  HttpTestClient prefix(host.port(), "s3cre");
  EXPECT_EQ(prefix.post("/v1/kv/try-get", R"({"key":"a"})").status, 401);
}

TEST_F(HttpErrorsTest, WithoutTokensAnyAuthorizationIsIgnored) {
  HttpTestClient anything(host.port(), "whatever");
  EXPECT_EQ(anything.post("/v1/kv/try-get", R"({"key":"a"})").status, 200);
  client->send_raw(HttpTestClient::request_bytes("POST", "/v1/kv/try-get", R"({"key":"a"})"));
  auto none = client->read_reply();
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 200);
}

}  // namespace
}  // namespace kahuna::testing
