// Kahuna Script over HTTP against a real 3-node cluster
// (POST /v1/kv/try-execute-tx-script, TRANSACTIONS.md §4): the reference
// client's script cases, scripts whose writes span partitions committing
// together, a conflicting write aborting a script, and bad requests.
#include <kahuna/base64.h>
#include <kahuna/placement.h>

#include <future>
#include <thread>

#include "real_server_util.h"

namespace kahuna::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kNodes = 3;
constexpr std::uint32_t kPartitions = 4;

// The body of a script request; `parameters` are {"@name", value} (JSON
// strings, already quoted, or null).
std::string script_body(const std::string& text,
                        const std::vector<std::pair<std::string, std::string>>& parameters = {}) {
  std::string body = R"({"script":")" + base64_encode(text) + R"(","hash":null,"parameters":[)";
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    if (i > 0) body += ",";
    body += R"({"key":")" + parameters[i].first + R"(","value":)" + parameters[i].second + "}";
  }
  return body + "]}";
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

// The value of row `row` of a reply's `values`, decoded.
std::string row_value(const rapidjson::Value& reply, std::size_t row = 0) {
  EXPECT_TRUE(reply["values"].IsArray() && reply["values"].Size() > row) << to_json(reply);
  if (!reply["values"].IsArray() || reply["values"].Size() <= row) return {};
  const rapidjson::Value& value = reply["values"][static_cast<rapidjson::SizeType>(row)]["value"];
  if (!value.IsString()) return "<null>";
  return base64_decode(value.GetString()).value_or("<not base64>");
}

// Keys of two key spaces named after `stem` on different partitions.
std::pair<std::string, std::string> spaces_on_two_partitions(const std::string& stem) {
  const PlacementPool pool{kPartitions, 1};
  const std::string first = stem + "0/a";
  for (int n = 1;; ++n) {
    const std::string other = stem + std::to_string(n) + "/a";
    if (partition_for_key(other, pool) != partition_for_key(first, pool)) return {first, other};
  }
}

class HttpScriptTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new LocalCluster(http_cluster_dir("HttpScriptTest"),
                                ClusterOptions{kNodes, kPartitions, "rocksdb", 10000, true});
    cluster_->start_all();
    auto client = connect_http(cluster_->http_endpoint(1));
    wait_for_leaders(*client, kPartitions);
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    for (int id = 1; id <= kNodes; ++id) clients_[id] = connect_http(cluster_->http_endpoint(id));
  }

  rapidjson::Document run(const std::string& text,
                          const std::vector<std::pair<std::string, std::string>>& parameters = {},
                          int node = 1) {
    return post_retrying(*clients_.at(node), "/v1/kv/try-execute-tx-script", script_body(text, parameters));
  }
  rapidjson::Document get(const std::string& key, int node = 1) {
    return post_retrying(*clients_.at(node), "/v1/kv/try-get", R"({"key":")" + key + R"(","durability":1})");
  }

  static LocalCluster* cluster_;
  std::map<int, std::unique_ptr<HttpTestClient>> clients_;
};

LocalCluster* HttpScriptTest::cluster_ = nullptr;

TEST_F(HttpScriptTest, SetWithAParameterThenGet) {
  auto set = run("SET `ref/k1` @value", {{"@value", quoted("hello")}});
  EXPECT_EQ(int_of(set, "type"), 0) << to_json(set);
  auto got = run("GET `ref/k1`", {}, 2);
  EXPECT_EQ(int_of(got, "type"), 3) << to_json(got);
  EXPECT_EQ(row_value(got), "hello");
  // The plain API sees the same.
  auto plain = get("ref/k1", 3);
  EXPECT_EQ(int_of(plain, "type"), 3);
  EXPECT_EQ(base64_decode(string_of(plain, "value")), "hello");
}

TEST_F(HttpScriptTest, ExistsExtendAndDelete) {
  ASSERT_EQ(int_of(run("SET `ref/k2` 'v'"), "type"), 0);
  EXPECT_EQ(int_of(run("EXISTS `ref/k2`"), "type"), 10);
  EXPECT_EQ(int_of(run("EXTEND `ref/k2` 60000"), "type"), 2);
  EXPECT_EQ(int_of(run("DELETE `ref/k2`"), "type"), 4);
  EXPECT_EQ(int_of(run("GET `ref/k2`"), "type"), 103);
  EXPECT_EQ(int_of(run("EXISTS `ref/k2`"), "type"), 103);
}

