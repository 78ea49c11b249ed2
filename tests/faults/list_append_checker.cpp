#include "list_append_checker.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>

namespace kahuna::faults {
namespace {

using Entry = Recorded<ListAppendOp>;

// Where an element came from: the transaction (history index) and the key.
struct Appender {
  std::size_t txn = 0;
  std::string key{};
};

// One read of a committed transaction.
struct ReadOf {
  std::size_t txn = 0;
  const std::vector<std::string>* list = nullptr;
};

// ww, wr, rw: dependencies the lists show; rt: one transaction's commit was
// answered before the other began (real time).
enum EdgeKind : unsigned { kWw = 1, kWr = 2, kRw = 4, kRt = 8 };

struct Edge {
  unsigned kinds = 0;
  std::string key{};  // the key of the first dependency found, for the report
};

// Keeps the first few violations of each kind, and counts the rest: a broken
// run may have thousands, and the first ones say what went wrong.
class Violations {
 public:
  void add(const std::string& kind, std::string text) {
    if (++counts_[kind] <= kKept) kept_.push_back(kind + ": " + std::move(text));
  }
  std::vector<std::string> take() {
    for (const auto& [kind, count] : counts_) {
      if (count > kKept) kept_.push_back(kind + ": ... and " + std::to_string(count - kKept) + " more");
    }
    return std::move(kept_);
  }

