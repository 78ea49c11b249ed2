// No key stays held past its transaction's deadline (TRANSACTIONS.md §3):
// the pending writes and locks of a transaction whose coordinator died, was
// paused or was cut off are settled by the partitions (an undecided one is
// aborted) within a second of its deadline. A plain write to a key still
// held answers `mustRetry` (101). Call these once the cluster is whole and
// the longest transaction's deadline, plus that second and some slack, has
// passed since the last transaction began.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace kahuna::faults {

// Sends every key a persistent set that changes nothing — only if its value
// equals one no key holds — so that it can run before the final reads
// without touching the state: a free key answers notSet, a held one 101.
// Returns one line per key that was held, answered otherwise, or got no
// answer (from any node) before `deadline`.
std::vector<std::string> probe_held_keys(const std::vector<std::string>& endpoints,
                                         const std::vector<std::string>& keys,
                                         std::chrono::milliseconds deadline);

// A plain persistent set of every key to its value (the final state, so the
// state stays what the checks saw): each must answer `set`. Returns one line
// per key that did not.
std::vector<std::string> refused_plain_sets(const std::vector<std::string>& endpoints,
                                            const std::map<std::string, std::string>& values,
                                            std::chrono::milliseconds deadline);

}  // namespace kahuna::faults
