// kahuna-cli's `script` and `tx` against a fake node: what each puts on the
// wire, how the answers print and exit, and that malformed input is a clear
// message, never a crash.
#include <fstream>

#include <gtest/gtest.h>

#include "fake_node.h"
#include "fake_node_client.h"
#include "support/child_process.h"

namespace kahuna::client::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct CliRun {
  std::optional<int> exit_code;
  std::string output;
};

std::string shell_quote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Runs kahuna-cli against `node` with `input` on its stdin.
CliRun run_cli(const FakeNode& node, const std::vector<std::string>& arguments,
               const std::string& input = "") {
  std::string command = "printf '%s' " + shell_quote(input) + " | exec " + shell_quote(KAHUNA_CLI) +
                        " --endpoints " + node.endpoint() + " --timeout 2000";
  for (const std::string& word : arguments) command += " " + shell_quote(word);
  kahuna::testing::ChildProcess cli("/bin/sh", {"-c", command}, fs::temp_directory_path());
  CliRun run;
  run.exit_code = cli.wait_for_exit(30s);
  run.output = cli.output();
  return run;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

FakeNode::Script answering_scripts(ScriptReply reply) {
  return [reply](const wire::Request&, std::size_t) { return FakeNode::Action::reply(reply); };
}

template <class Body>
std::vector<wire::Request> requests_of(const FakeNode& node) {
  std::vector<wire::Request> found;
  for (const wire::Request& request : node.requests())
    if (std::holds_alternative<Body>(request.body)) found.push_back(request);
  return found;
}

// ---- script ------------------------------------------------------------------

TEST(CliScriptTest, TextAfterDashesRunsWithItsParametersAndPrintsTheRows) {
  FakeNode node(1, answering_scripts(ScriptReply{ScriptCode::kGet,
                                                 "",
                                                 {ScriptValueRow{"k", std::string("v"), 4, {}, {}},
                                                  ScriptValueRow{"", std::string("7"), 0, {}, {}}}}));
  const CliRun run = run_cli(node, {"script", "--param", "value=v", "--param", "@none", "--", "GET", "`k`"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "get\nk = \"v\" (revision 4)\nreturned \"7\"\n");

  const auto requests = node.requests();
  ASSERT_EQ(requests.size(), 1u);
  const ScriptRequest& sent = std::get<wire::KvExecuteScript>(requests[0].body).request;
  EXPECT_EQ(sent.script, "GET `k`");
  ASSERT_EQ(sent.parameters.size(), 2u);
  EXPECT_EQ(sent.parameters[0].name, "@value");
  EXPECT_EQ(sent.parameters[0].value, "v");
  EXPECT_EQ(sent.parameters[1].name, "@none");
  EXPECT_FALSE(sent.parameters[1].value.has_value());
}

TEST(CliScriptTest, AFileIsSentAsItIs) {
  FakeNode node(1, answering_scripts(ScriptReply{ScriptCode::kSet, "", {}}));
  const fs::path file =
      fs::temp_directory_path() / ("kahuna-cli-script-" + std::to_string(::getpid()) + ".ks");
  const std::string text = "LET x = 1\nSET `k` 'a b'  -- comment\n";
  std::ofstream(file) << text;
  const CliRun run = run_cli(node, {"script", file.string()});
  fs::remove(file);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "set\n");
  const auto requests = node.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(std::get<wire::KvExecuteScript>(requests[0].body).request.script, text);
}

TEST(CliScriptTest, AFailedScriptExits1WithItsReasonAndJsonHasOneObject) {
  FakeNode node(1, answering_scripts(ScriptReply{ScriptCode::kErrored, "Syntax error at line 1", {}}));
  const CliRun text = run_cli(node, {"script", "--", "SET"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_EQ(text.output, "errored reason=\"Syntax error at line 1\"\n");
  const CliRun json = run_cli(node, {"--json", "script", "--", "SET"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_EQ(json.output,
            "{\"type\":99,\"typeName\":\"errored\",\"reason\":\"Syntax error at line 1\",\"values\":[]}\n");
}

TEST(CliScriptTest, AScriptThatMayHaveRunIsUnknownAndExits4) {
  FakeNode node(1, [](const wire::Request&, std::size_t) { return FakeNode::Action::drop(); });
  const CliRun run = run_cli(node, {"script", "--", "SET k 1"});
  EXPECT_EQ(run.exit_code, 4) << run.output;
  EXPECT_EQ(run.output.rfind("unknown reason=", 0), 0u) << run.output;
  EXPECT_EQ(node.requests().size(), 1u) << "not sent again";
}

TEST(CliScriptTest, UsageProblemsExit2) {
  FakeNode node(1, always(Answer::kSuccess));
  for (const std::vector<std::string>& arguments : {std::vector<std::string>{"script"},
                                                    {"script", "a.ks", "b.ks"},
                                                    {"script", "--"},
                                                    {"script", "--param", "=x", "--", "GET k"},
                                                    {"script", "/nonexistent/file.ks"}}) {
    const CliRun run = run_cli(node, arguments);
    EXPECT_EQ(run.exit_code, 2) << arguments.size() << ": " << run.output;
    EXPECT_TRUE(contains(run.output, "kahuna-cli: ")) << run.output;
  }
  EXPECT_TRUE(node.requests().empty());
}

// ---- tx ----------------------------------------------------------------------

TEST(CliTxTest, LinesBecomeSessionCallsUntilTheCommit) {
  FakeNode node(1, always(Answer::kSuccess));
  const CliRun run =
      run_cli(node, {"tx", "--coordinator-key", "accounts", "--optimistic", "--timeout", "7000"},
              "set accounts/alice 90\nget accounts/alice\nexists accounts/bob\n"
              "delete accounts/carol\nextend accounts/bob 60000\nbucket accounts\n"
              "lock accounts/dave\ncommit\nset never sent\n");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output,
            "started transaction=2:1700000000000:9\n"
            "set revision=0\n"
            "get revision=0 value=null\n"
            "exists revision=0\n"
            "deleted revision=0\n"
            "extended revision=0\n"
            "0 keys\n"
            "locked key=accounts/dave\n"
            "committed\n");

  const auto requests = node.requests();
  ASSERT_EQ(requests.size(), 9u);
  const TxStartRequest& start = std::get<wire::TxStart>(requests[0].body).request;
  EXPECT_EQ(start.coordinator_key, "accounts");
  EXPECT_EQ(start.locking, TxLocking::kOptimistic);
  EXPECT_EQ(start.timeout_ms, 7000);
  const TxKvSetRequest& set = std::get<wire::TxKvSet>(requests[1].body).request;
  EXPECT_EQ(set.request.key, "accounts/alice");
  EXPECT_EQ(set.request.value, "90");
  EXPECT_EQ(set.context.transaction_id, kFakeTransactionId);
  EXPECT_EQ(std::get<wire::TxKvExtend>(requests[5].body).request.request.expires_ms, 60000);
  EXPECT_TRUE(std::holds_alternative<wire::TxCommit>(requests[8].body));
}

TEST(CliTxTest, EndOfInputRollsBackAndExits1) {
  FakeNode node(1, always(Answer::kSuccess));
  const CliRun run = run_cli(node, {"tx", "--coordinator-key", "accounts"}, "set a 1\n");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "end of input: rolling back\n")) << run.output;
  EXPECT_TRUE(contains(run.output, "rolledBack\n")) << run.output;
  EXPECT_EQ(requests_of<wire::TxRollback>(node).size(), 1u);
  EXPECT_EQ(std::get<wire::TxStart>(node.requests()[0].body).request.locking, TxLocking::kPessimistic);
}

TEST(CliTxTest, AnExplicitRollbackExits0) {
  FakeNode node(1, always(Answer::kSuccess));
  const CliRun run = run_cli(node, {"tx", "--coordinator-key", "accounts"}, "set a 1\nrollback\n");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(requests_of<wire::TxRollback>(node).size(), 1u);
}

TEST(CliTxTest, BadLinesAreMessagesAndTheSessionGoesOn) {
  FakeNode node(1, always(Answer::kSuccess));
  const CliRun run = run_cli(node, {"tx", "--coordinator-key", "accounts"},
                             "frob\nset a\nextend a soon\nget 'unbalanced\n\nhelp\nget a\ncommit\n");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(contains(run.output, "kahuna-cli: unknown command 'frob'; type 'help'")) << run.output;
  EXPECT_TRUE(contains(run.output, "kahuna-cli: usage: set KEY VALUE")) << run.output;
  EXPECT_TRUE(contains(run.output, "kahuna-cli: extend: MS must be a positive number, got soon"))
      << run.output;
  EXPECT_TRUE(contains(run.output, "kahuna-cli: unbalanced quotes")) << run.output;
  EXPECT_TRUE(contains(run.output, "  commit ")) << "help was printed: " << run.output;
  EXPECT_TRUE(contains(run.output, "committed\n")) << run.output;
  const auto requests = node.requests();
  ASSERT_EQ(requests.size(), 3u);  // start, get, commit
  EXPECT_TRUE(std::holds_alternative<wire::TxKvGet>(requests[1].body));
}

TEST(CliTxTest, JsonModePrintsOneObjectPerAnswer) {
  FakeNode node(1, always(Answer::kSuccess));
  const CliRun run = run_cli(node, {"--json", "tx", "--coordinator-key", "accounts"}, "lock k\ncommit\n");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(
      run.output,
      "{\"type\":0,\"typeName\":\"started\",\"transactionId\":{\"n\":2,\"l\":1700000000000,\"c\":9},"
      "\"recordAnchorKey\":null,\"holder\":null,\"reason\":\"\"}\n"
      "{\"type\":5,\"typeName\":\"locked\",\"key\":\"k\",\"transactionId\":{\"n\":2,\"l\":1700000000000,"
      "\"c\":9},\"recordAnchorKey\":null,\"holder\":null,\"reason\":\"\"}\n"
      "{\"type\":8,\"typeName\":\"committed\",\"transactionId\":{\"n\":2,\"l\":1700000000000,\"c\":9},"
      "\"recordAnchorKey\":null,\"holder\":null,\"reason\":\"\"}\n");
}

TEST(CliTxTest, ACoordinatorKeyIsRequired) {
  FakeNode node(1, always(Answer::kSuccess));
  const CliRun run = run_cli(node, {"tx"});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_TRUE(contains(run.output, "--coordinator-key is required")) << run.output;
  EXPECT_TRUE(node.requests().empty());
}

}  // namespace
}  // namespace kahuna::client::testing
