// `tx`: one interactive transaction, driven by lines of input — each line a
// command, each answer printed — until it is committed or rolled back. End
// of input (or `quit`) rolls back a transaction that did not commit.
#include <charconv>

#include "commands.h"
#include "exit_codes.h"
#include "line_reader.h"
#include "tokenize.h"

namespace kahuna::cli {

namespace {

using std::chrono::milliseconds;
using Step = Printer::SessionStep;

constexpr const char* kHelp =
    "Commands, one per line (quote a word with blanks in '...' or \"...\"):\n"
    "  set KEY VALUE      write KEY\n"
    "  get KEY            read KEY (the transaction's own writes included)\n"
    "  exists KEY         whether KEY holds a value\n"
    "  delete KEY         delete KEY\n"
    "  extend KEY MS      make KEY expire MS from now\n"
    "  bucket PREFIX      every key of key space PREFIX\n"
    "  lock KEY           lock KEY until the transaction ends\n"
    "  commit             commit: committed, aborted, or unknown (then commit again)\n"
    "  rollback           roll back\n"
    "  help               this list\n"
    "End of input rolls back a transaction that was not committed.\n";

// One line's command and its arguments, checked.
struct Line {
  std::string verb;
  std::vector<std::string> arguments;
};

struct Usage {
  const char* verb;
  std::size_t arguments;
  const char* form;
};

constexpr Usage kUsages[] = {
    {"set", 2, "set KEY VALUE"},    {"get", 1, "get KEY"},    {"exists", 1, "exists KEY"},
    {"delete", 1, "delete KEY"},    {"del", 1, "delete KEY"}, {"extend", 2, "extend KEY MS"},
    {"bucket", 1, "bucket PREFIX"}, {"lock", 1, "lock KEY"},  {"commit", 0, "commit"},
    {"rollback", 0, "rollback"},    {"help", 0, "help"},
};

// Why `line` is not a command; empty when it is one.
std::string problem_with(const Line& line) {
  for (const Usage& usage : kUsages) {
    if (line.verb != usage.verb) continue;
    if (line.arguments.size() == usage.arguments) return {};
    return std::string("usage: ") + usage.form;
  }
  return "unknown command '" + line.verb + "'; type 'help'";
}

std::optional<std::int64_t> positive_ms(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

class TxConsole {
 public:
  TxConsole(const CommandContext& context, client::Transaction& tx) : context_(context), tx_(tx) {}

  // Runs one command line.
  void run(const Line& line) {
    const std::vector<std::string>& a = line.arguments;
    if (line.verb == "help") {
      context_.printer.note(kHelp);
    } else if (line.verb == "set") {
      kv(tx_.set(a[0], a[1]), false);
    } else if (line.verb == "get") {
      kv(tx_.get(a[0]), true);
    } else if (line.verb == "exists") {
      kv(tx_.exists(a[0]), false);
    } else if (line.verb == "delete" || line.verb == "del") {
      kv(tx_.remove(a[0]), false);
    } else if (line.verb == "extend") {
      const std::optional<std::int64_t> ms = positive_ms(a[1]);
      if (!ms) {
        context_.printer.usage_error("extend: MS must be a positive number, got " + a[1]);
        return;
      }
      kv(tx_.extend(a[0], milliseconds(*ms)), false);
    } else if (line.verb == "bucket") {
      auto reply = tx_.get_by_bucket(a[0]);
      if (!reply) return call_failed(reply.error());
      context_.printer.items(reply->code, reply->items, false, std::nullopt);
    } else if (line.verb == "lock") {
      session(tx_.lock(a[0]), Step::kLock, a[0]);
    } else if (line.verb == "commit") {
      session(tx_.commit(), Step::kCommit);
    } else if (line.verb == "rollback") {
      session(tx_.rollback(), Step::kRollback);
    }
  }

  // The exit code once the session is over (decided, or given up at the end
  // of input): 0 committed or rolled back as asked; 1 aborted, or rolled
  // back because the input ended; 4 when whether it committed is unknown.
  int finish(bool input_ended) {
    if (input_ended && !client::is_decided(tx_.status())) {
      const bool commit_unknown = tx_.status() == client::TransactionStatus::kCommitUnknown;
      context_.printer.note("end of input: rolling back\n");
      session(tx_.rollback(), Step::kRollback);
      if (!client::is_decided(tx_.status())) return commit_unknown ? kExitOutcomeUnknown : last_failure_;
      if (tx_.status() == client::TransactionStatus::kCommitted) return kExitSuccess;
      return kExitOutcome;
    }
    switch (tx_.status()) {
      case client::TransactionStatus::kCommitted:
      case client::TransactionStatus::kRolledBack: return kExitSuccess;
      case client::TransactionStatus::kCommitUnknown: return kExitOutcomeUnknown;
      default: return kExitOutcome;
    }
  }

 private:
  void kv(const client::Result<client::KvResult>& reply, bool show_value) {
    if (!reply) return call_failed(reply.error());
    context_.printer.kv(*reply, show_value);
  }

  void session(const client::Result<client::TxResult>& reply, Step step, const std::string& key = {}) {
    if (!reply) return call_failed(reply.error());
    context_.printer.session(*reply, step, key);
  }

  // A failed call is printed; the session goes on (the call may be tried again).
  void call_failed(const client::Error& error) {
    context_.printer.error(error);
    last_failure_ = exit_code_of(error);
  }

  const CommandContext& context_;
  client::Transaction& tx_;
  int last_failure_ = kExitUnreachable;
};

}  // namespace

int run_tx(const CommandContext& context) {
  const CommandArguments& a = context.args;
  client::TransactionOptions options;
  options.timeout = milliseconds(a.session_timeout_ms);
  options.locking = a.optimistic ? TxLocking::kOptimistic : TxLocking::kPessimistic;
  auto begun = context.client.begin_transaction(a.coordinator_key, options);
  if (!begun) return failed(context, begun.error());
  client::Transaction& tx = *begun;
  context.printer.session(tx.start_reply(), Step::kStart);
  if (!tx.active()) return kExitOutcome;

  TxConsole console(context, tx);
  LineReader reader(context.in);
  for (;;) {
    const std::optional<std::string> text = reader.read("tx> ");
    if (!text) break;
    const auto words = tokenize(*text);
    if (!words) {
      context.printer.usage_error("unbalanced quotes");
      continue;
    }
    if (words->empty()) continue;
    if (words->front() == "quit" || words->front() == "exit") break;
    const Line line{words->front(), std::vector<std::string>(words->begin() + 1, words->end())};
    if (const std::string problem = problem_with(line); !problem.empty()) {
      context.printer.usage_error(problem);
      continue;
    }
    console.run(line);
    if (client::is_decided(tx.status())) return console.finish(false);
  }
  return console.finish(true);
}

}  // namespace kahuna::cli