TEST_F(HttpScriptTest, AnExplicitOptimisticTransactionCommits) {
  auto reply = run("BEGIN (locking=\"optimistic\") SET @key @value COMMIT END",
                   {{"@key", quoted("ref/k3")}, {"@value", quoted("committed")}});
  EXPECT_EQ(int_of(reply, "type"), 0) << to_json(reply);
  EXPECT_EQ(base64_decode(string_of(get("ref/k3"), "value")), "committed");
}

TEST_F(HttpScriptTest, RollbackWritesNothingAndAnswersAborted) {
  auto reply = run("BEGIN SET `ref/pp` 'x' ROLLBACK END");
  EXPECT_EQ(int_of(reply, "type"), 102) << to_json(reply);
  EXPECT_EQ(int_of(get("ref/pp"), "type"), 103);
}

TEST_F(HttpScriptTest, ASyntaxErrorAnswers99WithItsLine) {
  auto reply = run("SET `k` 'v'\nIF THEN END");
  EXPECT_EQ(int_of(reply, "type"), 99) << to_json(reply);
  EXPECT_NE(string_of(reply, "reason").find("Syntax error"), std::string::npos) << to_json(reply);
  EXPECT_NE(string_of(reply, "reason").find("line 2"), std::string::npos) << to_json(reply);
}

TEST_F(HttpScriptTest, ReadModifyWriteAcrossPartitionsCommitsAtomically) {
  const auto [from, to] = spaces_on_two_partitions("bank");
  ASSERT_EQ(int_of(run("SET @a '100' SET @b '0'", {{"@a", quoted(from)}, {"@b", quoted(to)}}), "type"), 0);
  const std::string transfer =
      "let a = to_int(get @a)\n"
      "let b = to_int(get @b)\n"
      "if a >= 30 then set @a a - 30 set @b b + 30 return 1 else return 0 end";
  for (int i = 0; i < 4; ++i) {
    auto reply = run(transfer, {{"@a", quoted(from)}, {"@b", quoted(to)}}, i % kNodes + 1);
    EXPECT_EQ(int_of(reply, "type"), 3) << to_json(reply);
    EXPECT_EQ(row_value(reply), i < 3 ? "1" : "0") << to_json(reply);
  }
  for (int node = 1; node <= kNodes; ++node) {
    EXPECT_EQ(base64_decode(string_of(get(from, node), "value")), "10");
    EXPECT_EQ(base64_decode(string_of(get(to, node), "value")), "90");
  }
}

TEST_F(HttpScriptTest, AWriteBetweenReadAndCommitAbortsTheScript) {
  const auto [from, to] = spaces_on_two_partitions("race");
  ASSERT_EQ(int_of(run("SET @a 'start'", {{"@a", quoted(from)}}), "type"), 0);
  // The script reads, waits, then writes two partitions; meanwhile the key it
  // read changes, so its commit must fail and write nothing.
  auto script = std::async(std::launch::async, [&] {
    auto client = connect_http(cluster_->http_endpoint(2));
    const std::string text = "let v = get @a SLEEP 800 set @a concat(v, '+script') set @b 'script'";
    return post_retrying(*client, "/v1/kv/try-execute-tx-script",
                         script_body(text, {{"@a", quoted(from)}, {"@b", quoted(to)}}));
  });
  std::this_thread::sleep_for(300ms);
  auto plain = post_retrying(
      *clients_.at(3), "/v1/kv/try-set",
      R"({"key":")" + from + R"(","value":")" + base64_encode("plain") + R"(","durability":1})");
  ASSERT_EQ(int_of(plain, "type"), 0) << to_json(plain);
  const rapidjson::Document aborted = script.get();
  EXPECT_EQ(int_of(aborted, "type"), 102) << to_json(aborted);
  EXPECT_EQ(base64_decode(string_of(get(from), "value")), "plain");
  EXPECT_EQ(int_of(get(to), "type"), 103);
}

TEST_F(HttpScriptTest, TheStockExampleSellsOnlyWhatIsThere) {
  ASSERT_EQ(int_of(run("SET `shop/widgets` '5'"), "type"), 0);
  const std::string sell =
      "let stock = to_int(get @item)\n"
      "if stock >= to_int(@n) then set @item stock - to_int(@n) return 1 else return 0 end";
  EXPECT_EQ(row_value(run(sell, {{"@item", quoted("shop/widgets")}, {"@n", quoted("3")}})), "1");
  EXPECT_EQ(row_value(run(sell, {{"@item", quoted("shop/widgets")}, {"@n", quoted("3")}})), "0");
  EXPECT_EQ(base64_decode(string_of(get("shop/widgets"), "value")), "2");
}

