// POST /v1/cluster/{join,leave,remove,replication-factor}: each body reaches
// the kernel's method as its request, each outcome comes back as
// {"type", "typeName", "metadataVersion", "message"} with status 200 (like
// every family's outcomes), a body of the wrong shape is a 400 and one
// missing what the change needs is invalidInput — neither reaches the kernel.
#include "json_expect.h"
#include "plugin_fixture.h"

namespace kahuna::testing {
namespace {

class ClusterAdminApiTest : public HttpApiTest {
 protected:
  // The one administration call the kernel saw since the last look.
  FakeKernel::AdminCall only_call() {
    const auto calls = host.kernel.admin_calls();
    EXPECT_EQ(calls.size(), seen_ + 1);
    seen_ = calls.size();
    return calls.empty() ? FakeKernel::AdminCall{} : calls.back();
  }
  std::size_t seen_ = 0;
};

TEST_F(ClusterAdminApiTest, JoinSendsItsSeedsAndAnswersTheKernelsReply) {
  auto reply = call("/v1/cluster/join", R"({"seeds":["10.0.0.9:7001","[::1]:7002","node3:7003"]})");
  EXPECT_EQ(last.header("content-type"), "application/json");
  EXPECT_EQ(int_of(reply, "type"), 0);
  EXPECT_EQ(string_of(reply, "typeName"), "applied");
  EXPECT_EQ(int_of(reply, "metadataVersion"), 7);
  EXPECT_EQ(string_of(reply, "message"), "");
  const auto join = only_call();
  EXPECT_EQ(join.method, "cluster_join");
  EXPECT_EQ(join.seeds, (std::vector<std::string>{"10.0.0.9:7001", "[::1]:7002", "node3:7003"}));
}

TEST_F(ClusterAdminApiTest, LeaveTakesNoBodyAnEmptyObjectOrItsOwnId) {
  EXPECT_EQ(string_of(call("/v1/cluster/leave", ""), "typeName"), "applied");
  EXPECT_EQ(only_call().node_id, 0u);
  call("/v1/cluster/leave", "{}");
  EXPECT_EQ(only_call().node_id, 0u);
  call("/v1/cluster/leave", R"({"nodeId":1})");
  const auto leave = only_call();
  EXPECT_EQ(leave.method, "cluster_leave");
  EXPECT_EQ(leave.node_id, 1u);
}

TEST_F(ClusterAdminApiTest, RemoveNamesTheMember) {
  call("/v1/cluster/remove", R"({"nodeId":18446744073709551615})");
  const auto remove = only_call();
  EXPECT_EQ(remove.method, "cluster_remove");
  EXPECT_EQ(remove.node_id, ~0ull);
}

TEST_F(ClusterAdminApiTest, ReplicationFactorOfTheClusterOrOfOnePartition) {
  call("/v1/cluster/replication-factor", R"({"replicationFactor":3})");
  auto factor = only_call();
  EXPECT_EQ(factor.method, "set_replication_factor");
  EXPECT_EQ(factor.replication_factor, 3u);
  EXPECT_EQ(factor.partition, 0u);
  call("/v1/cluster/replication-factor", R"({"replicationFactor":5,"partitionId":4294967295})");
  factor = only_call();
  EXPECT_EQ(factor.replication_factor, 5u);
  EXPECT_EQ(factor.partition, 4294967295u);
  // 0 clears one partition's override.
  call("/v1/cluster/replication-factor", R"({"replicationFactor":0,"partitionId":2})");
  factor = only_call();
  EXPECT_EQ(factor.replication_factor, 0u);
  EXPECT_EQ(factor.partition, 2u);
}

TEST_F(ClusterAdminApiTest, EveryOutcomeIs200WithItsCodeNameAndMessage) {
  const std::vector<std::pair<ClusterChangeReply, std::string>> outcomes = {
      {{ClusterCode::kUnchanged, 7, ""}, "unchanged"},
      {{ClusterCode::kInvalidInput, 7, "no such partition"}, "invalidInput"},
      {{ClusterCode::kNotFound, 7, "node 9 is not a member"}, "notFound"},
      {{ClusterCode::kRefused, 8, "partition 2 would lose its quorum"}, "refused"},
      {{ClusterCode::kMustRetry, 0, "no leader"}, "mustRetry"},
      {{ClusterCode::kError, 0, "storage failed"}, "error"},
  };
  for (const auto& [outcome, name] : outcomes) {
    SCOPED_TRACE(name);
    host.kernel.set_change_reply(outcome);
    auto reply = call("/v1/cluster/remove", R"({"nodeId":9})");
    EXPECT_EQ(int_of(reply, "type"), static_cast<int>(outcome.code));
    EXPECT_EQ(string_of(reply, "typeName"), name);
    EXPECT_EQ(int_of(reply, "metadataVersion"), static_cast<std::int64_t>(outcome.metadata_version));
    EXPECT_EQ(string_of(reply, "message"), outcome.message);
  }
  // Outcome unknown travels as every family's: error code 99, named unknown.
  host.kernel.set_change_reply({ClusterCode::kOutcomeUnknown, 0, "timed out"});
  auto unknown = call("/v1/cluster/leave", "");
  EXPECT_EQ(int_of(unknown, "type"), 99);
  EXPECT_EQ(string_of(unknown, "typeName"), "unknown");
  EXPECT_EQ(string_of(unknown, "reason"), "timeout: outcome unknown");
  EXPECT_EQ(string_of(unknown, "message"), "timed out");
}

TEST_F(ClusterAdminApiTest, BodiesOfTheWrongShapeAre400AndReachNoKernel) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/v1/cluster/join", R"({"seeds":"10.0.0.9:7001"})"},
      {"/v1/cluster/join", R"({"seeds":[7001]})"},
      {"/v1/cluster/join", R"({"seeds":["a:1",null]})"},
      {"/v1/cluster/join", R"(["a:1"])"},
      {"/v1/cluster/join", "not json"},
      {"/v1/cluster/join", ""},
      {"/v1/cluster/leave", R"({"nodeId":"1"})"},
      {"/v1/cluster/leave", "{"},
      {"/v1/cluster/remove", R"({"nodeId":-1})"},
      {"/v1/cluster/remove", R"({"nodeId":2.5})"},
      {"/v1/cluster/remove", R"({"nodeId":"2"})"},
      {"/v1/cluster/remove", R"({"nodeId":null})"},
      {"/v1/cluster/replication-factor", R"({"replicationFactor":-1})"},
      {"/v1/cluster/replication-factor", R"({"replicationFactor":2.5})"},
      {"/v1/cluster/replication-factor", R"({"replicationFactor":"3"})"},
      {"/v1/cluster/replication-factor", R"({"replicationFactor":4294967296})"},
      {"/v1/cluster/replication-factor", R"({"replicationFactor":3,"partitionId":-2})"},
      {"/v1/cluster/replication-factor", R"({"replicationFactor":3,"partitionId":true})"},
  };
  for (const auto& [path, body] : cases) {
    SCOPED_TRACE(path + " " + body);
    const HttpReply reply = client->post(path, body);
    EXPECT_EQ(reply.status, 400) << reply.body;
    auto error = reply.json();
    ASSERT_TRUE(error.IsObject() && error.HasMember("error")) << reply.body;
    EXPECT_FALSE(string_of(error, "error").empty());
  }
  EXPECT_TRUE(host.kernel.admin_calls().empty());
}

