// kahuna-cli's exit codes when a write's fate is unknown (docs/cli.md): a
// node that keeps answering outcome-unknown (98) until the deadline gives
// exit 4 and the error "outcomeUnknown"; one that keeps answering
// must-retry gives exit 3 and "deadline", as before.
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

CliRun run_cli(const FakeNode& node, std::vector<std::string> arguments) {
  std::vector<std::string> all = {"--endpoints", node.endpoint(), "--timeout", "300"};
  all.insert(all.end(), arguments.begin(), arguments.end());
  kahuna::testing::ChildProcess cli(KAHUNA_CLI, all, std::filesystem::temp_directory_path());
  CliRun run;
  run.exit_code = cli.wait_for_exit(30s);
  run.output = cli.output();
  return run;
}

TEST(CliOutcomeUnknownTest, AWriteWhoseFateIsUnknownExitsWith4) {
  FakeNode node(1, always(Answer::kUnknown));
  const CliRun text = run_cli(node, {"set", "k", "v"});
  EXPECT_EQ(text.exit_code, 4) << text.output;
  EXPECT_NE(text.output.find("kahuna-cli: outcomeUnknown: "), std::string::npos) << text.output;

  const CliRun json = run_cli(node, {"--json", "lock", "jobs/1", "--owner", "o"});
  EXPECT_EQ(json.exit_code, 4) << json.output;
  EXPECT_EQ(json.output.rfind("{\"error\":\"outcomeUnknown\",\"message\":", 0), 0u) << json.output;
}

TEST(CliOutcomeUnknownTest, AWriteCertainlyNotAppliedStillExitsWith3) {
  FakeNode node(1, always(Answer::kMustRetry));
  const CliRun run = run_cli(node, {"seq-next", "s"});
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("kahuna-cli: deadline: "), std::string::npos) << run.output;
}

}  // namespace
}  // namespace kahuna::client::testing