TEST_F(HttpScriptTest, BadRequestsGetClearAnswers) {
  HttpTestClient& client = *clients_.at(1);
  const HttpReply missing = client.post("/v1/kv/try-execute-tx-script", R"({"parameters":null})");
  EXPECT_EQ(missing.status, 200);
  EXPECT_EQ(int_of(missing.json(), "type"), 100) << missing.body;
  const HttpReply not_base64 = client.post("/v1/kv/try-execute-tx-script", R"({"script":"%%%"})");
  EXPECT_EQ(not_base64.status, 400) << not_base64.body;
  const HttpReply not_json = client.post("/v1/kv/try-execute-tx-script", "{");
  EXPECT_EQ(not_json.status, 400);
  const HttpReply bad_parameter = client.post(
      "/v1/kv/try-execute-tx-script", R"({"script":")" + base64_encode("GET @k") + R"(","parameters":[7]})");
  EXPECT_EQ(bad_parameter.status, 400) << bad_parameter.body;
  // A parameter the script needs but was not given is the script's error.
  auto unbound = run("GET @k");
  EXPECT_EQ(int_of(unbound, "type"), 99) << to_json(unbound);
  // THROW answers 99 with its message and line.
  auto thrown = run("THROW 'no luck'");
  EXPECT_EQ(int_of(thrown, "type"), 99);
  EXPECT_NE(string_of(thrown, "reason").find("no luck"), std::string::npos) << to_json(thrown);
}

// The anomaly matrix (TRANSACTIONS.md §6): two scripts overlap (a SLEEP
// between their reads and writes) on keys of one partition and of two, in
// both locking modes; the counts of commits and aborts are exact. An
// optimistic loser finds the conflict at commit (102); a pessimistic one
// cannot take its locks before it runs (104).
struct Overlap {
  std::string name;
  bool same_partition;
  std::string locking;
};

class HttpScriptAnomalyTest : public HttpScriptTest, public ::testing::WithParamInterface<Overlap> {
 protected:
  // Keys for this case: one key space for both, or two on different partitions.
  std::pair<std::string, std::string> keys(const std::string& stem) {
    if (GetParam().same_partition) return {stem + "-one/x", stem + "-one/y"};
    return spaces_on_two_partitions(stem + "-" + GetParam().name);
  }
  std::string begin() const { return "BEGIN (locking=\"" + GetParam().locking + "\")\n"; }
  bool pessimistic() const { return GetParam().locking == "pessimistic"; }
  int loser_code() const { return pessimistic() ? 104 : 102; }
  // Runs `scripts` at once, each on its own node, and returns their replies.
  std::vector<rapidjson::Document> together(
      const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>& scripts) {
    std::vector<std::future<rapidjson::Document>> running;
    for (std::size_t i = 0; i < scripts.size(); ++i) {
      running.push_back(std::async(std::launch::async, [&, i] {
        auto client = connect_http(cluster_->http_endpoint(static_cast<int>(i % kNodes) + 1));
        return post_retrying(*client, "/v1/kv/try-execute-tx-script",
                             script_body(scripts[i].first, scripts[i].second));
      }));
    }
    std::vector<rapidjson::Document> replies;
    for (auto& reply : running) replies.push_back(reply.get());
    return replies;
  }
  static int count_type(const std::vector<rapidjson::Document>& replies, int type) {
    int n = 0;
    for (const auto& reply : replies) n += int_of(reply, "type") == type ? 1 : 0;
    return n;
  }
  std::string value_of(const std::string& key) {
    return base64_decode(string_of(get(key), "value")).value_or("");
  }
};

TEST_P(HttpScriptAnomalyTest, NoLostUpdate) {
  const auto [counter, unused] = keys("lost");
  ASSERT_EQ(int_of(run("SET @c '0'", {{"@c", quoted(counter)}}), "type"), 0);
  const std::string increment = begin() + "let v = to_int(get @c)\nSLEEP 500\nset @c v + 1\nCOMMIT\nEND";
  const auto replies =
      together({{increment, {{"@c", quoted(counter)}}}, {increment, {{"@c", quoted(counter)}}}});
  EXPECT_EQ(count_type(replies, 0), 1) << to_json(replies[0]) << to_json(replies[1]);
  EXPECT_EQ(count_type(replies, loser_code()), 1);
  EXPECT_EQ(value_of(counter), "1");
}

