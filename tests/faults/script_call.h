// One Kahuna Script sent by a transaction workload (bank, list-append), and
// what its answer means for the history (docs/faults.md, "Transactions"):
//   - committed: the script's own success code (below 98), with its values;
//   - did not happen (kFail): never sent, `aborted` (102), `alreadyLocked`
//     (104), and `mustRetry` (101) in strict mode — nothing was written;
//   - unknown: `unknown` (98, the commit's outcome could not be learned),
//     `errored` (99), any other answer, no answer in time, and `mustRetry`
//     in lenient mode.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <kahuna/service_types.h>
#include <kahuna/types.h>

#include "fault_client.h"
#include "history.h"
#include "strictness.h"

namespace kahuna::faults {

// The time a node has to run one script (its transaction ends by then), and
// the client's wait for the answer: longer, so that a slow script is still
// answered rather than recorded as unknown.
inline constexpr std::chrono::milliseconds kScriptDeadline{4000};
inline constexpr std::chrono::milliseconds kScriptWait{6000};

// The longest a transaction of these workloads may stay undecided: the
// default timeout of an auto-commit script's transaction (the pessimistic
// ones ask for less). Past it, and the second the partitions take to settle
// what it left, no key may stay held.
inline constexpr std::chrono::milliseconds kLongestTransaction{5000};

struct ScriptOutcome {
  Outcome outcome = Outcome::kUnknown;
  bool sent = false;
  std::optional<ScriptReply> reply{};  // when a script reply came back
  // "3 get", "102 aborted: conflict ...", "no answer", "not sent".
  std::string summary() const;
  bool committed() const { return outcome == Outcome::kOk; }
};

// Sends `request` to node `node`, to be run within kScriptDeadline, and
// classifies the answer (above).
ScriptOutcome call_script(FaultClient& client, int node, const ScriptRequest& request, Strictness strictness);

// The answers a workload's processes got, by reply code (and "no answer",
// "not sent"), with the first few reasons of errored (99) answers: a script
// that does not parse would leave a history of unknowns that proves nothing.
class ScriptTally {
 public:
  void add(const ScriptOutcome& outcome);
  // "3 get: 812, 102 aborted: 97, no answer: 4".
  std::string summary() const;
  int count(ScriptCode code) const;
  int committed() const;
  std::vector<std::string> errors() const;  // reasons of 99 answers, the first 10
  // One reason of each kind of answer, e.g. "102 aborted: conflict: ...".
  std::vector<std::string> examples() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, int> by_answer_;
  std::map<std::string, std::string> examples_;
  std::map<int, int> by_code_;
  int committed_ = 0;
  std::vector<std::string> errors_;
};

// `count` keys "<stem><n>/<leaf>" whose key spaces spread over the hash
// partitions 1..partitions: the i-th on partition 1 + i % partitions, so that
// a transaction over a few of them spans several partitions.
std::vector<std::string> keys_over_partitions(const std::string& stem, const std::string& leaf, int count,
                                              std::uint32_t partitions);

// A script request with its `@name` parameters ({"@from", "acct1/b"}, ...).
ScriptRequest script_request(std::string text,
                             const std::vector<std::pair<std::string, std::string>>& parameters);

// Sends `request` through the nodes in turn until it commits or `deadline`
// passes (setup and final reads, on a whole cluster); calls `attempted` with
// every attempt's outcome. Returns the committing reply.
std::optional<ScriptReply> run_until_committed(
    const std::vector<std::string>& endpoints, const ScriptRequest& request,
    std::chrono::milliseconds deadline, Strictness strictness,
    const std::function<void(const ScriptOutcome&)>& attempted = {});

}  // namespace kahuna::faults
