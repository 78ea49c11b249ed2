// kahuna-bench's command line: defaults, and every refusal is exit code 2
// with a message that names the option.
#include "bench_options.h"

#include <gtest/gtest.h>

#include <cctype>
#include <sstream>

namespace kahuna::bench {
namespace {

struct Parsed {
  CommandLineResult result;
  std::string out;
  std::string err;
};

Parsed parse(std::vector<std::string> arguments) {
  std::ostringstream out;
  std::ostringstream err;
  Parsed parsed;
  parsed.result = parse_command_line(arguments, out, err);
  parsed.out = out.str();
  parsed.err = err.str();
  return parsed;
}

TEST(BenchOptions, DefaultsOfTheBinaryProtocol) {
  const Parsed parsed = parse({"set"});
  ASSERT_TRUE(parsed.result.options) << parsed.err;
  const BenchOptions& o = *parsed.result.options;
  EXPECT_EQ(o.workload, Workload::kSet);
  EXPECT_EQ(o.protocol, Protocol::kBinary);
  EXPECT_EQ(o.endpoints, std::vector<std::string>{"127.0.0.1:7100"});
  EXPECT_EQ(o.clients, 16u);
  EXPECT_EQ(o.connections, 1u);
  EXPECT_EQ(o.threads, 1u);
  EXPECT_FALSE(o.open_loop());
  EXPECT_EQ(o.durability, Durability::kPersistent);
  EXPECT_EQ(o.requests, 0u);
}

TEST(BenchOptions, HttpDefaultsToOneConnectionPerClient) {
  const Parsed parsed = parse({"get", "--protocol", "http", "--clients", "8"});
  ASSERT_TRUE(parsed.result.options) << parsed.err;
  EXPECT_EQ(parsed.result.options->connections, 8u);
  EXPECT_EQ(parsed.result.options->endpoints, std::vector<std::string>{"127.0.0.1:7200"});
}

TEST(BenchOptions, WorkloadDefaultsAndChoices) {
  auto lock = parse({"lock", "--lock-mode", "wait", "--lock-wait-ms", "500"});
  ASSERT_TRUE(lock.result.options) << lock.err;
  EXPECT_EQ(lock.result.options->resources, 1000u);
  EXPECT_EQ(lock.result.options->lock_mode, LockMode::kWait);
  EXPECT_EQ(lock.result.options->lock_wait.count(), 500);

  auto sequence = parse({"sequence", "--reserve", "50", "--idempotency", "none"});
  ASSERT_TRUE(sequence.result.options) << sequence.err;
  EXPECT_EQ(sequence.result.options->resources, 1u);
  EXPECT_EQ(sequence.result.options->reserve, 50);
  EXPECT_FALSE(sequence.result.options->idempotent);

  auto open = parse({"mixed", "--rate", "2000", "--max-outstanding", "64", "--read-ratio", "0.5",
                     "--endpoints", "a:1,http://b:2/", "--requests", "1000"});
  ASSERT_TRUE(open.result.options) << open.err;
  EXPECT_TRUE(open.result.options->open_loop());
  EXPECT_EQ(open.result.options->max_outstanding, 64u);
  EXPECT_EQ(open.result.options->endpoints, (std::vector<std::string>{"a:1", "b:2"}));
  EXPECT_EQ(open.result.options->requests, 1000u);
}

TEST(BenchOptions, HelpExitsZero) {
  const Parsed parsed = parse({"--help"});
  EXPECT_FALSE(parsed.result.options);
  EXPECT_EQ(parsed.result.exit_code, 0);
  EXPECT_NE(parsed.out.find("--read-ratio"), std::string::npos);
}

struct Refusal {
  std::vector<std::string> arguments;
  std::string says;  // a part of the message
};

class BenchOptionsRefusal : public ::testing::TestWithParam<Refusal> {};

TEST_P(BenchOptionsRefusal, ExitsTwoWithAMessage) {
  const Parsed parsed = parse(GetParam().arguments);
  EXPECT_FALSE(parsed.result.options);
  EXPECT_EQ(parsed.result.exit_code, kExitUsage);
  EXPECT_NE(parsed.err.find(GetParam().says), std::string::npos) << parsed.err;
}

INSTANTIATE_TEST_SUITE_P(
    Arguments, BenchOptionsRefusal,
    ::testing::Values(
        Refusal{{}, "workload"}, Refusal{{"scan"}, "scan"}, Refusal{{"set", "--bogus"}, "--bogus"},
        Refusal{{"set", "--clients", "0"}, "--clients"}, Refusal{{"set", "--clients", "-3"}, "--clients"},
        Refusal{{"set", "--clients", "many"}, "--clients"},
        Refusal{{"set", "--duration", "5", "--requests", "10"}, "not both"},
        Refusal{{"set", "--duration", "0"}, "--duration"}, Refusal{{"set", "--requests", "0"}, "--requests"},
        Refusal{{"set", "--threads", "2"}, "--threads"}, Refusal{{"set", "--connections", "32"}, "idle"},
        Refusal{{"set", "--rate", "-1"}, "--rate"},
        Refusal{{"set", "--rate", "100", "--clients", "4"}, "--max-outstanding"},
        Refusal{{"set", "--max-outstanding", "4"}, "--rate"},
        Refusal{{"set", "--read-ratio", "0.5"}, "mixed"},
        Refusal{{"mixed", "--read-ratio", "1.5"}, "--read-ratio"},
        Refusal{{"get", "--protocol", "http", "--consistency", "local"}, "HTTP"},
        Refusal{{"set", "--consistency", "local"}, "--consistency"},
        Refusal{{"set", "--durability", "forever"}, "--durability"},
        Refusal{{"sequence", "--durability", "ephemeral"}, "persistent"},
        Refusal{{"lock", "--reserve", "5"}, "--reserve"},
        Refusal{{"sequence", "--reserve", "0"}, "--reserve"},
        Refusal{{"lock", "--lock-wait-ms", "10"}, "--lock-mode wait"},
        Refusal{{"lock", "--lease-ms", "0"}, "--lease-ms"}, Refusal{{"set", "--lock-mode", "try"}, "lock"},
        Refusal{{"lock", "--keys", "10"}, "--keys"}, Refusal{{"set", "--keys", "0"}, "--keys"},
        Refusal{{"set", "--key-size", "8"}, "too short"},
        Refusal{{"set", "--value-size", "2000000"}, "--value-size"},
        Refusal{{"set", "--endpoints", "localhost"}, "--endpoints: 'localhost' is not an address"},
        Refusal{{"set", "--endpoints", ","}, "--endpoints"},
        Refusal{{"set", "--protocol", "grpc"}, "--protocol"},
        Refusal{{"set", "--timeout-ms", "0"}, "--timeout-ms"},
        Refusal{{"set", "--warmup", "-1"}, "--warmup"}),
    [](const ::testing::TestParamInfo<Refusal>& info) {
      std::string name = std::to_string(info.index);
      for (const std::string& word : info.param.arguments) {
        name += '_';
        for (char c : word) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      }
      return name;
    });

}  // namespace
}  // namespace kahuna::bench
