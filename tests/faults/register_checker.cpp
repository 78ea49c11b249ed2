#include "register_checker.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace kahuna::faults {
namespace {

std::string show(const std::optional<std::string>& value) { return value ? "'" + *value + "'" : "absent"; }

// One call or return in the doubly linked event list. Lifting an operation
// unlinks its two events; since lifts are undone in reverse order, an
// unlinked event still knows its neighbours and can be put back (dancing
// links).
struct Event {
  int op = 0;
  bool call = true;
  std::int64_t time = 0;
  Event* prev = nullptr;
  Event* next = nullptr;
  Event* match = nullptr;  // the call's return, the return's call
};

void unlink(Event* e) {
  e->prev->next = e->next;
  if (e->next) e->next->prev = e->prev;
}
void relink(Event* e) {
  e->prev->next = e;
  if (e->next) e->next->prev = e;
}
void lift(Event* call) {
  unlink(call);
  unlink(call->match);
}
void unlift(Event* call) {
  relink(call->match);
  relink(call);
}

// Register values interned as small ints (0: the key does not exist), so a
// memoized configuration is a bitset plus one int.
class Values {
 public:
  int id(const std::optional<std::string>& value) {
    if (!value) return 0;
    auto [it, added] = ids_.try_emplace(*value, static_cast<int>(names_.size()) + 1);
    if (added) names_.push_back(*value);
    return it->second;
  }
  std::string name(int id) const { return id == 0 ? "absent" : "'" + names_[id - 1] + "'"; }

