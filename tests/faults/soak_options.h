// The soak program's command line (scripts/soak.sh passes it through):
//   --seed N  --duration 30m  --nodes 3|5  --engine rocksdb|lmdb
//   --report FILE  [--epoch 60s]  [--strict | --lenient]
//   [--membership [--spares N]]
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "strictness.h"

namespace kahuna::faults {

struct SoakOptions {
  std::uint64_t seed = 0;
  bool seed_given = false;
  std::string duration_text = "30m";
  std::chrono::seconds duration{30 * 60};
  std::chrono::seconds epoch{60};
  int nodes = 3;
  std::string engine = "rocksdb";
  std::string report = "soak-report.md";
  // How the workloads record `mustRetry` (strictness.h). Without --strict or
  // --lenient the soak follows KAHUNA_FAULTS_LENIENT, else strict.
  Strictness strictness = Strictness::kStrict;
  bool strictness_given = false;
  // --membership: membership changes are a fault kind too. The `nodes`
  // first members start the cluster (replication factor 3) and `spares`
  // more nodes, configured to join it, are started one at a time by the
  // nemesis; members leave or are removed (MixedNemesis, "membership").
  bool membership = false;
  int spares = 3;  // --spares N (1..4), with --membership
};

// "90" and "90s" are seconds, "30m" minutes, "2h" hours; nullopt otherwise.
std::optional<std::chrono::seconds> parse_duration(const std::string& text);

// Fills `options` from argv; on a bad argument returns a message (and the
// caller prints the usage), else an empty string.
std::string parse_soak_options(int argc, char** argv, SoakOptions& options);

inline constexpr const char* kSoakUsage =
    "usage: kahuna_fault_soak --seed N --duration 30m --nodes 3|5 --engine rocksdb|lmdb --report FILE "
    "[--epoch 60s] [--strict | --lenient] [--membership [--spares N]]\n";

}  // namespace kahuna::faults
