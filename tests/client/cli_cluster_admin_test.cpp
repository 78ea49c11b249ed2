// kahuna-cli's cluster verbs against a fake node: what each puts on the
// wire, where join and leave go (the first of --endpoints), how each outcome
// prints and exits, and the new fields of `cluster status`.
#include <gtest/gtest.h>

#include "fake_node.h"
#include "fake_node_client.h"
#include "support/child_process.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;

struct CliRun {
  std::optional<int> exit_code;
  std::string output;
};

CliRun run_cli(const std::string& endpoints, std::vector<std::string> arguments) {
  std::vector<std::string> all = {"--endpoints", endpoints, "--timeout", "300"};
  all.insert(all.end(), arguments.begin(), arguments.end());
  kahuna::testing::ChildProcess cli(KAHUNA_CLI, all, std::filesystem::temp_directory_path());
  CliRun run;
  run.exit_code = cli.wait_for_exit(30s);
  run.output = cli.output();
  return run;
}

// Answers every request with `reply` (the CLI sends only cluster changes here).
FakeNode::Script answering(ClusterChangeReply reply) {
  return [reply](const wire::Request&, std::size_t) { return FakeNode::Action::reply(reply); };
}

TEST(CliClusterAdminTest, JoinAndLeaveGoToTheFirstEndpoint) {
  FakeNode first(1, answering({ClusterCode::kApplied, 4, ""}));
  FakeNode second(2, answering({ClusterCode::kApplied, 4, ""}));
  const std::string both = first.endpoint() + "," + second.endpoint();

  const CliRun join = run_cli(both, {"cluster", "join", "10.0.0.1:7001", "10.0.0.2:7001"});
  EXPECT_EQ(join.exit_code, 0) << join.output;
  EXPECT_EQ(join.output, "applied version=4\n");
  const CliRun leave = run_cli(both, {"cluster", "leave"});
  EXPECT_EQ(leave.exit_code, 0) << leave.output;
  const CliRun add = run_cli(both, {"cluster", "add", "10.0.0.3:7001"});  // join's other name
  EXPECT_EQ(add.exit_code, 0) << add.output;

  const auto requests = first.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(std::get<wire::ClusterJoin>(requests[0].body).request.seeds,
            (std::vector<std::string>{"10.0.0.1:7001", "10.0.0.2:7001"}));
  EXPECT_EQ(std::get<wire::ClusterLeave>(requests[1].body).request.node_id, 0u);
  EXPECT_EQ(std::get<wire::ClusterJoin>(requests[2].body).request.seeds,
            (std::vector<std::string>{"10.0.0.3:7001"}));
  EXPECT_TRUE(second.requests().empty());
}

TEST(CliClusterAdminTest, RemoveAndReplicationFactorSendTheirArguments) {
  FakeNode node(1, answering({ClusterCode::kUnchanged, 6, ""}));
  const CliRun remove = run_cli(node.endpoint(), {"cluster", "remove", "9"});
  EXPECT_EQ(remove.exit_code, 0) << remove.output;  // unchanged: already as asked
  EXPECT_EQ(remove.output, "unchanged version=6\n");
  EXPECT_EQ(run_cli(node.endpoint(), {"cluster", "replication-factor", "3"}).exit_code, 0);
  EXPECT_EQ(run_cli(node.endpoint(), {"cluster", "replication-factor", "0", "--partition", "2"}).exit_code,
            0);

  const auto requests = node.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(std::get<wire::ClusterRemove>(requests[0].body).request.node_id, 9u);
  const ReplicationFactorRequest cluster = std::get<wire::SetReplicationFactor>(requests[1].body).request;
  EXPECT_EQ(cluster.replication_factor, 3u);
  EXPECT_EQ(cluster.partition, 0u);
  const ReplicationFactorRequest partition = std::get<wire::SetReplicationFactor>(requests[2].body).request;
  EXPECT_EQ(partition.replication_factor, 0u);
  EXPECT_EQ(partition.partition, 2u);
}

TEST(CliClusterAdminTest, RefusalsExit1WithTheirMessage) {
  FakeNode node(1, answering({ClusterCode::kRefused, 6, "partition 2 would lose its quorum"}));
  const CliRun text = run_cli(node.endpoint(), {"cluster", "remove", "3"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_EQ(text.output, "refused version=6 message=\"partition 2 would lose its quorum\"\n");
  const CliRun json = run_cli(node.endpoint(), {"--json", "cluster", "remove", "3"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_EQ(json.output,
            "{\"type\":4,\"typeName\":\"refused\",\"metadataVersion\":6,"
            "\"message\":\"partition 2 would lose its quorum\"}\n");
}

TEST(CliClusterAdminTest, AChangeWhoseFateIsUnknownExits4) {
  FakeNode node(1, always(Answer::kUnknown));
  const CliRun run = run_cli(node.endpoint(), {"cluster", "replication-factor", "2"});
  EXPECT_EQ(run.exit_code, 4) << run.output;
  EXPECT_NE(run.output.find("kahuna-cli: outcomeUnknown: "), std::string::npos) << run.output;
}

TEST(CliClusterAdminTest, BadArgumentsAreUsageErrors) {
  FakeNode node(1, answering({ClusterCode::kApplied, 1, ""}));
  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{"cluster"},
        {"cluster", "join"},
        {"cluster", "remove"},
        {"cluster", "remove", "0"},
        {"cluster", "remove", "-4"},
        {"cluster", "replication-factor", "many"},
        {"cluster", "replication-factor", "3", "--partition", "-1"}}) {
    const CliRun run = run_cli(node.endpoint(), arguments);
    EXPECT_EQ(run.exit_code, 2) << run.output;
  }
  EXPECT_TRUE(node.requests().empty());
}

TEST(CliClusterAdminTest, StatusShowsStatesReplicaSetsAndTheMetadataVersion) {
  FakeNode node(1, always(Answer::kSuccess));
  ClusterStatus status = status_of({&node}, 1);
  status.metadata_version = 3;
  status.replication_factor = 2;
  status.nodes[0].state = "voter";
  status.nodes[0].joined_version = 1;
  NodeInfo joining;
  joining.id = 2;
  joining.state = "joining";
  joining.joined_version = 3;
  status.nodes.push_back(joining);
  status.partitions[0].voters = {1};
  status.partitions[0].learners = {2};
  status.partitions[0].target = {1, 2};
  status.partitions[0].generation = 2;
  status.partitions[0].hosted = true;
  node.set_status(status);

  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{"cluster", "status"}, {"status"}}) {
    const CliRun text = run_cli(node.endpoint(), arguments);
    EXPECT_EQ(text.exit_code, 0) << text.output;
    EXPECT_NE(text.output.find("metadata version 3, replication factor 2"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("joining"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("VOTERS"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("1,2"), std::string::npos) << text.output;  // the target
  }
  const CliRun json = run_cli(node.endpoint(), {"cluster", "status", "--json"});
  EXPECT_EQ(json.exit_code, 0) << json.output;
  EXPECT_NE(json.output.find("\"metadataVersion\":3,\"replicationFactor\":2"), std::string::npos)
      << json.output;
  EXPECT_NE(json.output.find("\"state\":\"joining\",\"joinedVersion\":3"), std::string::npos) << json.output;
  EXPECT_NE(
      json.output.find("\"voters\":[1],\"learners\":[2],\"generation\":2,\"target\":[1,2],\"hosted\":true"),
      std::string::npos)
      << json.output;
}

}  // namespace
}  // namespace kahuna::client::testing
