// The list-append workload (after Jepsen's Elle): keys on several
// partitions each hold a comma-separated list; client processes run
// transactions of 1–3 micro-ops on distinct random keys — append a unique
// element ("<process>.<n>") or read the whole list — as auto-commit
// (optimistic) scripts or in BEGIN (locking="pessimistic") … COMMIT END,
// through random nodes, and record them for list_append_checker.h.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "list_append_checker.h"
#include "script_call.h"
#include "workloads.h"

namespace kahuna::faults {

// `count` list keys named after `stem`, spread over `partitions` partitions.
std::vector<std::string> make_list_keys(const std::string& stem, int count, std::uint32_t partitions);

// Transactions until `stopping`, each through a random node; counts every
// answer in `tally` when given.
void run_list_append_process(const ProcessContext& context, const std::vector<std::string>& keys,
                             const std::atomic<bool>& stopping, History<ListAppendOp>& history,
                             ScriptTally* tally = nullptr);

// The final read, with the cluster whole: one transaction reading every key,
// repeated through the nodes until it commits or `deadline` passes, every
// attempt recorded in `history` as process `context.process`. Returns whether
// one committed.
bool read_lists_finally(const ProcessContext& context, const std::vector<std::string>& keys,
                        std::chrono::milliseconds deadline, History<ListAppendOp>& history);

// What the committed final read saw, as comma-separated text by key (for
// writing the final state back); empty when none committed.
std::map<std::string, std::string> final_lists(const std::vector<Recorded<ListAppendOp>>& history);

}  // namespace kahuna::faults
