// The soak's command line and its report: a bad argument must be refused
// with a message (a soak that silently ran with defaults would be worse than
// none), strict mode is the default and --lenient the way out, and the
// report must say which mode ran and FAIL whenever any epoch had a
// violation, an inconclusive check or a harness error.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "soak_options.h"
#include "soak_report.h"

namespace kahuna::faults {
namespace {

std::string parse(std::vector<std::string> words, SoakOptions& options) {
  std::vector<char*> argv{const_cast<char*>("kahuna_fault_soak")};
  for (std::string& word : words) argv.push_back(word.data());
  return parse_soak_options(static_cast<int>(argv.size()), argv.data(), options);
}

TEST(SoakOptions, DurationsInSecondsMinutesAndHours) {
  EXPECT_EQ(parse_duration("90"), std::chrono::seconds(90));
  EXPECT_EQ(parse_duration("90s"), std::chrono::seconds(90));
  EXPECT_EQ(parse_duration("30m"), std::chrono::seconds(1800));
  EXPECT_EQ(parse_duration("2h"), std::chrono::seconds(7200));
  for (const char* bad : {"", "m", "0", "-5m", "1.5h", "10d", "5 m", "x"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

TEST(SoakOptions, EveryOptionIsRead) {
  SoakOptions options;
  ASSERT_EQ(parse({"--seed", "42", "--duration", "31m", "--nodes", "5", "--engine", "lmdb", "--report",
                   "r.md", "--epoch", "20s"},
                  options),
            "");
  EXPECT_EQ(options.seed, 42u);
  EXPECT_TRUE(options.seed_given);
  EXPECT_EQ(options.duration, std::chrono::seconds(31 * 60));
  EXPECT_EQ(options.duration_text, "31m");
  EXPECT_EQ(options.nodes, 5);
  EXPECT_EQ(options.engine, "lmdb");
  EXPECT_EQ(options.report, "r.md");
  EXPECT_EQ(options.epoch, std::chrono::seconds(20));
}

TEST(SoakOptions, StrictUnlessToldOtherwise) {
  SoakOptions defaults;
  ASSERT_EQ(parse({"--seed", "1"}, defaults), "");
  EXPECT_EQ(defaults.strictness, Strictness::kStrict);
  EXPECT_FALSE(defaults.strictness_given) << "without a flag the environment decides";

  SoakOptions lenient;
  ASSERT_EQ(parse({"--seed", "1", "--lenient", "--nodes", "5"}, lenient), "");
  EXPECT_EQ(lenient.strictness, Strictness::kLenient);
  EXPECT_TRUE(lenient.strictness_given);
  EXPECT_EQ(lenient.nodes, 5) << "a flag without a value must not eat the next option";

  SoakOptions strict;
  ASSERT_EQ(parse({"--strict", "--seed", "1"}, strict), "");
  EXPECT_EQ(strict.strictness, Strictness::kStrict);
  EXPECT_TRUE(strict.strictness_given);
  EXPECT_EQ(strict.seed, 1u);

  // Last on the line, too.
  SoakOptions last;
  ASSERT_EQ(parse({"--seed", "1", "--lenient"}, last), "");
  EXPECT_EQ(last.strictness, Strictness::kLenient);

  // Repeating a mode is harmless; both at once is a mistake.
  SoakOptions twice;
  EXPECT_EQ(parse({"--strict", "--strict"}, twice), "");
  const std::vector<std::vector<std::string>> both_modes = {{"--strict", "--lenient"},
                                                            {"--lenient", "--strict"}};
  for (const auto& words : both_modes) {
    SoakOptions both;
    EXPECT_NE(parse(words, both), "") << words.front();
  }
  SoakOptions with_value;
  EXPECT_NE(parse({"--lenient", "yes"}, with_value), "") << "a mode flag takes no value";
}

// The fault tests and, without --strict or --lenient, the soak.
TEST(Strictness, KahunaFaultsLenientChoosesLenient) {
  const char* saved = std::getenv("KAHUNA_FAULTS_LENIENT");
  const std::optional<std::string> before = saved ? std::optional<std::string>(saved) : std::nullopt;
  ::unsetenv("KAHUNA_FAULTS_LENIENT");
  EXPECT_EQ(strictness_from_environment(), Strictness::kStrict);
  for (const char* off : {"", "0"}) {
    ::setenv("KAHUNA_FAULTS_LENIENT", off, 1);
    EXPECT_EQ(strictness_from_environment(), Strictness::kStrict) << "'" << off << "'";
  }
  ::setenv("KAHUNA_FAULTS_LENIENT", "1", 1);
  EXPECT_EQ(strictness_from_environment(), Strictness::kLenient);
  if (before) {
    ::setenv("KAHUNA_FAULTS_LENIENT", before->c_str(), 1);
  } else {
    ::unsetenv("KAHUNA_FAULTS_LENIENT");
  }
  EXPECT_EQ(must_retry_outcome(Strictness::kStrict), Outcome::kFail);
  EXPECT_EQ(must_retry_outcome(Strictness::kLenient), Outcome::kUnknown);
}

TEST(SoakOptions, MembershipChangesOnlyWhenAsked) {
  SoakOptions defaults;
  ASSERT_EQ(parse({"--seed", "1"}, defaults), "");
  EXPECT_FALSE(defaults.membership) << "existing soak runs behave as before";

  SoakOptions membership;
  ASSERT_EQ(parse({"--membership", "--seed", "1"}, membership), "");
  EXPECT_TRUE(membership.membership);
  EXPECT_EQ(membership.spares, 3);
  EXPECT_EQ(membership.seed, 1u) << "a flag without a value must not eat the next option";

  SoakOptions spares;
  ASSERT_EQ(parse({"--spares", "2", "--membership"}, spares), "");
  EXPECT_EQ(spares.spares, 2);
}

TEST(SoakOptions, BadArgumentsAreRefusedWithAMessage) {
  const std::vector<std::vector<std::string>> bad = {
      {"--seed"},
      {"--seed", "x"},
      {"--seed", ""},
      {"--duration", "soon"},
      {"--nodes", "4"},
      {"--nodes", "three"},
      {"--engine", "sqlite"},
      {"--epoch", "5s"},
      {"--colour", "blue"},
      {"42"},
      {"--membership", "--spares", "0"},
      {"--membership", "--spares", "5"},
      {"--membership", "--spares", "2x"},
      {"--spares", "2"},
  };
  for (const auto& words : bad) {
    SoakOptions options;
    EXPECT_NE(parse(words, options), "") << words.front();
  }
}

SoakReport passing_report() {
  SoakReport report;
  report.seed = 7;
  report.duration = "2m";
  report.seconds = 121;
  report.nodes = 3;
  report.engine = "rocksdb";
  report.mode = "strict";
  EpochResult epoch;
  epoch.number = 1;
  epoch.seconds = 60;
  epoch.faults = {{"kill", 3}, {"hang", 2}};
  epoch.operations = {{"registers", {100, 4, 2}}};
  epoch.checks = {{"registers", "ok", "3 keys, 106 operations", {}}, {"locks", "ok", "1 lock", {}}};
  report.epochs = {epoch, epoch};
  report.epochs[1].number = 2;
  return report;
}

TEST(SoakReport, PassesOnlyWhenEveryCheckOfEveryEpochPassed) {
  SoakReport report = passing_report();
  EXPECT_TRUE(report.ok());

  SoakReport violation = report;
  violation.epochs[1].checks[1] = {"locks", "violation", "1 lock", {"owner1 and owner2 both hold \"l\""}};
  EXPECT_FALSE(violation.ok());

  SoakReport inconclusive = report;
  inconclusive.epochs[0].checks[0].verdict = "inconclusive";
  EXPECT_FALSE(inconclusive.ok());

  SoakReport harness = report;
  harness.epochs[0].harness_errors.push_back("node 2 did not restart");
  EXPECT_FALSE(harness.ok());

  EXPECT_FALSE(SoakReport{}.ok()) << "a run that checked nothing did not pass";
}

TEST(SoakReport, MarkdownShowsTotalsAndEveryProblem) {
  SoakReport report = passing_report();
  std::ostringstream passing;
  write_markdown(report, passing);
  EXPECT_NE(passing.str().find("**pass**"), std::string::npos);
  EXPECT_NE(passing.str().find("| kill | 6 |"), std::string::npos) << passing.str();
  EXPECT_NE(passing.str().find("| registers | 200 | 8 | 4 |"), std::string::npos) << passing.str();
  EXPECT_NE(passing.str().find("No violations."), std::string::npos);
  EXPECT_NE(passing.str().find("| mode | strict (mustRetry recorded as fail: not applied) |"),
            std::string::npos)
      << passing.str();

  report.epochs[1].checks[1] = {"locks", "violation", "1 lock", {"window: owner1 granted 40"}};
  std::ostringstream failing;
  write_markdown(report, failing);
  EXPECT_NE(failing.str().find("**FAIL**"), std::string::npos);
  EXPECT_NE(failing.str().find("epoch 2, locks: **violation**"), std::string::npos) << failing.str();
  EXPECT_NE(failing.str().find("window: owner1 granted 40"), std::string::npos);
}

TEST(SoakReport, SaysWhichModeItRanIn) {
  SoakReport report = passing_report();
  report.mode = "lenient";
  std::ostringstream markdown;
  write_markdown(report, markdown);
  EXPECT_NE(markdown.str().find("| mode | lenient (mustRetry recorded as unknown) |"), std::string::npos)
      << markdown.str();
  std::ostringstream json;
  write_json(report, json);
  EXPECT_NE(json.str().find("\"mode\": \"lenient\""), std::string::npos) << json.str();
}

TEST(SoakReport, JsonEscapesTextAndCarriesTheVerdicts) {
  SoakReport report = passing_report();
  report.epochs[0].checks[1] = {"locks",
                                "violation",
                                "1 lock",
                                {"a \"quoted\"\nline\twith\x01"
                                 "control"}};
  std::ostringstream out;
  write_json(report, out);
  const std::string json = out.str();
  EXPECT_NE(json.find("\"result\": \"fail\""), std::string::npos);
  EXPECT_NE(json.find(R"(a \"quoted\"\nline\twith\u0001control)"), std::string::npos) << json;
  EXPECT_NE(json.find("\"verdict\": \"violation\""), std::string::npos);
  EXPECT_NE(json.find("\"mode\": \"strict\""), std::string::npos) << json;
  EXPECT_EQ(json.find('\x01'), std::string::npos);
}

}  // namespace
}  // namespace kahuna::faults
