#include "bench_options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>
#include <sstream>

#include <kahuna/host_port.h>

namespace kahuna::bench {

std::string_view to_string(Workload workload) noexcept {
  switch (workload) {
    case Workload::kSet: return "set";
    case Workload::kGet: return "get";
    case Workload::kMixed: return "mixed";
    case Workload::kCas: return "cas";
    case Workload::kLock: return "lock";
    case Workload::kSequence: return "sequence";
    case Workload::kScript: return "script";
    case Workload::kTransfer: return "transfer";
  }
  return "unknown";
}

std::string_view to_string(Protocol protocol) noexcept {
  return protocol == Protocol::kHttp ? "http" : "binary";
}

std::string_view to_string(LockMode mode) noexcept { return mode == LockMode::kWait ? "wait" : "try"; }

std::string_view to_string(Durability durability) noexcept {
  return durability == Durability::kEphemeral ? "ephemeral" : "persistent";
}

std::string_view to_string(ReadConsistency consistency) noexcept {
  return consistency == ReadConsistency::kLocal ? "local" : "linearizable";
}

namespace {

// The raw command line: numbers are read signed and as doubles so that a
// negative or fractional count gets our own message rather than a conversion
// error.
struct RawArguments {
  std::string workload;
  std::string protocol = "binary";
  std::string endpoints;
  std::int64_t clients = 16;
  std::int64_t connections = 0;
  std::int64_t threads = 1;
  double rate = 0;
  std::int64_t max_outstanding = 1024;
  std::int64_t keys = 10000;
  std::int64_t key_size = 16;
  std::int64_t value_size = 256;
  std::string key_prefix = "bench-";
  std::string durability = "persistent";
  std::string consistency = "linearizable";
  double read_ratio = 0.9;
  std::int64_t resources = 0;
  std::string lock_mode = "try";
  std::int64_t lease_ms = 10000;
  std::int64_t lock_wait_ms = 10000;
  std::int64_t reserve = 1;
  std::string idempotency = "auto";
  double warmup = 1;
  double duration = 10;
  std::int64_t requests = 0;
  std::int64_t seed = 1;
  std::int64_t timeout_ms = 10000;
  std::string json;
  bool allow_errors = false;
};

// The largest value (1 MiB) and key sizes accepted; both protocols carry them.
constexpr std::int64_t kMaxValueSize = 1 << 20;
constexpr std::int64_t kMaxKeySize = 1024;

class Validation {
 public:
  void require(bool condition, const std::string& message) {
    if (!condition && message_.empty()) message_ = message;
  }
  bool failed() const { return !message_.empty(); }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

std::size_t decimal_digits(std::uint64_t value) {
  std::size_t digits = 1;
  while (value >= 10) {
    value /= 10;
    ++digits;
  }
  return digits;
}

// An endpoint to dial, as "host:port". "http://" and trailing slashes are
// dropped first: HTTP endpoints are often written as URLs.
Status parse_endpoint(std::string_view text, HostPort& out) {
  if (text.starts_with("http://")) text.remove_prefix(7);
  while (text.ends_with('/')) text.remove_suffix(1);
  return parse_host_port(text, out, PortZero::kRefused);
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, ',')) parts.push_back(part);
  return parts;
}

}  // namespace

