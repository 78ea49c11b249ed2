// /v1/locks/*: HTTP-API.md §5 and the lock examples of §11.
#include "json_expect.h"
#include "plugin_fixture.h"

namespace kahuna::testing {
namespace {

constexpr const char* kOwnerA = "b3duZXItYQ==";  // owner-a
constexpr const char* kOwnerB = "b3duZXItYg==";  // owner-b

std::string lock_body(const std::string& resource, const std::string& owner, int expires_ms = 10000,
                      const std::string& durability = "1") {
  return R"({"resource":")" + resource + R"(","owner":")" + owner + R"(","expiresMs":)" +
         std::to_string(expires_ms) + R"(,"durability":)" + durability + "}";
}

class LockApiTest : public HttpApiTest {};

// What try-lock answers besides its route: `type` and its name, no fencing
// token yet, and no redirection.
void expect_try_lock_reply(const rapidjson::Value& reply, int type, const char* type_name) {
  EXPECT_EQ(int_of(reply, "type"), type);
  EXPECT_EQ(string_of(reply, "typeName"), type_name);
  EXPECT_EQ(int_of(reply, "fencingToken"), 0);
  EXPECT_EQ(string_of(reply, "servedFrom"), "");
}

TEST_F(LockApiTest, ReproducesTheLockExamples) {
  auto locked = call("/v1/locks/try-lock", lock_body("orders/42", kOwnerA));
  expect_try_lock_reply(locked, 0, "locked");
  ASSERT_TRUE(locked["route"].IsObject());
  EXPECT_EQ(int_of(locked["route"], "partitionId"), FakeKernel::partition_of_name("orders/42"));
  EXPECT_EQ(string_of(locked["route"], "endpoint"), host.server->endpoint());
  EXPECT_EQ(int_of(locked["route"], "provenance"), 1);
  EXPECT_EQ(int_of(locked["route"], "generation"), 0);

  auto busy = call("/v1/locks/try-lock", lock_body("orders/42", kOwnerB));
  expect_try_lock_reply(busy, 1, "busy");
  EXPECT_TRUE(busy["route"].IsObject());

  auto info = call("/v1/locks/get-info", R"({"resource":"orders/42","durability":1})");
  EXPECT_EQ(int_of(info, "type"), 4);
  EXPECT_EQ(string_of(info, "typeName"), "got");
  EXPECT_EQ(string_of(info, "owner"), kOwnerA);
  EXPECT_GT(int_of(info["expires"], "l"), 1700000000000);
  EXPECT_EQ(int_of(info, "fencingToken"), 0);

  auto not_owner = call("/v1/locks/try-unlock", R"({"resource":"orders/42","owner":")" +
                                                    std::string(kOwnerB) + R"(","durability":1})");
  EXPECT_EQ(int_of(not_owner, "type"), 103);
  EXPECT_EQ(string_of(not_owner, "typeName"), "invalidOwner");
  EXPECT_EQ(string_of(not_owner, "servedFrom"), "");
  EXPECT_TRUE(not_owner["route"].IsObject());
}

TEST_F(LockApiTest, FencingTokensGrowPerNewHolderAndStayForTheSameOwner) {
  EXPECT_EQ(int_of(call("/v1/locks/try-lock", lock_body("r", kOwnerA)), "fencingToken"), 0);
  auto again = call("/v1/locks/try-lock", lock_body("r", kOwnerA));
  EXPECT_EQ(int_of(again, "type"), 0);
  EXPECT_EQ(int_of(again, "fencingToken"), 0);
  auto unlocked = call("/v1/locks/try-unlock",
                       R"({"resource":"r","owner":")" + std::string(kOwnerA) + R"(","durability":1})");
  EXPECT_EQ(int_of(unlocked, "type"), 3);
  EXPECT_EQ(string_of(unlocked, "typeName"), "unlocked");
  auto next = call("/v1/locks/try-lock", lock_body("r", kOwnerB));
  EXPECT_EQ(int_of(next, "type"), 0);
  EXPECT_EQ(int_of(next, "fencingToken"), 1);
}

TEST_F(LockApiTest, ExtendAndUnlockAnswerEveryCode) {
  auto missing = call("/v1/locks/try-extend", lock_body("e", kOwnerA));
  EXPECT_EQ(int_of(missing, "type"), 102);
  EXPECT_EQ(string_of(missing, "typeName"), "lockDoesNotExist");
  call("/v1/locks/try-lock", lock_body("e", kOwnerA, 1000));
  auto before = call("/v1/locks/get-info", R"({"resource":"e","durability":1})");
  auto extended = call("/v1/locks/try-extend", lock_body("e", kOwnerA, 60000));
  EXPECT_EQ(int_of(extended, "type"), 2);
  EXPECT_EQ(string_of(extended, "typeName"), "extended");
  EXPECT_EQ(int_of(extended, "fencingToken"), 0);
  EXPECT_TRUE(extended.HasMember("fencingToken"));
  auto after = call("/v1/locks/get-info", R"({"resource":"e","durability":1})");
  EXPECT_GT(int_of(after["expires"], "l"), int_of(before["expires"], "l"));
  EXPECT_EQ(int_of(call("/v1/locks/try-extend", lock_body("e", kOwnerB)), "type"), 103);
  EXPECT_EQ(int_of(call("/v1/locks/try-unlock", lock_body("e", kOwnerA)), "type"), 3);
  EXPECT_EQ(int_of(call("/v1/locks/try-unlock", lock_body("e", kOwnerA)), "type"), 102);
  auto gone = call("/v1/locks/get-info", R"({"resource":"e","durability":1})");
  EXPECT_EQ(int_of(gone, "type"), 102);
  EXPECT_TRUE(is_null(gone, "owner"));
  EXPECT_EQ(hlc_of(gone, "expires"), "0,0,0");
}

