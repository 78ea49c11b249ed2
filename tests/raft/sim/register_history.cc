#include "register_history.h"

#include <algorithm>
#include <sstream>
#include <unordered_set>

namespace kahuna::raft::sim {

std::size_t RegisterHistory::invoke(bool is_write, std::string value, std::uint64_t call_time) {
  ops_.push_back(RegisterOp{is_write, std::move(value), call_time, 0});
  return ops_.size() - 1;
}

void RegisterHistory::complete(std::size_t op, std::uint64_t return_time) {
  if (ops_[op].ret == 0) ops_[op].ret = return_time;
}

void RegisterHistory::complete_read(std::size_t op, std::string value, std::uint64_t return_time) {
  ops_[op].value = std::move(value);
  ops_[op].ret = return_time;
}

std::vector<RegisterOp> RegisterHistory::completed() const {
  std::vector<RegisterOp> done;
  for (const RegisterOp& op : ops_) {
    if (op.ret != 0) done.push_back(op);
  }
  return done;
}

std::string RegisterHistory::describe() const {
  std::ostringstream out;
  for (const RegisterOp& op : ops_) {
    if (op.ret == 0) continue;
    out << "  " << (op.is_write ? "write " : "read  ") << '"' << op.value << "\" [" << op.call << ", "
        << op.ret << "]\n";
  }
  return out.str();
}

namespace {

// Set of linearized operations plus the register state, hashed for the memo table.
struct Configuration {
  std::vector<std::uint64_t> bits;
  std::size_t state;  // index into the value table
  bool operator==(const Configuration&) const = default;
};

struct ConfigurationHash {
  std::size_t operator()(const Configuration& c) const {
    std::size_t h = c.state * 0x9e3779b97f4a7c15ULL;
    for (std::uint64_t b : c.bits) h = (h ^ b) * 0x100000001b3ULL;
    return h;
  }
};

}  // namespace

SearchVerdict RegisterHistory::check(const std::string& initial, std::uint64_t budget) const {
  SearchVerdict verdict;
  const std::vector<RegisterOp> ops = completed();
  const std::size_t n = ops.size();
  if (n == 0) return verdict;

  // Values as small integers; state 0 is the initial value.
  std::vector<std::string> values{initial};
  auto value_id = [&values](const std::string& v) {
    auto it = std::find(values.begin(), values.end(), v);
    if (it != values.end()) return static_cast<std::size_t>(it - values.begin());
    values.push_back(v);
    return values.size() - 1;
  };
  std::vector<std::size_t> op_value(n);
  for (std::size_t i = 0; i < n; ++i) op_value[i] = value_id(ops[i].value);

  // Events sorted by time, as a doubly linked list over indices; event 2i is the call
  // of op i, event 2i+1 its return.
  const std::size_t events = 2 * n;
  std::vector<std::size_t> order(events);
  for (std::size_t e = 0; e < events; ++e) order[e] = e;
  auto time_of = [&](std::size_t e) { return e % 2 == 0 ? ops[e / 2].call : ops[e / 2].ret; };
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return time_of(a) < time_of(b); });
  const std::size_t head = events;  // sentinel
  std::vector<std::size_t> next(events + 1), prev(events + 1);
  std::size_t last = head;
  for (std::size_t e : order) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  next[last] = head;
  prev[head] = last;
  auto unlink = [&](std::size_t e) {
    next[prev[e]] = next[e];
    prev[next[e]] = prev[e];
  };
  auto relink = [&](std::size_t e) {
    next[prev[e]] = e;
    prev[next[e]] = e;
  };

  Configuration current{std::vector<std::uint64_t>((n + 63) / 64, 0), 0};
  std::unordered_set<Configuration, ConfigurationHash> seen;
  struct Frame {
    std::size_t op;
    std::size_t state_before;
  };
  std::vector<Frame> stack;
  std::size_t entry = next[head];
  while (next[head] != head) {
    if (verdict.steps == budget) {
      verdict.exhausted = true;
      return verdict;
    }
    ++verdict.steps;
    if (entry != head && entry % 2 == 0) {
      const std::size_t op = entry / 2;
      bool legal = ops[op].is_write || op_value[op] == current.state;
      if (legal) {
        Configuration candidate = current;
        candidate.bits[op / 64] |= 1ULL << (op % 64);
        if (ops[op].is_write) candidate.state = op_value[op];
        if (seen.insert(candidate).second) {
          stack.push_back(Frame{op, current.state});
          current = std::move(candidate);
          unlink(2 * op);
          unlink(2 * op + 1);
          entry = next[head];
          continue;
        }
      }
      entry = next[entry];
      continue;
    }
    // A return event (or the end of the list) with its operation not linearized yet:
    // undo the last choice and try the next candidate after it.
    if (stack.empty()) {
      std::ostringstream out;
      out << "history of " << n << " operations is not linearizable:\n" << describe();
      verdict.violation = out.str();
      return verdict;
    }
    Frame frame = stack.back();
    stack.pop_back();
    relink(2 * frame.op + 1);
    relink(2 * frame.op);
    current.bits[frame.op / 64] &= ~(1ULL << (frame.op % 64));
    current.state = frame.state_before;
    entry = next[2 * frame.op];
  }
  return verdict;
}

}  // namespace kahuna::raft::sim