CommandLineResult parse_command_line(const std::vector<std::string>& arguments, std::ostream& out,
                                     std::ostream& err) {
  RawArguments raw;
  CLI::App app(
      "kahuna-bench: a load generator for Kahuna (binary protocol through the C++ SDK, or HTTP/JSON).\n"
      "Workloads: set, get, mixed, cas, lock, sequence, script, transfer. See docs/benchmarks.md.",
      "kahuna-bench");
  app.add_option("workload", raw.workload, "set | get | mixed | cas | lock | sequence | script | transfer")
      ->required()
      ->check(CLI::IsMember({"set", "get", "mixed", "cas", "lock", "sequence", "script", "transfer"}));
  app.add_option("--protocol", raw.protocol, "binary (the C++ SDK) or http")
      ->check(CLI::IsMember({"binary", "http"}))
      ->capture_default_str();
  app.add_option("--endpoints", raw.endpoints,
                 "Nodes, host:port[,host:port...] (default 127.0.0.1:7100, or 127.0.0.1:7200 for http)");
  app.add_option("--clients", raw.clients, "Closed loop: concurrent clients, one request in flight each")
      ->capture_default_str();
  app.add_option(
      "--connections", raw.connections,
      "Binary: AsyncClient instances; http: keep-alive connections (default 1, or --clients for http)");
  app.add_option("--threads", raw.threads, "Threads, each running its own io_context")->capture_default_str();
  app.add_option("--rate", raw.rate, "Open loop: requests/s in total (0: closed loop)")
      ->capture_default_str();
  app.add_option("--max-outstanding", raw.max_outstanding, "Open loop: the most requests in flight at once")
      ->capture_default_str();
  app.add_option("--keys", raw.keys, "Key/value workloads: number of distinct keys")->capture_default_str();
  app.add_option("--key-size", raw.key_size, "Bytes per key (prefix + zero-padded number)")
      ->capture_default_str();
  app.add_option("--value-size", raw.value_size, "Bytes per value")->capture_default_str();
  app.add_option("--key-prefix", raw.key_prefix, "Prefix of every key, lock resource and sequence name")
      ->capture_default_str();
  app.add_option("--durability", raw.durability, "Keys and locks: persistent or ephemeral")
      ->check(CLI::IsMember({"persistent", "ephemeral"}))
      ->capture_default_str();
  app.add_option("--consistency", raw.consistency, "Reads: linearizable or local")
      ->check(CLI::IsMember({"linearizable", "local"}))
      ->capture_default_str();
  app.add_option("--read-ratio", raw.read_ratio, "mixed: the share of requests that are gets (0..1)")
      ->capture_default_str();
  app.add_option("--resources", raw.resources,
                 "lock: resources to pick from (default 1000); sequence: sequences (default 1)");
  app.add_option("--lock-mode", raw.lock_mode,
                 "lock: try (try-lock, unlock when locked) or wait (acquire with wait)")
      ->check(CLI::IsMember({"try", "wait"}))
      ->capture_default_str();
  app.add_option("--lease-ms", raw.lease_ms, "lock: the lease of each acquisition")->capture_default_str();
  app.add_option("--lock-wait-ms", raw.lock_wait_ms, "lock --lock-mode wait: how long an acquire may wait")
      ->capture_default_str();
  app.add_option("--reserve", raw.reserve, "sequence: values per call (1: next, K > 1: reserve K)")
      ->capture_default_str();
  app.add_option(
         "--idempotency", raw.idempotency,
         "sequence: auto (an idempotency key per call, replicated) or none (served from the leader's block)")
      ->check(CLI::IsMember({"auto", "none"}))
      ->capture_default_str();
  app.add_option("--warmup", raw.warmup, "Seconds of load before measuring")->capture_default_str();
  app.add_option("--duration", raw.duration, "Seconds measured (or use --requests)")->capture_default_str();
  app.add_option("--requests", raw.requests, "Measured requests in total, instead of --duration");
  app.add_option("--seed", raw.seed, "Seed of the key, resource and operation choices")
      ->capture_default_str();
  app.add_option("--timeout-ms", raw.timeout_ms, "Deadline of each request, retries included")
      ->capture_default_str();
  app.add_option("--json", raw.json, "Also write the results as JSON to FILE ('-': stdout)");
  app.add_flag("--allow-errors", raw.allow_errors, "Exit 0 even when requests failed");

  CommandLineResult result;
  try {
    std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
    app.parse(reversed);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error, out, err);
    result.exit_code = code == 0 ? kExitOk : kExitUsage;
    return result;
  }
  const auto given = [&app](const char* name) { return app.count(name) > 0; };

  BenchOptions options;
  static const std::map<std::string, Workload> kWorkloads = {
      {"set", Workload::kSet},       {"get", Workload::kGet},          {"mixed", Workload::kMixed},
      {"cas", Workload::kCas},       {"lock", Workload::kLock},        {"sequence", Workload::kSequence},
      {"script", Workload::kScript}, {"transfer", Workload::kTransfer}};
  options.workload = kWorkloads.at(raw.workload);
  options.protocol = raw.protocol == "http" ? Protocol::kHttp : Protocol::kBinary;
  const Workload w = options.workload;
  const bool scripts = w == Workload::kScript || w == Workload::kTransfer;
  const bool kv =
      w == Workload::kSet || w == Workload::kGet || w == Workload::kMixed || w == Workload::kCas || scripts;
  const bool reads = w == Workload::kGet || w == Workload::kMixed || w == Workload::kCas;
  const bool http = options.protocol == Protocol::kHttp;

  Validation v;
  // An option the workload would ignore is refused: a run that silently
  // ignored it would measure something other than what was asked.
  const auto only_for = [&](const char* name, bool applies, const char* workloads) {
    v.require(!given(name) || applies,
              std::string(name) + " applies only to " + workloads + ", not to " + raw.workload);
  };
  only_for("--keys", kv, "set, get, mixed, cas, script and transfer");
  only_for("--key-size", kv, "set, get, mixed, cas, script and transfer");
  only_for("--value-size", kv, "set, get, mixed, cas, script and transfer");
  // Scripts have no binary-protocol call in the SDK yet.
  v.require(!scripts || http, "script and transfer run over HTTP only: add --protocol http");
  only_for("--consistency", reads, "get, mixed and cas");
  only_for("--read-ratio", w == Workload::kMixed, "mixed");
  only_for("--durability", w != Workload::kSequence, "keys and locks (sequences are always persistent)");
  only_for("--resources", w == Workload::kLock || w == Workload::kSequence, "lock and sequence");
  only_for("--lock-mode", w == Workload::kLock, "lock");
  only_for("--lease-ms", w == Workload::kLock, "lock");
  only_for("--lock-wait-ms", w == Workload::kLock, "lock");
  only_for("--reserve", w == Workload::kSequence, "sequence");
  only_for("--idempotency", w == Workload::kSequence, "sequence");
  v.require(!given("--lock-wait-ms") || raw.lock_mode == "wait", "--lock-wait-ms needs --lock-mode wait");
  v.require(!(given("--duration") && given("--requests")), "give --duration or --requests, not both");
  v.require(!(given("--clients") && raw.rate > 0),
            "--clients is for the closed loop; with --rate (open loop) use --max-outstanding");
  v.require(!given("--max-outstanding") || raw.rate > 0, "--max-outstanding needs --rate (open loop)");
  v.require(!(http && raw.consistency == "local"),
            "--consistency local needs --protocol binary: the HTTP API reads linearizably only");

  v.require(raw.clients >= 1, "--clients must be at least 1");
  v.require(raw.connections >= 0, "--connections must be at least 1");
  v.require(raw.threads >= 1, "--threads must be at least 1");
  v.require(std::isfinite(raw.rate) && raw.rate >= 0, "--rate must be zero (closed loop) or a positive rate");
  v.require(raw.max_outstanding >= 1, "--max-outstanding must be at least 1");
  v.require(raw.keys >= 1, "--keys must be at least 1");
  v.require(raw.key_size >= 1 && raw.key_size <= kMaxKeySize, "--key-size must be 1 to 1024 bytes");
  v.require(raw.value_size >= 0 && raw.value_size <= kMaxValueSize,
            "--value-size must be 0 to 1048576 bytes");
  v.require(!raw.key_prefix.empty() || w != Workload::kSequence,
            "--key-prefix must not be empty for sequences");
  v.require(raw.read_ratio >= 0 && raw.read_ratio <= 1, "--read-ratio must be between 0 and 1");
  v.require(raw.resources >= 0, "--resources must be at least 1");
  v.require(raw.lease_ms >= 1 && raw.lease_ms <= 2147483647, "--lease-ms must be 1 to 2147483647");
  v.require(raw.lock_wait_ms >= 0, "--lock-wait-ms must be zero or more");
  v.require(raw.reserve >= 1 && raw.reserve <= 2147483647, "--reserve must be 1 to 2147483647");
  v.require(std::isfinite(raw.warmup) && raw.warmup >= 0, "--warmup must be zero or more seconds");
  v.require(std::isfinite(raw.duration) && raw.duration > 0, "--duration must be more than zero seconds");
  v.require(raw.requests >= 0 && (raw.requests > 0 || !given("--requests")), "--requests must be at least 1");
  v.require(raw.seed >= 0, "--seed must be zero or more");
  v.require(raw.timeout_ms >= 1, "--timeout-ms must be at least 1");

  options.clients = static_cast<std::size_t>(std::max<std::int64_t>(raw.clients, 1));
  options.connections = raw.connections > 0 ? static_cast<std::size_t>(raw.connections)
                        : http              ? options.clients
                                            : 1;
  options.threads = static_cast<std::size_t>(std::max<std::int64_t>(raw.threads, 1));
  v.require(options.threads <= options.connections,
            "--threads (" + std::to_string(options.threads) + ") cannot exceed --connections (" +
                std::to_string(options.connections) + "): each thread runs whole connections");
  v.require(raw.rate > 0 || options.connections <= options.clients,
            "--connections (" + std::to_string(options.connections) + ") above --clients (" +
                std::to_string(options.clients) + ") would leave connections idle");

  options.keys = static_cast<std::uint64_t>(std::max<std::int64_t>(raw.keys, 1));
  options.key_prefix = raw.key_prefix;
  options.key_size = static_cast<std::size_t>(std::max<std::int64_t>(raw.key_size, 1));
  if (kv) {
    const std::size_t needed = options.key_prefix.size() + decimal_digits(options.keys - 1);
    v.require(options.key_size >= needed, "--key-size " + std::to_string(options.key_size) +
                                              " is too short for --key-prefix '" + options.key_prefix +
                                              "' and --keys " + std::to_string(options.keys) + ": at least " +
                                              std::to_string(needed));
  }

  if (raw.endpoints.empty()) {
    options.endpoints = {http ? "127.0.0.1:7200" : "127.0.0.1:7100"};
  } else {
    for (const std::string& part : split_commas(raw.endpoints)) {
      HostPort endpoint;
      const Status parsed = parse_endpoint(part, endpoint);
      v.require(parsed.is_ok(), "--endpoints: " + parsed.message());
      if (parsed.is_ok()) options.endpoints.push_back(endpoint.to_string());
    }
    v.require(!options.endpoints.empty(), "--endpoints is empty");
  }

  if (v.failed()) {
    err << "kahuna-bench: " << v.message() << "\nRun with --help for more information.\n";
    result.exit_code = kExitUsage;
    return result;
  }

  options.rate = raw.rate;
  options.max_outstanding = static_cast<std::size_t>(raw.max_outstanding);
  options.value_size = static_cast<std::size_t>(raw.value_size);
  options.durability = raw.durability == "ephemeral" ? Durability::kEphemeral : Durability::kPersistent;
  options.consistency = raw.consistency == "local" ? ReadConsistency::kLocal : ReadConsistency::kLinearizable;
  options.read_ratio = raw.read_ratio;
  options.resources = raw.resources > 0      ? static_cast<std::uint64_t>(raw.resources)
                      : w == Workload::kLock ? 1000
                                             : 1;
  options.lock_mode = raw.lock_mode == "wait" ? LockMode::kWait : LockMode::kTry;
  options.lease = std::chrono::milliseconds(raw.lease_ms);
  options.lock_wait = std::chrono::milliseconds(raw.lock_wait_ms);
  options.reserve = raw.reserve;
  options.idempotent = raw.idempotency == "auto";
  options.warmup_seconds = raw.warmup;
  options.duration_seconds = raw.duration;
  options.requests = static_cast<std::uint64_t>(raw.requests);
  options.seed = static_cast<std::uint64_t>(raw.seed);
  options.timeout = std::chrono::milliseconds(raw.timeout_ms);
  options.json_path = raw.json;
  options.allow_errors = raw.allow_errors;
  result.options = std::move(options);
  return result;
}

}  // namespace kahuna::bench
