// The soak run's report: what ran, which faults each epoch injected, what
// the workloads' operations came to, and every checker's verdict with the
// violations' windows. Written as markdown and as JSON.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace kahuna::faults {

struct OutcomeCounts {
  int ok = 0;
  int fail = 0;
  int unknown = 0;
};

struct CheckVerdict {
  std::string check;                    // "registers", "locks", "sequences", "unique writes"
  std::string verdict;                  // "ok", "violation" or "inconclusive"
  std::string summary;                  // e.g. "3 keys, 4120 operations"
  std::vector<std::string> violations;  // each with its minimal window
};

struct EpochResult {
  int number = 0;
  double seconds = 0;
  std::map<std::string, int> faults;                // by kind
  std::map<std::string, OutcomeCounts> operations;  // by workload
  std::vector<CheckVerdict> checks;
  std::vector<std::string> harness_errors;  // a node that would not start, ...
};

struct SoakReport {
  std::uint64_t seed = 0;
  std::string duration;  // as asked, e.g. "30m"
  double seconds = 0;    // as run
  int nodes = 0;         // the first members
  // With membership changes (--membership): the spare nodes configured to
  // join; 0 without.
  int spares = 0;
  std::string engine;
  // "strict" (mustRetry recorded as fail: not applied) or "lenient" (as
  // unknown); strictness.h.
  std::string mode;
  bool interrupted = false;
  std::vector<EpochResult> epochs;

  // No violation, nothing inconclusive, no harness error.
  bool ok() const;
};

void write_markdown(const SoakReport& report, std::ostream& out);
void write_json(const SoakReport& report, std::ostream& out);

}  // namespace kahuna::faults
