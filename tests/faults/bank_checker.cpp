#include "bank_checker.h"

#include <cstdlib>

namespace kahuna::faults {
namespace {

std::optional<std::int64_t> parse_integer(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0') return std::nullopt;
  return static_cast<std::int64_t>(value);
}

std::string balances_text(const std::vector<std::optional<std::int64_t>>& balances) {
  std::string text = "[";
  for (std::size_t i = 0; i < balances.size(); ++i) {
    if (i > 0) text += " ";
    text += balances[i] ? std::to_string(*balances[i]) : "?";
  }
  return text + "]";
}

// What is wrong with one committed read-all; empty when nothing.
std::string read_problem(const BankOp& op, std::size_t accounts, std::int64_t total) {
  if (op.balances.size() != accounts) {
    return "read " + std::to_string(op.balances.size()) + " balances of " + std::to_string(accounts) +
           " accounts";
  }
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < op.balances.size(); ++i) {
    if (!op.balances[i]) return "account " + std::to_string(i) + " is absent or not a number";
    if (*op.balances[i] < 0) return "account " + std::to_string(i) + " is negative";
    sum += *op.balances[i];
  }
  if (sum != total) return "the balances sum to " + std::to_string(sum) + ", not " + std::to_string(total);
  return {};
}

// The window around a bad read: the last good read that completed before it
// began, and the transfers that were running (or not known to have ended)
// from then until the bad read's answer, at most `limit` of them.
std::string window(const std::vector<Recorded<BankOp>>& history, const Recorded<BankOp>& bad,
                   std::size_t accounts, std::int64_t total, std::size_t limit = 12) {
  const Recorded<BankOp>* good = nullptr;
  for (const auto& e : history) {
    if (e.outcome != Outcome::kOk || e.op.kind != BankOp::Kind::kReadAll || e.complete > bad.invoke) continue;
    if (!read_problem(e.op, accounts, total).empty()) continue;
    if (!good || e.complete > good->complete) good = &e;
  }
  const std::int64_t from = good ? good->invoke : 0;
  std::string text;
  if (good) text += "\n    last good read before it: " + describe(*good);
  std::size_t shown = 0;
  std::size_t more = 0;
  for (const auto& e : history) {
    if (e.op.kind != BankOp::Kind::kTransfer || e.outcome == Outcome::kFail) continue;
    if (e.complete < from || e.invoke > bad.complete) continue;
    if (shown < limit) {
      text += "\n    " + describe(e);
      ++shown;
    } else {
      ++more;
    }
  }
  if (more > 0) text += "\n    ... and " + std::to_string(more) + " more transfers";
  return text;
}

}  // namespace

std::vector<std::optional<std::int64_t>> parse_balances(const std::string& text) {
  std::vector<std::optional<std::int64_t>> balances;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(';', start);
    balances.push_back(parse_integer(text.substr(start, end == std::string::npos ? end : end - start)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return balances;
}

std::string describe(const Recorded<BankOp>& entry) {
  const BankOp& op = entry.op;
  std::string text =
      "p" + std::to_string(entry.process) + (op.pessimistic ? " pessimistic " : " optimistic ");
  if (op.kind == BankOp::Kind::kTransfer) {
    text += "transfer " + std::to_string(op.amount) + " " + op.from + " -> " + op.to;
  } else {
    text += op.final_read ? "final read-all" : "read-all";
  }
  switch (entry.outcome) {
    case Outcome::kOk:
      text += op.kind == BankOp::Kind::kTransfer
                  ? (op.moved ? ": moved" : ": not enough")
                  : ": " + balances_text(op.balances) + " ('" + op.returned + "')";
      break;
    case Outcome::kFail: text += ": did not happen (" + op.answer + ")"; break;
    case Outcome::kUnknown: text += ": unknown (" + op.answer + ")"; break;
  }
  return text + " [" + format_time(entry.invoke) + ", " + format_time(entry.complete) + "]";
}

BankCheckResult check_bank(const std::vector<Recorded<BankOp>>& history, std::size_t accounts,
                           std::int64_t total) {
  BankCheckResult result;
  for (const auto& entry : history) {
    if (entry.outcome != Outcome::kOk) continue;
    if (entry.op.kind == BankOp::Kind::kTransfer) {
      ++result.transfers;
      result.moved += entry.op.moved;
      continue;
    }
    ++result.reads;
    result.final_read = result.final_read || entry.op.final_read;
    const std::string problem = read_problem(entry.op, accounts, total);
    if (!problem.empty()) {
      // The first few with their windows; enough to see what went wrong.
      const bool with_window = result.violations.size() < 10;
      result.violations.push_back(problem + ":\n    " + describe(entry) +
                                  (with_window ? window(history, entry, accounts, total) : std::string()));
    }
  }
  result.ok = result.violations.empty();
  return result;
}

}  // namespace kahuna::faults
