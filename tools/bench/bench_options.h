// BenchOptions: everything a kahuna-bench run is told on its command line,
// with the defaults docs/benchmarks.md documents, and the parser that fills
// it in (CLI11) and refuses contradictory or meaningless combinations.
#pragma once

#include <kahuna/types.h>

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kahuna::bench {

enum class Workload { kSet, kGet, kMixed, kCas, kLock, kSequence, kScript, kTransfer };
enum class Protocol { kBinary, kHttp };
enum class LockMode { kTry, kWait };

std::string_view to_string(Workload workload) noexcept;
std::string_view to_string(Protocol protocol) noexcept;
std::string_view to_string(LockMode mode) noexcept;
std::string_view to_string(Durability durability) noexcept;
std::string_view to_string(ReadConsistency consistency) noexcept;

struct BenchOptions {
  Workload workload = Workload::kSet;
  Protocol protocol = Protocol::kBinary;
  // host:port of each node's binary (or HTTP) listener. Default: the one of
  // conf/kahuna.toml for the protocol (7100, or 7200 for HTTP).
  std::vector<std::string> endpoints{};

  // Closed loop: `clients` coroutines, each with one request outstanding.
  std::size_t clients = 16;
  // Binary: AsyncClient instances (each one connection per node, any number
  // of requests in flight). HTTP: keep-alive connections, one request in
  // flight each. Default: 1 for binary, `clients` for HTTP.
  std::size_t connections = 1;
  // io_contexts, each run by one thread; connection i runs on thread i % threads.
  std::size_t threads = 1;

  // Open loop: requests/s over all threads (0: closed loop), and the most
  // requests in flight at once; later ones wait for a slot, their latency
  // still counted from their intended send time.
  double rate = 0;
  std::size_t max_outstanding = 1024;

  // Key/value workloads.
  std::uint64_t keys = 10000;
  std::size_t key_size = 16;  // bytes: the prefix, then the zero-padded key number
  std::size_t value_size = 256;
  std::string key_prefix = "bench-";
  Durability durability = Durability::kPersistent;
  ReadConsistency consistency = ReadConsistency::kLinearizable;
  double read_ratio = 0.9;  // mixed: the share of gets

  // Locks and sequences: how many distinct resources or sequence names.
  // Default: 1000 for lock, 1 for sequence.
  std::uint64_t resources = 0;
  LockMode lock_mode = LockMode::kTry;
  std::chrono::milliseconds lease{10000};
  std::chrono::milliseconds lock_wait{10000};
  std::int64_t reserve = 1;  // values per sequence call; 1 = next
  bool idempotent = true;    // --idempotency auto (true) or none (false)

  // Length of the run: warmup, then either `duration_seconds` or `requests`
  // measured requests (when > 0).
  double warmup_seconds = 1;
  double duration_seconds = 10;
  std::uint64_t requests = 0;

  std::uint64_t seed = 1;
  std::chrono::milliseconds timeout{10000};  // per request, retries included
  std::string json_path{};                   // "" none, "-" stdout
  bool allow_errors = false;

  bool open_loop() const { return rate > 0; }
};

// What the command line asks for: a run (options), or an exit with the code
// given (0 after --help, 2 after a usage error, whose message went to `err`).
struct CommandLineResult {
  std::optional<BenchOptions> options{};
  int exit_code = 0;
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitRequestErrors = 1;  // some requests failed, or the cluster could not be set up
inline constexpr int kExitUsage = 2;          // the command line is wrong
inline constexpr int kExitInterrupted = 130;  // SIGINT or SIGTERM: the report covers what ran

// `arguments` excludes the program name.
CommandLineResult parse_command_line(const std::vector<std::string>& arguments, std::ostream& out,
                                     std::ostream& err);

}  // namespace kahuna::bench