 private:
  static constexpr int kKept = 10;
  std::map<std::string, int> counts_;
  std::vector<std::string> kept_;
};

std::string list_text(const std::vector<std::string>& list) {
  // The tail is what orders matter on; a long list is shown by its length.
  constexpr std::size_t kShown = 4;
  std::string text = "(" + std::to_string(list.size()) + ") [";
  const std::size_t from = list.size() > kShown ? list.size() - kShown : 0;
  if (from > 0) text += "...,";
  for (std::size_t i = from; i < list.size(); ++i) text += (i > from ? "," : "") + list[i];
  return text + "]";
}

bool is_prefix(const std::vector<std::string>& prefix, const std::vector<std::string>& of) {
  return prefix.size() <= of.size() && std::equal(prefix.begin(), prefix.end(), of.begin());
}

std::string transaction(const std::vector<Entry>& history, std::size_t txn) {
  return "T" + std::to_string(txn) + " " + describe(history[txn]);
}

// Tarjan's strongly connected components, iteratively (a history has
// thousands of transactions); only components of two or more nodes.
std::vector<std::vector<std::size_t>> cycles_components(const std::vector<std::map<std::size_t, Edge>>& out) {
  const std::size_t n = out.size();
  constexpr std::size_t kUnvisited = static_cast<std::size_t>(-1);
  std::vector<std::size_t> index(n, kUnvisited);
  std::vector<std::size_t> low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  std::vector<std::vector<std::size_t>> components;
  std::size_t counter = 0;
  struct Frame {
    std::size_t node;
    std::map<std::size_t, Edge>::const_iterator next;
  };
  for (std::size_t root = 0; root < n; ++root) {
    if (index[root] != kUnvisited || out[root].empty()) continue;
    std::vector<Frame> frames;
    auto enter = [&](std::size_t v) {
      index[v] = low[v] = counter++;
      stack.push_back(v);
      on_stack[v] = true;
      frames.push_back(Frame{v, out[v].begin()});
    };
    enter(root);
    while (!frames.empty()) {
      Frame& frame = frames.back();
      const std::size_t v = frame.node;
      if (frame.next != out[v].end()) {
        const std::size_t w = frame.next->first;
        ++frame.next;
        if (index[w] == kUnvisited) {
          enter(w);  // invalidates `frame`
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      if (low[v] == index[v]) {
        std::vector<std::size_t> component;
        std::size_t w = 0;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          component.push_back(w);
        } while (w != v);
        if (component.size() > 1) components.push_back(std::move(component));
      }
      frames.pop_back();
      if (!frames.empty()) low[frames.back().node] = std::min(low[frames.back().node], low[v]);
    }
  }
  return components;
}

// The shortest cycle through `start` inside `component` (breadth-first).
std::vector<std::size_t> shortest_cycle(const std::vector<std::map<std::size_t, Edge>>& out,
                                        const std::vector<std::size_t>& component, std::size_t start) {
  const std::set<std::size_t> inside(component.begin(), component.end());
  std::map<std::size_t, std::size_t> parent;
  std::deque<std::size_t> queue{start};
  while (!queue.empty()) {
    const std::size_t v = queue.front();
    queue.pop_front();
    for (const auto& [w, edge] : out[v]) {
      if (!inside.contains(w)) continue;
      if (w == start) {
        std::vector<std::size_t> cycle{v};
        while (cycle.back() != start) cycle.push_back(parent.at(cycle.back()));
        std::reverse(cycle.begin(), cycle.end());
        return cycle;  // start, ..., v (and v → start closes it)
      }
      if (parent.try_emplace(w, v).second) queue.push_back(w);
    }
  }
  return {};
}

// An edge's kind for the classification: the strongest dependency it holds.
unsigned main_kind(unsigned kinds) {
  return (kinds & kWw) ? kWw : (kinds & kWr) ? kWr : (kinds & kRw) ? kRw : kRt;
}

std::string kind_name(unsigned kind) {
  return kind == kWw ? "ww" : kind == kWr ? "wr" : kind == kRw ? "rw" : "rt";
}

std::string cycle_report(const std::vector<Entry>& history,
                         const std::vector<std::map<std::size_t, Edge>>& out,
                         const std::vector<std::size_t>& cycle) {
  int rw = 0;
  int wr = 0;
  int rt = 0;
  std::string lines;
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    const std::size_t from = cycle[i];
    const std::size_t to = cycle[(i + 1) % cycle.size()];
    const Edge& edge = out[from].at(to);
    const unsigned kind = main_kind(edge.kinds);
    rw += kind == kRw;
    wr += kind == kWr;
    rt += kind == kRt;
    lines += "\n    " + transaction(history, from) + "\n      -" + kind_name(kind) + " on " + edge.key +
             "-> T" + std::to_string(to);
  }
  const std::string anomaly = std::string(rw == 0   ? (wr == 0 ? "G0" : "G1c")
                                          : rw == 1 ? "G-single"
                                                    : "G2") +
                              (rt > 0 ? "-realtime" : "");
  return anomaly + " cycle of " + std::to_string(cycle.size()) + " transactions:" + lines;
}

// Real-time order with few edges (after Elle): at each transaction's
// invocation, an edge from every transaction on the frontier — those whose
// commit was answered and that no later-answered transaction follows yet.
// Every pair "answered before the other began" is then joined by a path.
void add_realtime_edges(const std::vector<Entry>& history, const std::vector<bool>& in_graph,
                        std::vector<std::map<std::size_t, Edge>>& out) {
  struct Event {
    std::int64_t at;
    bool invoke;
    std::size_t txn;
  };
  std::vector<Event> events;
  for (std::size_t i = 0; i < history.size(); ++i) {
    if (!in_graph[i]) continue;
    events.push_back(Event{history[i].invoke, true, i});
    if (history[i].complete != kNever) events.push_back(Event{history[i].complete, false, i});
  }
  // At one instant the answers come first: they were before the invocation.
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.at != b.at ? a.at < b.at : (!a.invoke && b.invoke);
  });
  std::set<std::size_t> frontier;
  std::map<std::size_t, std::vector<std::size_t>> after;  // txn -> the frontier at its invocation
  for (const Event& event : events) {
    if (event.invoke) {
      auto& before = after[event.txn];
      before.assign(frontier.begin(), frontier.end());
      for (const std::size_t earlier : before) {
        Edge& edge = out[earlier][event.txn];
        if (edge.kinds == 0) edge.key = "(real time)";
        edge.kinds |= kRt;
      }
    } else {
      for (const std::size_t earlier : after[event.txn]) frontier.erase(earlier);
      frontier.insert(event.txn);
    }
  }
}

// Reports the cycles of `out` as `kind` (at most five components); returns
// how many components have one.
std::size_t report_cycles(const std::vector<Entry>& history,
                          const std::vector<std::map<std::size_t, Edge>>& out, const std::string& kind,
                          const std::string& what, Violations& violations) {
  const auto components = cycles_components(out);
  std::size_t reported = 0;
  for (const auto& component : components) {
    if (reported++ >= 5) {
      violations.add(kind, std::to_string(components.size() - 5) + " more cyclic components");
      break;
    }
    const auto cycle = shortest_cycle(out, component, *std::min_element(component.begin(), component.end()));
    violations.add(kind, what + " (" + std::to_string(component.size()) +
                             " transactions in one strongly connected component), " +
                             cycle_report(history, out, cycle));
  }
  return components.size();
}

}  // namespace

std::vector<std::string> parse_list(const std::string& text) {
  std::vector<std::string> list;
  if (text.empty()) return list;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(',', start);
    list.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return list;
}