TEST_F(ClusterAdminApiTest, BodiesMissingWhatTheChangeNeedsAreInvalidInput) {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"/v1/cluster/join", "{}", "seeds is required"},
      {"/v1/cluster/join", R"({"seeds":null})", "seeds is required"},
      {"/v1/cluster/join", R"({"seeds":[]})", "seeds is required"},
      {"/v1/cluster/join", R"({"seeds":["node3"]})", "'node3' is not an address"},
      {"/v1/cluster/join", R"({"seeds":["a:1","b:99999"]})", "'b:99999' is not an address"},
      {"/v1/cluster/remove", "{}", "nodeId is required"},
      {"/v1/cluster/remove", R"({"nodeId":0})", "nodeId is required"},
      {"/v1/cluster/replication-factor", "{}", "replicationFactor is required"},
      {"/v1/cluster/replication-factor", R"({"partitionId":3})", "replicationFactor is required"},
      {"/v1/cluster/replication-factor", R"({"replicationFactor":0})", "at least 1"},
  };
  for (const auto& [path, body, reason] : cases) {
    SCOPED_TRACE(path + " " + body);
    auto reply = call(path, body);
    EXPECT_EQ(int_of(reply, "type"), 2);
    EXPECT_EQ(string_of(reply, "typeName"), "invalidInput");
    EXPECT_EQ(int_of(reply, "metadataVersion"), 0);
    EXPECT_NE(string_of(reply, "message").find(reason), std::string::npos) << string_of(reply, "message");
  }
  EXPECT_TRUE(host.kernel.admin_calls().empty());
}

TEST_F(ClusterAdminApiTest, TheyArePostOnly) {
  for (const std::string path :
       {"/v1/cluster/join", "/v1/cluster/leave", "/v1/cluster/remove", "/v1/cluster/replication-factor"}) {
    SCOPED_TRACE(path);
    const HttpReply reply = client->get(path);
    EXPECT_EQ(reply.status, 405);
    EXPECT_EQ(reply.header("allow"), "POST");
  }
}

}  // namespace
}  // namespace kahuna::testing
