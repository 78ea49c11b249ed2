// Serializability of a list-append history, after Jepsen's Elle: every key
// holds a list, a transaction appends unique elements to some keys and reads
// the whole list of others, and because an append only ever adds at the end,
// the lists the transactions read reveal the order in which the appends took
// effect.
//
// From the committed transactions (and the unknown-outcome ones whose
// elements someone read: they committed), per key:
//   - the version order is the longest list any committed transaction read,
//     and every other read must be a prefix of it;
//   - ww: the appender of each element precedes the appender of the next;
//   - wr: the appender of the last element a read saw precedes the reader;
//   - rw: a reader precedes the appender of the first element it did not see
//     (the anti-dependency).
// Any cycle in that graph (Tarjan's strongly connected components, then the
// shortest cycle inside each) is a serializability violation, reported with
// its transactions and edges: G0 (ww only), G1c (ww and wr), G-single (one
// rw), G2 (more rw). Without one, the graph gains real-time edges (a
// transaction whose commit was answered precedes every transaction invoked
// after that), and a cycle then breaks strict serializability (the same
// names, "-realtime"): a committed answer means every later read sees it.
//
// Also: no list holds an element twice; no read holds an element nobody
// appended, or appended to another key, or appended by a transaction that
// did not happen (aborted, alreadyLocked, mustRetry in strict mode, never
// sent — G1a); and every committed append, every append of an unknown
// transaction seen to commit (atomicity), and every element a committed
// read saw, is in the final read of its key (no lost appends).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "history.h"

namespace kahuna::faults {

struct ListMicroOp {
  enum class Kind { kAppend, kRead };
  Kind kind = Kind::kRead;
  std::string key{};
  std::string element{};            // append: the element (unique in the history)
  std::vector<std::string> list{};  // read, committed: the list seen, oldest first
};

struct ListAppendOp {
  std::vector<ListMicroOp> micro{};  // on distinct keys
  bool pessimistic = false;          // BEGIN (locking="pessimistic"), else an auto-commit script
  // The read made after the faults, with the cluster whole: the final list
  // of every key it reads.
  bool final_read = false;
  bool malformed = false;  // committed, but its answer did not hold one list per read
  std::string answer{};    // the reply as the workload saw it, for reports
};

struct ListAppendCheckResult {
  bool ok = true;
  int committed = 0;         // committed transactions
  int unknown_observed = 0;  // unknown-outcome transactions whose appends were read
  int graph_edges = 0;
  std::size_t longest = 0;               // the longest list read
  std::vector<std::string> unchecked{};  // keys without a final read: lost appends not checked there
  std::vector<std::string> violations{};
};

ListAppendCheckResult check_list_append(const std::vector<Recorded<ListAppendOp>>& history);

// "a1,b7,a2" → {"a1", "b7", "a2"}; "" → {}.
std::vector<std::string> parse_list(const std::string& text);

std::string describe(const Recorded<ListAppendOp>& entry);

}  // namespace kahuna::faults