TEST_P(HttpScriptAnomalyTest, NoWriteSkew) {
  // Two doctors on call; each script takes one off call if both are on.
  const auto [x, y] = keys("skew");
  ASSERT_EQ(int_of(run("SET @x '1' SET @y '1'", {{"@x", quoted(x)}, {"@y", quoted(y)}}), "type"), 0);
  const std::string off_call = begin() +
                               "let a = to_int(get @x)\nlet b = to_int(get @y)\nSLEEP 500\n"
                               "if a + b >= 2 then set @me '0' end\nCOMMIT\nEND";
  const auto replies = together({{off_call, {{"@x", quoted(x)}, {"@y", quoted(y)}, {"@me", quoted(x)}}},
                                 {off_call, {{"@x", quoted(x)}, {"@y", quoted(y)}, {"@me", quoted(y)}}}});
  EXPECT_EQ(count_type(replies, 0), 1) << to_json(replies[0]) << to_json(replies[1]);
  EXPECT_EQ(count_type(replies, loser_code()), 1);
  EXPECT_EQ(std::stoi(value_of(x)) + std::stoi(value_of(y)), 1);  // someone stays on call
}

TEST_P(HttpScriptAnomalyTest, NoReadSkew) {
  // A reader sums two accounts while a transfer moves money between them:
  // a reader that commits saw the total.
  const auto [x, y] = keys("read");
  ASSERT_EQ(int_of(run("SET @x '50' SET @y '50'", {{"@x", quoted(x)}, {"@y", quoted(y)}}), "type"), 0);
  const std::string reader =
      begin() + "let a = to_int(get @x)\nSLEEP 500\nlet b = to_int(get @y)\nCOMMIT\nEND\nRETURN a + b";
  const std::string transfer = begin() +
                               "SLEEP 100\nlet a = to_int(get @x)\nlet b = to_int(get @y)\n"
                               "set @x a - 30\nset @y b + 30\nCOMMIT\nEND";
  const auto replies = together(
      {{reader, {{"@x", quoted(x)}, {"@y", quoted(y)}}}, {transfer, {{"@x", quoted(x)}, {"@y", quoted(y)}}}});
  if (pessimistic()) {
    // Both lock x and y before they run: one gets them, the other is
    // refused at once; a reader that runs sees the total.
    EXPECT_EQ(count_type(replies, 104), 1) << to_json(replies[0]) << to_json(replies[1]);
    if (int_of(replies[0], "type") != 104) {
      EXPECT_EQ(int_of(replies[0], "type"), 3) << to_json(replies[0]);
      EXPECT_EQ(row_value(replies[0]), "100");
    }
    if (int_of(replies[1], "type") != 104) {
      EXPECT_EQ(int_of(replies[1], "type"), 0) << to_json(replies[1]);
    }
  } else {
    EXPECT_EQ(int_of(replies[1], "type"), 0) << to_json(replies[1]);  // the writer commits first
    // The reader read x before the transfer and y after: it must not commit.
    EXPECT_EQ(int_of(replies[0], "type"), 102) << to_json(replies[0]);
  }
  EXPECT_EQ(std::stoi(value_of(x)) + std::stoi(value_of(y)), 100);
  // Run alone, it sees the total.
  auto alone = run(reader, {{"@x", quoted(x)}, {"@y", quoted(y)}});
  EXPECT_EQ(int_of(alone, "type"), 3) << to_json(alone);
  EXPECT_EQ(row_value(alone), "100");
}

INSTANTIATE_TEST_SUITE_P(Matrix, HttpScriptAnomalyTest,
                         ::testing::Values(Overlap{"OnePartitionOptimistic", true, "optimistic"},
                                           Overlap{"OnePartitionPessimistic", true, "pessimistic"},
                                           Overlap{"TwoPartitionsOptimistic", false, "optimistic"},
                                           Overlap{"TwoPartitionsPessimistic", false, "pessimistic"}),
                         [](const ::testing::TestParamInfo<Overlap>& info) { return info.param.name; });

// Last: it stops and restarts a node. A node stopping while one of its
// scripts waits must not wait for the script: it ends it and exits cleanly.
TEST_F(HttpScriptTest, ANodeStopsPromptlyWhileAScriptSleeps) {
  auto sleeping = std::async(std::launch::async, [&] {
    auto client = connect_http(cluster_->http_endpoint(3));
    try {
      return client->post("/v1/kv/try-execute-tx-script", script_body("SLEEP 4000\nSET `ref/late` 'x'"));
    } catch (const std::exception&) {
      return HttpReply{};  // the connection closed without a reply
    }
  });
  std::this_thread::sleep_for(300ms);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(cluster_->stop(3), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  const HttpReply reply = sleeping.get();
  // Either an answer that nothing was written, or the connection closed.
  if (reply.status == 200) {
    EXPECT_EQ(int_of(reply.json(), "type"), 101) << reply.body;
  }
  EXPECT_EQ(int_of(get("ref/late"), "type"), 103);
  cluster_->start(3);
}

}  // namespace
}  // namespace kahuna::testing
