// Interactive sessions over HTTP against a real 3-node cluster
// (TRANSACTIONS.md §2): the reference client's session cases — commit and
// rollback, reads of a session's own writes, pessimistic locks and
// optimistic validation, idempotent commits, unknown sessions and session
// timeouts. Every call goes to a node chosen by the test, not to the
// session's owner, so forwarding is exercised too.
#include <kahuna/base64.h>
#include <kahuna/placement.h>

#include <thread>

#include "real_server_util.h"

namespace kahuna::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kNodes = 3;
constexpr std::uint32_t kPartitions = 4;
constexpr int kPessimistic = 0;
constexpr int kOptimistic = 1;

// A started session: its handle, and the node its calls are sent to.
struct Session {
  std::string id;           // the transactionId, as the JSON object start answered
  std::string coordinator;  // the coordinatorKey it started with
  int node = 1;
};

std::string quoted(const std::string& text) { return "\"" + text + "\""; }
std::string value_field(const std::string& text) { return R"("value":")" + base64_encode(text) + "\""; }

// The transaction context of a call in `session`.
std::string context_of(const Session& session, std::uint64_t operation_id = 0) {
  return R"("transactionId":)" + session.id + R"(,"coordinatorKey":)" + quoted(session.coordinator) +
         R"(,"operationIdHigh":0,"operationIdLow":)" + std::to_string(operation_id);
}

// Keys of two key spaces named after `stem` on different partitions.
std::pair<std::string, std::string> keys_on_two_partitions(const std::string& stem) {
  const PlacementPool pool{kPartitions, 1};
  const std::string first = stem + "0/a";
  for (int n = 1;; ++n) {
    const std::string other = stem + std::to_string(n) + "/a";
    if (partition_for_key(other, pool) != partition_for_key(first, pool)) return {first, other};
  }
}

class HttpSessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new LocalCluster(http_cluster_dir("HttpSessionTest"),
                                ClusterOptions{kNodes, kPartitions, "rocksdb", 10000, true});
    cluster_->start_all();
    // A session lives in its owner's memory: a leadership transfer during a
    // test would end it.
    wait_for_settled_leaders(*cluster_, kPartitions);
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    for (int id = 1; id <= kNodes; ++id) clients_[id] = connect_http(cluster_->http_endpoint(id));
  }

  HttpTestClient& client(int node) { return *clients_.at(node); }

  Session start(const std::string& coordinator, int node, int locking = kPessimistic,
                int timeout_ms = 10000) {
    const std::string body = R"({"coordinatorKey":)" + quoted(coordinator) + R"(,"timeout":)" +
                             std::to_string(timeout_ms) + R"(,"lockingType":)" + std::to_string(locking) +
                             R"(,"readValidation":0,"readTimestamp":{"n":0,"l":0,"c":0},"priority":2})";
    const rapidjson::Document reply = post_retrying(client(node), "/v1/kv/start-tx-session", body);
    EXPECT_EQ(int_of(reply, "type"), 0) << to_json(reply);
    EXPECT_EQ(string_of(reply, "typeName"), "started");
    Session session{"{}", coordinator, node};
    if (reply.IsObject() && reply.HasMember("transactionId") && reply["transactionId"].IsObject()) {
      session.id = to_json(reply["transactionId"]);
      EXPECT_GT(int_of(reply["transactionId"], "l"), 0) << to_json(reply);
    }
    return session;
  }

  // A call inside `session` on `path` with the verb's own `fields`, retried
  // while it is must-retry (a call that did nothing).
  rapidjson::Document call_in(const Session& session, const std::string& path, const std::string& fields,
                              std::uint64_t operation_id = 0) {
    const std::string body = "{" + context_of(session, operation_id) + "," + fields + "}";
    return post_retrying(client(session.node), path, body, 101, 10s);
  }
  rapidjson::Document set_in(const Session& session, const std::string& key, const std::string& value) {
    return call_in(
        session, "/v1/kv/try-set",
        R"("key":)" + quoted(key) + "," + value_field(value) + R"(,"expiresMs":0,"flags":1,"durability":1)");
  }
  rapidjson::Document get_in(const Session& session, const std::string& key) {
    return call_in(
        session, "/v1/kv/try-get",
        R"("key":)" + quoted(key) + R"(,"revision":-1,"readTimestamp":{"n":0,"l":0,"c":0},"durability":1)");
  }
  rapidjson::Document lock_in(const Session& session, const std::string& key) {
    return call_in(session, "/v1/kv/try-acquire-exclusive-lock",
                   R"("key":)" + quoted(key) + R"(,"expiresMs":10000,"durability":1)");
  }

  // Commit or rollback (`path`), resent with the anchor a must-retry answer
  // named until the outcome is known, as clients do.
  rapidjson::Document end(const Session& session, const std::string& path) {
    std::string anchor = "null";
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    for (;;) {
      const std::string body = "{" + context_of(session) + R"(,"recordAnchorKey":)" + anchor + "}";
      const HttpReply reply = client(session.node).post(path, body);
      EXPECT_EQ(reply.status, 200) << path << " " << body << " -> " << reply.body;
      rapidjson::Document document = reply.json();
      if (document.HasParseError() || int_of(document, "type") != 101 ||
          std::chrono::steady_clock::now() >= deadline) {
        return document;
      }
      if (document["recordAnchorKey"].IsString()) anchor = quoted(document["recordAnchorKey"].GetString());
      std::this_thread::sleep_for(50ms);
    }
  }
  rapidjson::Document commit(const Session& session) { return end(session, "/v1/kv/commit-tx-session"); }
  rapidjson::Document rollback(const Session& session) { return end(session, "/v1/kv/rollback-tx-session"); }

  // Plain calls, outside any session.
  rapidjson::Document plain_get(const std::string& key, int node) {
    return post_retrying(client(node), "/v1/kv/try-get", R"({"key":)" + quoted(key) + R"(,"durability":1})",
                         101, 10s);
  }
  rapidjson::Document plain_set(const std::string& key, const std::string& value, int node) {
    return post_retrying(client(node), "/v1/kv/try-set",
                         R"({"key":)" + quoted(key) + "," + value_field(value) + R"(,"durability":1})", 101,
                         10s);
  }
  // The value a plain read finds ("<103>" when there is none).
  std::string plain_value(const std::string& key, int node) {
    const rapidjson::Document reply = plain_get(key, node);
    if (int_of(reply, "type") == 103) return "<103>";
    EXPECT_EQ(int_of(reply, "type"), 3) << key << " -> " << to_json(reply);
    if (!reply.IsObject() || !reply.HasMember("value") || !reply["value"].IsString()) return "<no value>";
    return base64_decode(reply["value"].GetString()).value_or("<not base64>");
  }
  static std::string decoded(const rapidjson::Value& reply) {
    if (!reply.IsObject() || !reply.HasMember("value") || !reply["value"].IsString()) return "<no value>";
    return base64_decode(reply["value"].GetString()).value_or("<not base64>");
  }

  static LocalCluster* cluster_;
  std::map<int, std::unique_ptr<HttpTestClient>> clients_;
};

LocalCluster* HttpSessionTest::cluster_ = nullptr;

// (a)
TEST_F(HttpSessionTest, CommitMakesEveryWriteVisibleAtOnce) {
  const auto [first, second] = keys_on_two_partitions("visible");
  const Session session = start(first, 2);
  ASSERT_EQ(int_of(set_in(session, first, "one"), "type"), 0);
  ASSERT_EQ(int_of(set_in(session, second, "two"), "type"), 0);
  // Read-your-writes inside; nothing outside.
  EXPECT_EQ(decoded(get_in(session, first)), "one");
  EXPECT_EQ(plain_value(first, 3), "<103>");
  EXPECT_EQ(plain_value(second, 1), "<103>");

  const rapidjson::Document committed = commit(session);
  EXPECT_EQ(int_of(committed, "type"), 8) << to_json(committed);
  EXPECT_EQ(string_of(committed, "typeName"), "committed");
  EXPECT_TRUE(committed["recordAnchorKey"].IsString()) << to_json(committed);
  for (int node = 1; node <= kNodes; ++node) {
    EXPECT_EQ(plain_value(first, node), "one") << "node " << node;
    EXPECT_EQ(plain_value(second, node), "two") << "node " << node;
  }
}

