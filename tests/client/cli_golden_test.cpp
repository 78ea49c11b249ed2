// kahuna-cli golden tests: each file in golden/ is a transcript —
//
//   $ <arguments>        a kahuna-cli run (given --endpoints of the test node
//                        unless the arguments name their own)
//   < <line>             console input for the run above (sent on stdin)
//   <output lines>       what it printed (stdout and stderr), normalized
//   [exit N]             its exit code
//
// The test runs every command against one fresh node and compares the whole
// transcript. Normalized: node ports (PORT), ISO timestamps (<time>), the
// cursor of a range page (<cursor>), retry counts, transaction ids (<hlc>),
// and in `status` every number (N) and column padding.
// KAHUNA_UPDATE_GOLDEN=1 rewrites the files from what the commands print.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "server_cluster.h"
#include "support/child_process.h"

namespace kahuna::client::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Step {
  std::string arguments;
  std::vector<std::string> input;  // console lines
};

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else if (c == '\'') {
      const auto end = text.find('\'', i + 1);
      word += text.substr(i + 1, end - i - 1);
      i = end;
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

std::string shell_quote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string normalize(std::string text, const std::string& arguments) {
  text = std::regex_replace(text, std::regex(R"(127\.0\.0\.1:\d+)"), "127.0.0.1:PORT");
  text = std::regex_replace(text, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"), "<time>");
  text = std::regex_replace(text, std::regex(R"(--cursor \S+)"), "--cursor <cursor>");
  text = std::regex_replace(text, std::regex(R"("nextCursor":"[^"]*")"), "\"nextCursor\":\"<cursor>\"");
  text = std::regex_replace(text, std::regex(R"(("expires"|"lastModified"):\d+)"), "$1:<ms>");
  text = std::regex_replace(text, std::regex(R"(after \d+ attempt)"), "after N attempt");
  text = std::regex_replace(text, std::regex(R"(transaction=\d+:\d+:\d+)"), "transaction=<hlc>");
  if (arguments.find("status") != std::string::npos) {
    text = std::regex_replace(text, std::regex(R"(\d+)"), "N");
    text = std::regex_replace(text, std::regex(R"( {2,})"), "  ");  // column widths follow the numbers
  }
  return text;
}

class CliGoldenTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerCluster>("cli-" + GetParam(), ServerCluster::Options{});
    ASSERT_TRUE(server_->wait_ready(30s)) << server_->log(1);
  }

  // The transcript of running `steps`.
  std::string run(const std::vector<Step>& steps) {
    std::string transcript;
    for (const Step& step : steps) {
      transcript += "$ " + step.arguments + "\n";
      for (const auto& line : step.input) transcript += "< " + line + "\n";
      std::vector<std::string> words = split_words(step.arguments);
      if (step.arguments.find("--endpoints") == std::string::npos) {
        words.insert(words.begin(), {"--endpoints", server_->endpoint(1)});
      }
      std::string command = "exec " + shell_quote(KAHUNA_CLI);
      for (const auto& word : words) command += " " + shell_quote(word);
      std::string input;
      for (const auto& line : step.input) input += line + "\n";
      command = "printf '%s' " + shell_quote(input) + " | " + command;
      kahuna::testing::ChildProcess cli("/bin/sh", {"-c", command}, server_->directory());
      const auto code = cli.wait_for_exit(30s);
      transcript += normalize(cli.output(), step.arguments);
      transcript += "[exit " + (code ? std::to_string(*code) : std::string("none")) + "]\n";
    }
    return transcript;
  }

  std::unique_ptr<ServerCluster> server_;
};

std::vector<Step> read_steps(const std::string& golden) {
  std::vector<Step> steps;
  std::istringstream lines(golden);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("$ ", 0) == 0) steps.push_back(Step{line.substr(2), {}});
    if (line.rfind("< ", 0) == 0 && !steps.empty()) steps.back().input.push_back(line.substr(2));
  }
  return steps;
}

TEST_P(CliGoldenTest, TranscriptMatches) {
  const fs::path file = fs::path(KAHUNA_CLI_GOLDEN_DIR) / (GetParam() + ".txt");
  std::ifstream in(file);
  ASSERT_TRUE(in) << file;
  std::stringstream expected;
  expected << in.rdbuf();
  const std::string actual = run(read_steps(expected.str()));
  if (std::getenv("KAHUNA_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(file) << actual;
    return;
  }
  EXPECT_EQ(actual, expected.str()) << "server log:\n" << server_->log(1);
}

INSTANTIATE_TEST_SUITE_P(Golden, CliGoldenTest,
                         ::testing::Values("kv", "scans", "locks", "sequences", "json", "errors", "console",
                                           "status", "transactions"));

}  // namespace
}  // namespace kahuna::client::testing