std::string describe(const Recorded<ListAppendOp>& entry) {
  const ListAppendOp& op = entry.op;
  std::string text = "p" + std::to_string(entry.process) + (op.final_read ? " final read" : "") +
                     (op.pessimistic ? " pessimistic" : " optimistic") +
                     (entry.outcome == Outcome::kOk     ? " committed"
                      : entry.outcome == Outcome::kFail ? " did not happen (" + op.answer + ")"
                                                        : " unknown (" + op.answer + ")") +
                     ":";
  for (const ListMicroOp& micro : op.micro) {
    if (micro.kind == ListMicroOp::Kind::kAppend) {
      text += " append " + micro.key + " " + micro.element + ";";
    } else {
      text += " read " + micro.key + (entry.outcome == Outcome::kOk ? " " + list_text(micro.list) : "") + ";";
    }
  }
  return text + " [" + format_time(entry.invoke) + ", " + format_time(entry.complete) + "]";
}

ListAppendCheckResult check_list_append(const std::vector<Recorded<ListAppendOp>>& history) {
  ListAppendCheckResult result;
  Violations violations;

  std::map<std::string, Appender> appenders;
  std::map<std::string, std::vector<std::size_t>> committed_appends;  // key -> committed appenders
  std::map<std::string, std::vector<ReadOf>> reads;                   // key -> committed reads
  std::map<std::string, const Entry*> final_reads;                    // key -> the last final read
  std::map<std::string, const std::vector<std::string>*> final_lists;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Entry& e = history[i];
    const bool committed = e.outcome == Outcome::kOk;
    result.committed += committed;
    if (committed && e.op.malformed) {
      violations.add(
          "malformed answer",
          "a committed transaction's answer did not hold one list per read:\n    " + transaction(history, i));
    }
    for (const ListMicroOp& micro : e.op.micro) {
      if (micro.kind == ListMicroOp::Kind::kAppend) {
        if (!appenders.try_emplace(micro.element, Appender{i, micro.key}).second) {
          violations.add("workload", "element " + micro.element + " appended twice:\n    " +
                                         transaction(history, appenders[micro.element].txn) + "\n    " +
                                         transaction(history, i));
        }
        if (committed) committed_appends[micro.key].push_back(i);
      } else if (committed && !e.op.malformed) {
        reads[micro.key].push_back(ReadOf{i, &micro.list});
        result.longest = std::max(result.longest, micro.list.size());
        if (e.op.final_read) {
          const Entry*& last = final_reads[micro.key];
          if (!last || e.complete > last->complete) {
            last = &e;
            final_lists[micro.key] = &micro.list;
          }
        }
      }
    }
  }

  // What each read holds: no duplicates, only elements appended to this key
  // by transactions that may have happened.
  std::set<std::size_t> observed;  // appenders some committed read saw
  for (const auto& [key, of_key] : reads) {
    for (const ReadOf& read : of_key) {
      std::set<std::string> seen;
      for (const std::string& element : *read.list) {
        if (!seen.insert(element).second) {
          violations.add("duplicate element",
                         element + " twice in " + key + ":\n    " + transaction(history, read.txn));
          continue;
        }
        const auto appender = appenders.find(element);
        if (appender == appenders.end()) {
          violations.add("element nobody appended",
                         element + " in " + key + ":\n    " + transaction(history, read.txn));
        } else if (appender->second.key != key) {
          violations.add("element of another key", element + " read in " + key + ", appended to " +
                                                       appender->second.key + ":\n    " +
                                                       transaction(history, read.txn) + "\n    " +
                                                       transaction(history, appender->second.txn));
        } else if (history[appender->second.txn].outcome == Outcome::kFail) {
          violations.add("aborted read (G1a)",
                         element + " in " + key + " was appended by a transaction that " +
                             "did not happen:\n    " + transaction(history, appender->second.txn) +
                             "\n    read by " + transaction(history, read.txn));
        } else {
          observed.insert(appender->second.txn);
        }
      }
    }
  }

  // The version order of each key: its longest read, of which every read is
  // a prefix. A key whose reads disagree gets no dependencies.
  std::map<std::string, const std::vector<std::string>*> orders;
  for (const auto& [key, of_key] : reads) {
    const ReadOf* longest = &of_key.front();
    for (const ReadOf& read : of_key) {
      if (read.list->size() > longest->list->size()) longest = &read;
    }
    bool agree = true;
    for (const ReadOf& read : of_key) {
      if (is_prefix(*read.list, *longest->list)) continue;
      agree = false;
      violations.add("incompatible orders", "a read of " + key + " is not a prefix of the longest:\n    " +
                                                transaction(history, read.txn) +
                                                "\n    longest: " + transaction(history, longest->txn));
    }
    if (agree) orders[key] = longest->list;
  }

  // Lost appends: the final read of a key holds every committed append,
  // every append of an unknown transaction seen to commit (all of its writes
  // or none: atomicity), and every element a committed read saw there.
  for (const std::size_t txn : observed) {
    if (history[txn].outcome != Outcome::kUnknown) continue;
    for (const ListMicroOp& micro : history[txn].op.micro) {
      if (micro.kind == ListMicroOp::Kind::kAppend) committed_appends[micro.key].push_back(txn);
    }
  }
  std::set<std::string> keys;
  for (const auto& [key, _] : committed_appends) keys.insert(key);
  for (const auto& [key, _] : reads) keys.insert(key);
  for (const std::string& key : keys) {
    const auto final_list = final_lists.find(key);
    if (final_list == final_lists.end()) {
      result.unchecked.push_back(key);
      continue;
    }
    const std::set<std::string> present(final_list->second->begin(), final_list->second->end());
    const std::string final_text =
        "\n    final: " +
        transaction(history, static_cast<std::size_t>(final_reads.at(key) - history.data()));
    for (const std::size_t txn : committed_appends[key]) {
      for (const ListMicroOp& micro : history[txn].op.micro) {
        if (micro.kind == ListMicroOp::Kind::kAppend && micro.key == key &&
            !present.contains(micro.element)) {
          const bool seen = history[txn].outcome == Outcome::kUnknown;
          violations.add("lost append", (seen ? "seen to commit, " : "committed, ") + micro.element +
                                            " is not in the final " + key + ":\n    " +
                                            transaction(history, txn) + final_text);
        }
      }
    }
    if (const auto order = orders.find(key); order != orders.end()) {
      for (const std::string& element : *order->second) {
        if (!present.contains(element)) {
          violations.add("lost append",
                         element + " was read in " + key + ", then is not in its final list" + final_text);
        }
      }
    }
  }

  // The dependency graph over committed transactions and the unknown ones
  // that were seen to commit.
  std::vector<bool> in_graph(history.size(), false);
  for (std::size_t i = 0; i < history.size(); ++i) {
    in_graph[i] = history[i].outcome == Outcome::kOk ||
                  (history[i].outcome == Outcome::kUnknown && observed.contains(i));
    result.unknown_observed += history[i].outcome == Outcome::kUnknown && observed.contains(i);
  }
  std::vector<std::map<std::size_t, Edge>> out(history.size());
  auto add_edge = [&](std::size_t from, std::size_t to, unsigned kind, const std::string& key) {
    if (from == to || !in_graph[from] || !in_graph[to]) return;
    Edge& edge = out[from][to];
    if (edge.kinds == 0) {
      edge.key = key;
      ++result.graph_edges;
    }
    edge.kinds |= kind;
  };
  auto appender_of = [&](const std::string& element) -> std::optional<std::size_t> {
    const auto it = appenders.find(element);
    return it == appenders.end() ? std::nullopt : std::optional<std::size_t>(it->second.txn);
  };
  for (const auto& [key, order] : orders) {
    for (std::size_t i = 0; i + 1 < order->size(); ++i) {
      const auto before = appender_of((*order)[i]);
      const auto after = appender_of((*order)[i + 1]);
      if (before && after) add_edge(*before, *after, kWw, key);
    }
    for (const ReadOf& read : reads[key]) {
      const std::size_t seen = read.list->size();
      if (seen > 0) {
        if (const auto last = appender_of(read.list->back())) add_edge(*last, read.txn, kWr, key);
      }
      if (seen < order->size()) {
        if (const auto next = appender_of((*order)[seen])) add_edge(read.txn, *next, kRw, key);
      }
    }
  }
  // Strict serializability besides: a transaction that began after another's
  // commit was answered must come after it (a committed answer means every
  // later read sees the writes). Checked only when the dependencies alone
  // hold no cycle, so that each failure names the weaker guarantee it breaks.
  if (report_cycles(history, out, "cycle", "not serializable", violations) == 0) {
    add_realtime_edges(history, in_graph, out);
    report_cycles(history, out, "realtime cycle", "not strictly serializable", violations);
  }

  result.violations = violations.take();
  result.ok = result.violations.empty();
  return result;
}

}  // namespace kahuna::faults