// (b)
TEST_F(HttpSessionTest, RollbackLeavesNothing) {
  const auto [first, second] = keys_on_two_partitions("rolled");
  const Session session = start(first, 3);
  ASSERT_EQ(int_of(set_in(session, first, "x"), "type"), 0);
  ASSERT_EQ(int_of(set_in(session, second, "y"), "type"), 0);
  const rapidjson::Document rolled_back = rollback(session);
  EXPECT_EQ(int_of(rolled_back, "type"), 9) << to_json(rolled_back);
  EXPECT_EQ(string_of(rolled_back, "typeName"), "rolledBack");
  EXPECT_EQ(plain_value(first, 1), "<103>");
  EXPECT_EQ(plain_value(second, 2), "<103>");
}

// (c)
TEST_F(HttpSessionTest, SeveralWritesAndADeleteCommitTogether) {
  const auto [first, second] = keys_on_two_partitions("together");
  const std::string doomed = "together-gone/a";
  ASSERT_EQ(int_of(plain_set(doomed, "old", 1), "type"), 0);
  const Session session = start(first, 1);
  ASSERT_EQ(int_of(set_in(session, first, "1"), "type"), 0);
  ASSERT_EQ(int_of(set_in(session, second, "2"), "type"), 0);
  ASSERT_EQ(int_of(set_in(session, first, "1b"), "type"), 0);  // the last write of a key wins
  const rapidjson::Document deleted =
      call_in(session, "/v1/kv/try-delete", R"("key":)" + quoted(doomed) + R"(,"durability":1)");
  EXPECT_EQ(int_of(deleted, "type"), 4) << to_json(deleted);
  EXPECT_EQ(plain_value(doomed, 2), "old");  // not before the commit

  EXPECT_EQ(int_of(commit(session), "type"), 8);
  EXPECT_EQ(plain_value(first, 2), "1b");
  EXPECT_EQ(plain_value(second, 3), "2");
  EXPECT_EQ(plain_value(doomed, 3), "<103>");
}

// (d)
TEST_F(HttpSessionTest, PessimisticReadThenWriteHoldsTheKey) {
  const std::string counter = "pessimistic-counter/a";
  ASSERT_EQ(int_of(plain_set(counter, "10", 1), "type"), 0);
  const Session session = start(counter, 2, kPessimistic);
  const rapidjson::Document read = get_in(session, counter);
  ASSERT_EQ(int_of(read, "type"), 3) << to_json(read);
  ASSERT_EQ(decoded(read), "10");

  // The key is the session's now: a plain write must retry until it ends.
  const std::string plain_body =
      R"({"key":)" + quoted(counter) + "," + value_field("99") + R"(,"durability":1})";
  const HttpReply blocked = client(3).post("/v1/kv/try-set", plain_body);
  EXPECT_EQ(blocked.status, 200);
  EXPECT_EQ(int_of(blocked.json(), "type"), 101) << blocked.body;

  const int next = std::stoi(decoded(read)) + 1;
  ASSERT_EQ(int_of(set_in(session, counter, std::to_string(next)), "type"), 0);
  EXPECT_EQ(int_of(commit(session), "type"), 8);
  EXPECT_EQ(plain_value(counter, 3), "11");
  // Once the session ended, the key is free again.
  EXPECT_EQ(int_of(plain_set(counter, "12", 3), "type"), 0);
  EXPECT_EQ(plain_value(counter, 1), "12");
}