 private:
  std::unordered_map<std::string, int> ids_;
  std::vector<std::string> names_;
};

// An operation reduced to what the model needs.
struct ModelOp {
  RegisterOp::Kind kind;
  bool known = true;  // outcome ok (else unknown)
  bool applied = false;
  int value = 0;
  int expected = 0;
};

// The register's sequential specification: whether `op` may take effect in
// `state`, and the state after it.
bool step(const ModelOp& op, int state, int& next) {
  switch (op.kind) {
    case RegisterOp::Kind::kRead: next = state; return state == op.value;
    case RegisterOp::Kind::kWrite: next = op.value; return true;
    case RegisterOp::Kind::kCas:
      // An unknown cas that would fail changes nothing: leaving it out is the
      // same, so only its succeeding form is tried.
      if (!op.known || op.applied) {
        next = op.value;
        return state == op.expected;
      }
      next = state;
      return state != op.expected;
  }
  return false;
}

struct Configuration {
  std::vector<std::uint64_t> linearized;
  int state = 0;
  bool operator==(const Configuration&) const = default;
};
struct ConfigurationHash {
  std::size_t operator()(const Configuration& c) const {
    std::size_t h = std::hash<int>{}(c.state);
    for (std::uint64_t word : c.linearized) h = h * 1000003u ^ std::hash<std::uint64_t>{}(word);
    return h;
  }
};

struct KeyResult {
  bool ok = true;
  bool inconclusive = false;
  std::string report;
};

// A read of a value no write or cas ever wrote cannot be linearized: found
// in linear time, before a search that could take long to fail. `failed`
// are the key's failed writes and cas (left out of `ops`: they did not
// happen); a read of a value only one of them wrote says so, since it means
// the server applied a command it answered as not applied.
std::optional<std::string> read_of_unwritten_value(const std::vector<const Recorded<RegisterOp>*>& ops,
                                                   const std::vector<const Recorded<RegisterOp>*>& failed) {
  std::unordered_set<std::string> written;
  for (const auto* entry : ops) {
    if (entry->op.kind != RegisterOp::Kind::kRead && entry->op.value) written.insert(*entry->op.value);
  }
  for (const auto* entry : ops) {
    if (entry->op.kind != RegisterOp::Kind::kRead || !entry->op.value || written.contains(*entry->op.value))
      continue;
    for (const auto* write : failed) {
      if (write->op.value == entry->op.value) {
        return "a read of a value only a failed (not applied) command wrote: " + describe(*entry) +
               "\n  written only by: " + describe(*write) + "\n";
      }
    }
    return "a read of a value nothing wrote: " + describe(*entry) + "\n";
  }
  return std::nullopt;
}

KeyResult check_key(const std::vector<const Recorded<RegisterOp>*>& ops,
                    const std::vector<const Recorded<RegisterOp>*>& failed, std::uint64_t max_steps) {
  if (auto report = read_of_unwritten_value(ops, failed)) return KeyResult{false, false, *report};
  Values values;
  std::vector<ModelOp> model;
  model.reserve(ops.size());
  for (const auto* entry : ops) {
    ModelOp m{entry->op.kind, entry->outcome == Outcome::kOk, entry->op.cas_applied,
              values.id(entry->op.value), values.id(entry->op.expected)};
    model.push_back(m);
  }

  const int n = static_cast<int>(ops.size());
  std::vector<Event> events(2 * n);
  for (int i = 0; i < n; ++i) {
    Event& call = events[2 * i];
    Event& ret = events[2 * i + 1];
    call = Event{i, true, ops[i]->invoke, nullptr, nullptr, &ret};
    ret = Event{i, false, ops[i]->complete, nullptr, nullptr, &call};
  }
  std::vector<Event*> order;
  for (Event& e : events) order.push_back(&e);
  // Ties: calls first, so that operations touching in time count as
  // concurrent (the lenient reading of equal timestamps).
  std::stable_sort(order.begin(), order.end(), [](const Event* a, const Event* b) {
    if (a->time != b->time) return a->time < b->time;
    return a->call && !b->call;
  });
  Event head;
  Event* last = &head;
  for (Event* e : order) {
    e->prev = last;
    last->next = e;
    last = e;
  }

  struct Frame {
    Event* call;
    int state;
  };
  std::vector<Frame> stack;
  std::unordered_set<Configuration, ConfigurationHash> seen;
  Configuration current{std::vector<std::uint64_t>((n + 63) / 64, 0), 0};

  // The deepest point the search reached, for the report.
  std::vector<int> best_prefix;
  int best_state = 0;
  int stuck_op = -1;

  std::uint64_t steps = 0;
  Event* entry = head.next;
  while (head.next != nullptr) {
    if (++steps > max_steps)
      return KeyResult{false, true, "search gave up after " + std::to_string(max_steps) + " steps"};
    if (entry->call) {
      const int op = entry->op;
      int next = 0;
      if (step(model[op], current.state, next)) {
        Configuration candidate = current;
        candidate.linearized[op / 64] |= std::uint64_t{1} << (op % 64);
        candidate.state = next;
        if (seen.insert(candidate).second) {
          stack.push_back(Frame{entry, current.state});
          current = std::move(candidate);
          lift(entry);
          entry = head.next;
          continue;
        }
      }
      entry = entry->next;
      continue;
    }
    // A return: its operation was not linearized before it returned.
    if (!model[entry->op].known) return {};  // only unknown operations are left
    if (stuck_op < 0 || stack.size() > best_prefix.size()) {
      best_prefix.clear();
      for (const Frame& f : stack) best_prefix.push_back(f.call->op);
      best_state = current.state;
      stuck_op = entry->op;
    }
    if (stack.empty()) break;
    const Frame top = stack.back();
    stack.pop_back();
    current.linearized[top.call->op / 64] &= ~(std::uint64_t{1} << (top.call->op % 64));
    current.state = top.state;
    unlift(top.call);
    entry = top.call->next;
  }
  if (head.next == nullptr) return {};

  // The window: the end of the longest linearization found, the operation
  // that could not be placed, and what was still pending when it returned.
  std::string report = "linearized " + std::to_string(best_prefix.size()) + " of " + std::to_string(n) +
                       " operations; the register then held " + values.name(best_state) + "\n";
  report += "  last linearized:\n";
  const std::size_t from = best_prefix.size() > 6 ? best_prefix.size() - 6 : 0;
  for (std::size_t i = from; i < best_prefix.size(); ++i)
    report += "    " + describe(*ops[best_prefix[i]]) + "\n";
  report += "  cannot be placed: " + describe(*ops[stuck_op]) + "\n";
  report += "  pending at its return (not linearized, invoked before it returned):\n";
  std::vector<bool> placed(n, false);
  for (int op : best_prefix) placed[op] = true;
  int listed = 0;
  for (int i = 0; i < n && listed < 12; ++i) {
    if (placed[i] || i == stuck_op || ops[i]->invoke > ops[stuck_op]->complete) continue;
    report += "    " + describe(*ops[i]) + "\n";
    ++listed;
  }
  // A failed command that would have let it be placed: the likely cause
  // when the server applied a command it answered `mustRetry`.
  const RegisterOp& stuck = ops[stuck_op]->op;
  std::optional<std::string> needed;
  if (stuck.kind == RegisterOp::Kind::kRead) needed = stuck.value;
  if (stuck.kind == RegisterOp::Kind::kCas && (stuck.cas_applied || ops[stuck_op]->outcome != Outcome::kOk)) {
    needed = stuck.expected;
  }
  for (const auto* write : failed) {
    if (needed && write->op.value == needed && write->invoke <= ops[stuck_op]->complete) {
      report += "  failed (not applied), yet the value it needed: " + describe(*write) + "\n";
    }
  }
  return KeyResult{false, false, report};
}

}  // namespace