TEST_F(LockApiTest, EphemeralAndPersistentLocksAreIndependent) {
  EXPECT_EQ(int_of(call("/v1/locks/try-lock", lock_body("d", kOwnerA, 10000, "1")), "type"), 0);
  EXPECT_EQ(int_of(call("/v1/locks/try-lock", lock_body("d", kOwnerB, 10000, "0")), "type"), 0);
  // Durability as a string, any case, and absent (= ephemeral).
  EXPECT_EQ(int_of(call("/v1/locks/try-lock", lock_body("d", kOwnerB, 10000, "\"Persistent\"")), "type"), 1);
  EXPECT_EQ(int_of(call("/v1/locks/try-lock", lock_body("d", kOwnerA, 10000, "\"ephemeral\"")), "type"), 1);
  auto absent = call("/v1/locks/get-info", R"({"resource":"d"})");
  EXPECT_EQ(string_of(absent, "owner"), kOwnerB);
}

TEST_F(LockApiTest, InvalidInputHasNoRoute) {
  const std::vector<std::string> bodies = {
      R"({"owner":"b3duZXItYQ==","expiresMs":1000})",                        // no resource
      R"({"resource":"","owner":"b3duZXItYQ==","expiresMs":1000})",          // empty resource
      R"({"resource":"r","expiresMs":1000})",                                // no owner
      R"({"resource":"r","owner":null,"expiresMs":1000})",                   // null owner
      R"({"resource":"r","owner":"","expiresMs":1000})",                     // empty owner
      R"({"resource":"r","owner":"b3duZXItYQ=="})",                          // no expiresMs
      R"({"resource":"r","owner":"b3duZXItYQ==","expiresMs":0})",            // expiresMs 0
      R"({"resource":"r","owner":"b3duZXItYQ==","expiresMs":-5})",           // negative
      R"({"resource":"__kahuna:x","owner":"b3duZXItYQ==","expiresMs":10})",  // reserved
      R"({"resource":"r","owner":"b3duZXItYQ==","expiresMs":10,"durability":7})",
  };
  for (const std::string& body : bodies) {
    auto reply = call("/v1/locks/try-lock", body);
    EXPECT_EQ(int_of(reply, "type"), 100) << body;
    EXPECT_EQ(string_of(reply, "typeName"), "invalidInput") << body;
    EXPECT_TRUE(is_null(reply, "route")) << body;
    EXPECT_EQ(string_of(reply, "servedFrom"), "");
  }
  EXPECT_EQ(int_of(call("/v1/locks/try-unlock", R"({"resource":"r"})"), "type"), 100);
  EXPECT_EQ(int_of(call("/v1/locks/get-info", R"({"durability":1})"), "type"), 100);
}

TEST_F(LockApiTest, AcceptsUnpaddedAndUrlSafeOwnersAndEmitsStandardBase64) {
  // "owner-a" unpadded; bytes 0xfb 0xff as URL-safe "-_8".
  EXPECT_EQ(int_of(call("/v1/locks/try-lock", lock_body("b64", "b3duZXItYQ")), "type"), 0);
  EXPECT_EQ(string_of(call("/v1/locks/get-info", R"({"resource":"b64","durability":1})"), "owner"), kOwnerA);
  EXPECT_EQ(int_of(call("/v1/locks/try-lock", lock_body("b64u", "-_8")), "type"), 0);
  EXPECT_EQ(string_of(call("/v1/locks/get-info", R"({"resource":"b64u","durability":1})"), "owner"), "+/8=");
}

TEST_F(LockApiTest, MatchesFieldNamesCaseInsensitivelyAndIgnoresUnknownFields) {
  auto reply = call("/v1/locks/try-lock",
                    R"({"Resource":"ci","OWNER":"b3duZXItYQ==","expiresms":1000,"somethingElse":[1,2]})");
  EXPECT_EQ(int_of(reply, "type"), 0);
}

TEST_F(LockApiTest, ForwardedRequestsHintTheLeadersEndpoint) {
  const std::uint32_t partition = FakeKernel::partition_of_name("far/1");
  host.kernel.set_leader(partition, FakeKernel::kOther);
  auto reply = call("/v1/locks/try-lock", lock_body("far/1", kOwnerA));
  EXPECT_EQ(int_of(reply["route"], "provenance"), 2);
  EXPECT_EQ(string_of(reply["route"], "endpoint"), FakeKernel::kOtherEndpoint);
  EXPECT_EQ(int_of(reply["route"], "partitionId"), partition);
}

TEST_F(LockApiTest, NoLeaderIsMustRetryNotAnHttpError) {
  host.kernel.set_leader(FakeKernel::partition_of_name("nl/1"), 0);
  auto reply = call("/v1/locks/try-lock", lock_body("nl/1", kOwnerA));
  EXPECT_EQ(int_of(reply, "type"), 101);
  EXPECT_EQ(string_of(reply, "typeName"), "mustRetry");
}

}  // namespace
}  // namespace kahuna::testing