// (e) Through every node: the session's owner serves one of them itself,
// the others forward every item to it.
TEST_F(HttpSessionTest, DeleteManyInASession) {
  for (int node = 1; node <= kNodes; ++node) {
    SCOPED_TRACE("sent to node " + std::to_string(node));
    const auto [first, second] = keys_on_two_partitions("many" + std::to_string(node) + "-");
    const std::string third = "many-third-" + std::to_string(node) + "/a";
    for (const std::string& key : {first, second, third})
      ASSERT_EQ(int_of(plain_set(key, "v", 1), "type"), 0);
    const Session session = start(first, node);
    // The reference client's shape: the id on every item, the rest at the top.
    std::string items;
    for (const std::string& key : {first, second, third}) {
      if (!items.empty()) items += ",";
      items += R"({"transactionId":)" + session.id + R"(,"key":)" + quoted(key) + R"(,"durability":1})";
    }
    const std::string body = R"({"coordinatorKey":)" + quoted(session.coordinator) +
                             R"(,"operationIdHigh":0,"operationIdLow":0,"items":[)" + items + "]}";
    const rapidjson::Document reply = post_retrying(client(node), "/v1/kv/try-delete-many", body);
    EXPECT_EQ(int_of(reply, "type"), 4) << to_json(reply);
    ASSERT_TRUE(reply["items"].IsArray());
    ASSERT_EQ(reply["items"].Size(), 3u);
    for (const auto& row : reply["items"].GetArray()) EXPECT_EQ(int_of(row, "type"), 4) << to_json(reply);
    EXPECT_EQ(plain_value(second, 1), "v");  // still there before the commit

    EXPECT_EQ(int_of(commit(session), "type"), 8);
    for (const std::string& key : {first, second, third}) EXPECT_EQ(plain_value(key, 2), "<103>") << key;
  }
}

// (f)
TEST_F(HttpSessionTest, ASecondCommitAnswersCommittedAgain) {
  const Session session = start("twice/a", 1);
  ASSERT_EQ(int_of(set_in(session, "twice/a", "once"), "type"), 0);
  const rapidjson::Document first = commit(session);
  ASSERT_EQ(int_of(first, "type"), 8) << to_json(first);
  ASSERT_TRUE(first["recordAnchorKey"].IsString());
  const std::string anchor = first["recordAnchorKey"].GetString();

  // As a client retrying with the anchor it was given, and as one without.
  const std::string with_anchor = "{" + context_of(session) + R"(,"recordAnchorKey":)" + quoted(anchor) + "}";
  const rapidjson::Document again = post_retrying(client(2), "/v1/kv/commit-tx-session", with_anchor);
  EXPECT_EQ(int_of(again, "type"), 8) << to_json(again);
  const rapidjson::Document without = commit(Session{session.id, session.coordinator, 3});
  EXPECT_EQ(int_of(without, "type"), 8) << to_json(without);
  // A rollback never undoes a decided commit.
  const rapidjson::Document late_rollback = rollback(session);
  EXPECT_EQ(int_of(late_rollback, "type"), 8) << to_json(late_rollback);
  EXPECT_EQ(plain_value("twice/a", 2), "once");
}

// (g)
TEST_F(HttpSessionTest, ABucketReadInASessionShowsItsOwnWrites) {
  ASSERT_EQ(int_of(plain_set("bucket-own/a", "old", 1), "type"), 0);
  const Session session = start("bucket-own/a", 2);
  ASSERT_EQ(int_of(set_in(session, "bucket-own/a", "changed"), "type"), 0);
  ASSERT_EQ(int_of(set_in(session, "bucket-own/b", "new"), "type"), 0);
  const rapidjson::Document inside =
      call_in(session, "/v1/kv/get-by-bucket",
              R"("prefixKey":"bucket-own","readTimestamp":{"n":0,"l":0,"c":0},"durability":1)");
  EXPECT_EQ(int_of(inside, "type"), 3) << to_json(inside);
  std::map<std::string, std::string> seen;
  if (inside["items"].IsArray()) {
    for (const auto& item : inside["items"].GetArray()) seen[string_of(item, "key")] = decoded(item);
  }
  EXPECT_EQ(seen, (std::map<std::string, std::string>{{"bucket-own/a", "changed"}, {"bucket-own/b", "new"}}))
      << to_json(inside);

  EXPECT_EQ(int_of(commit(session), "type"), 8);
  EXPECT_EQ(plain_value("bucket-own/a", 3), "changed");
  EXPECT_EQ(plain_value("bucket-own/b", 3), "new");
}