std::string describe(const Recorded<RegisterOp>& entry) {
  const RegisterOp& op = entry.op;
  std::string text = "p" + std::to_string(entry.process) + " ";
  switch (op.kind) {
    case RegisterOp::Kind::kRead: text += "read(" + op.key + ") -> " + show(op.value); break;
    case RegisterOp::Kind::kWrite: text += "write(" + op.key + ", " + show(op.value) + ")"; break;
    case RegisterOp::Kind::kCas:
      text += "cas(" + op.key + ", " + show(op.expected) + " -> " + show(op.value) + ")";
      if (entry.outcome == Outcome::kOk) text += op.cas_applied ? " set" : " notSet";
      break;
  }
  text += entry.outcome == Outcome::kOk ? " ok" : entry.outcome == Outcome::kFail ? " fail" : " unknown";
  return text + " [" + format_time(entry.invoke) + ", " + format_time(entry.complete) + "]";
}

LinearizabilityResult check_registers(const std::vector<Recorded<RegisterOp>>& history,
                                      std::uint64_t max_steps) {
  std::map<std::string, std::vector<const Recorded<RegisterOp>*>> by_key;
  std::map<std::string, std::vector<const Recorded<RegisterOp>*>> failed_by_key;  // for the report only
  for (const auto& entry : history) {
    // Failed operations never happened: left out of the search, so nothing
    // may observe them. A read without an answer observed nothing and
    // constrains nothing.
    if (entry.outcome == Outcome::kFail) {
      if (entry.op.kind != RegisterOp::Kind::kRead) failed_by_key[entry.op.key].push_back(&entry);
      continue;
    }
    if (entry.outcome == Outcome::kUnknown && entry.op.kind == RegisterOp::Kind::kRead) continue;
    by_key[entry.op.key].push_back(&entry);
  }
  LinearizabilityResult result;
  for (const auto& [key, ops] : by_key) {
    KeyResult key_result = check_key(ops, failed_by_key[key], max_steps);
    if (key_result.ok) continue;
    result.ok = false;
    result.inconclusive = key_result.inconclusive;
    result.key = key;
    result.report = "key " + key + ": " + key_result.report;
    if (!key_result.inconclusive) return result;
  }
  return result;
}

}  // namespace kahuna::faults