// (h)
TEST_F(HttpSessionTest, OptimisticSessionsThatBothWriteWhatTheyReadCommitOnce) {
  const std::string key = "optimistic-race/a";
  ASSERT_EQ(int_of(plain_set(key, "0", 1), "type"), 0);
  const Session first = start(key, 1, kOptimistic);
  const Session second = start(key, 2, kOptimistic);
  ASSERT_EQ(decoded(get_in(first, key)), "0");
  ASSERT_EQ(decoded(get_in(second, key)), "0");
  ASSERT_EQ(int_of(set_in(first, key, "first"), "type"), 0);
  ASSERT_EQ(int_of(set_in(second, key, "second"), "type"), 0);
  const rapidjson::Document one = commit(first);
  const rapidjson::Document other = commit(second);
  const std::multiset<std::int64_t> outcomes = {int_of(one, "type"), int_of(other, "type")};
  EXPECT_EQ(outcomes, (std::multiset<std::int64_t>{8, 102})) << to_json(one) << " " << to_json(other);
  const std::string winner = int_of(one, "type") == 8 ? "first" : "second";
  EXPECT_EQ(plain_value(key, 3), winner);
}

// (i)
TEST_F(HttpSessionTest, APessimisticReadOfAKeyAnotherSessionHoldsIsAlreadyLocked) {
  const std::string key = "held-read/a";
  ASSERT_EQ(int_of(plain_set(key, "v", 1), "type"), 0);
  const Session holder = start(key, 1, kPessimistic);
  const Session other = start("held-read-other/a", 2, kPessimistic);
  ASSERT_EQ(int_of(get_in(holder, key), "type"), 3);
  // A point verb: the plain try-get reply's shape, with the session's code.
  const rapidjson::Document refused = get_in(other, key);
  EXPECT_EQ(int_of(refused, "type"), 104) << to_json(refused);
  EXPECT_EQ(string_of(refused, "typeName"), "alreadyLocked");
  EXPECT_TRUE(refused["value"].IsNull());
  EXPECT_TRUE(refused.HasMember("revision") && refused.HasMember("lastModified"));

  EXPECT_EQ(int_of(rollback(holder), "type"), 9);
  // Released: the other session gets it (retrying as clients back off).
  rapidjson::Document granted = get_in(other, key);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (int_of(granted, "type") == 104 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
    granted = get_in(other, key);
  }
  EXPECT_EQ(int_of(granted, "type"), 3) << to_json(granted);
  EXPECT_EQ(int_of(rollback(other), "type"), 9);
}

// (j)
TEST_F(HttpSessionTest, AnExclusiveLockNamesItsHolder) {
  const std::string key = "exclusive/a";
  const Session holder = start(key, 3);
  const Session other = start("exclusive-other/a", 1);
  const rapidjson::Document locked = lock_in(holder, key);
  EXPECT_EQ(int_of(locked, "type"), 5) << to_json(locked);
  EXPECT_EQ(string_of(locked, "typeName"), "locked");
  const rapidjson::Document refused = lock_in(other, key);
  EXPECT_EQ(int_of(refused, "type"), 104) << to_json(refused);
  EXPECT_EQ(string_of(refused, "typeName"), "alreadyLocked");
  ASSERT_TRUE(refused["holderTransactionId"].IsObject()) << to_json(refused);
  EXPECT_EQ(to_json(refused["holderTransactionId"]), holder.id);
  EXPECT_EQ(int_of(rollback(holder), "type"), 9);
  EXPECT_EQ(int_of(rollback(other), "type"), 9);
}

// (k)
TEST_F(HttpSessionTest, APointVerbOfAnUnknownSessionIsAborted) {
  const Session unknown{R"({"n":1,"l":1000,"c":77})", "nobody/a", 2};
  const rapidjson::Document reply = get_in(unknown, "nobody/a");
  EXPECT_EQ(int_of(reply, "type"), 102) << to_json(reply);
  EXPECT_EQ(string_of(reply, "typeName"), "aborted");
  EXPECT_EQ(int_of(set_in(unknown, "nobody/a", "x"), "type"), 102);
  EXPECT_EQ(plain_value("nobody/a", 1), "<103>");
}

// (l)
TEST_F(HttpSessionTest, CommittingAnUnknownSessionWithoutAnAnchorIsAnError) {
  const Session unknown{R"({"n":2,"l":1000,"c":78})", "nobody/b", 3};
  const rapidjson::Document reply = commit(unknown);
  EXPECT_EQ(int_of(reply, "type"), 99) << to_json(reply);
  EXPECT_EQ(string_of(reply, "typeName"), "errored");
}

// (m)
TEST_F(HttpSessionTest, AnExpiredSessionReleasesItsLocks) {
  const std::string key = "expiring/a";
  const Session brief = start(key, 1, kPessimistic, 300);
  ASSERT_EQ(int_of(lock_in(brief, key), "type"), 5);
  std::this_thread::sleep_for(2500ms);
  const Session next = start("expiring-next/a", 2);
  // Polled on past the 2.5 s only to tell how late the lock came free.
  const auto since = std::chrono::steady_clock::now();
  rapidjson::Document locked = lock_in(next, key);
  while (int_of(locked, "type") == 104 && std::chrono::steady_clock::now() - since < 10s) {
    std::this_thread::sleep_for(200ms);
    locked = lock_in(next, key);
  }
  const auto late =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since);
  EXPECT_EQ(int_of(locked, "type"), 5) << to_json(locked);
  EXPECT_LT(late, 200ms) << "2.5 s after a 300 ms session locked the key it was still held; free "
                         << late.count() << " ms later";
  // The expired session cannot commit.
  EXPECT_EQ(int_of(commit(brief), "type"), 102);
  EXPECT_EQ(int_of(rollback(next), "type"), 9);
}

// A resent call with the same operation id answers what the first did; the
// same id with another request is invalidInput (TRANSACTIONS.md §2).
TEST_F(HttpSessionTest, OperationIdsReplayTheFirstAnswer) {
  const std::string key = "replayed/a";
  const Session session = start(key, 2);
  const std::string fields = R"("key":)" + quoted(key) + "," + value_field("v") + R"(,"durability":1)";
  const rapidjson::Document first = call_in(session, "/v1/kv/try-set", fields, 7);
  ASSERT_EQ(int_of(first, "type"), 0) << to_json(first);
  const rapidjson::Document again = call_in(session, "/v1/kv/try-set", fields, 7);
  EXPECT_EQ(to_json(again["type"]) + to_json(again["revision"]) + to_json(again["lastModified"]),
            to_json(first["type"]) + to_json(first["revision"]) + to_json(first["lastModified"]));
  const rapidjson::Document different = call_in(
      session, "/v1/kv/try-set", R"("key":"replayed/b",)" + value_field("w") + R"(,"durability":1)", 7);
  EXPECT_EQ(int_of(different, "type"), 100) << to_json(different);
  EXPECT_EQ(int_of(commit(session), "type"), 8);
  EXPECT_EQ(plain_value(key, 1), "v");
  EXPECT_EQ(plain_value("replayed/b", 1), "<103>");
}

}  // namespace
}  // namespace kahuna::testing
