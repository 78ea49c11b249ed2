// The bank processes (bank_workload.h).
#include "bank_workload.h"

#include <random>
#include <thread>

namespace kahuna::faults {
namespace {

// A transfer moves `amount` only when the source has it, and answers 1 when
// it did, 0 when not. The auto-commit form is one optimistic transaction
// (validated at commit); the pessimistic one locks both accounts first and
// answers after its COMMIT (a RETURN inside BEGIN … END would roll it back).
constexpr const char* kOptimisticTransfer = R"(let a = to_int(get @from)
let b = to_int(get @to)
let n = to_int(@amount)
if a >= n then
  set @from a - n
  set @to b + n
  return 1
end
return 0
)";

constexpr const char* kPessimisticTransfer = R"(BEGIN (locking="pessimistic", timeout=3000)
let a = to_int(get @from)
let b = to_int(get @to)
let n = to_int(@amount)
let moved = 0
if a >= n then
  set @from a - n
  set @to b + n
  let moved = 1
end
COMMIT
END
RETURN moved
)";

// Reads every account in one transaction and answers "b0;b1;…" (an absent
// account reads as an empty field).
std::string read_all_text(std::size_t accounts, bool pessimistic) {
  std::string text = pessimistic ? "BEGIN (locking=\"pessimistic\", timeout=3000)\n" : "";
  std::string joined;
  for (std::size_t i = 0; i < accounts; ++i) {
    const std::string name = std::to_string(i);
    text += "let v" + name + " = get @a" + name + "\n";
    joined += (i > 0 ? ", \";\", v" : "v") + name;
  }
  if (pessimistic) text += "COMMIT\nEND\n";
  return text + "RETURN concat(" + joined + ")\n";
}

ScriptRequest request_for(const BankOp& op, const Bank& bank) {
  if (op.kind == BankOp::Kind::kTransfer) {
    return script_request(op.pessimistic ? kPessimisticTransfer : kOptimisticTransfer,
                          {{"@from", op.from}, {"@to", op.to}, {"@amount", std::to_string(op.amount)}});
  }
  std::vector<std::pair<std::string, std::string>> parameters;
  for (std::size_t i = 0; i < bank.accounts.size(); ++i) {
    parameters.emplace_back("@a" + std::to_string(i), bank.accounts[i]);
  }
  return script_request(read_all_text(bank.accounts.size(), op.pessimistic), parameters);
}

// Runs `op` through node `node`, records it and returns what was recorded.
Recorded<BankOp> perform(FaultClient& client, int node, const ProcessContext& context, const Bank& bank,
                         BankOp op, History<BankOp>& history, ScriptTally* tally) {
  const std::size_t index = history.invoke(context.process, op);
  const ScriptOutcome outcome = call_script(client, node, request_for(op, bank), context.strictness);
  if (tally) tally->add(outcome);
  op.answer = outcome.summary();
  if (outcome.committed()) {
    const auto& rows = outcome.reply->values;
    const std::string returned = rows.empty() || !rows.front().value ? std::string() : *rows.front().value;
    if (op.kind == BankOp::Kind::kTransfer) {
      op.moved = returned == "1";
    } else {
      op.returned = returned;
      op.balances = parse_balances(returned);
    }
  }
  history.complete(index, outcome.outcome, op);
  return Recorded<BankOp>{context.process, 0, 0, outcome.outcome, op};
}

}  // namespace

Bank make_bank(const std::string& stem, int count, std::uint32_t partitions) {
  return Bank{keys_over_partitions(stem, "balance", count, partitions)};
}

bool open_bank(const std::vector<std::string>& endpoints, const Bank& bank,
               std::chrono::milliseconds deadline) {
  std::string text;
  std::vector<std::pair<std::string, std::string>> parameters{
      {"@opening", std::to_string(bank.opening_balance)}};
  for (std::size_t i = 0; i < bank.accounts.size(); ++i) {
    text += "SET @a" + std::to_string(i) + " @opening\n";
    parameters.emplace_back("@a" + std::to_string(i), bank.accounts[i]);
  }
  return run_until_committed(endpoints, script_request(text, parameters), deadline, Strictness::kStrict)
      .has_value();
}

void run_bank_process(const ProcessContext& context, const Bank& bank, const std::atomic<bool>& stopping,
                      History<BankOp>& history, ScriptTally* tally) {
  std::mt19937_64 random(context.seed);
  FaultClient client(context.endpoints);
  const std::size_t accounts = bank.accounts.size();
  while (!stopping) {
    BankOp op;
    op.pessimistic = random() % 2 == 0;
    // One in three reads every account: each read-all conflicts with every
    // transfer, and only the committed ones test the invariant.
    op.kind = random() % 3 == 0 ? BankOp::Kind::kReadAll : BankOp::Kind::kTransfer;
    if (op.kind == BankOp::Kind::kTransfer) {
      const std::size_t from = random() % accounts;
      const std::size_t to = (from + 1 + random() % (accounts - 1)) % accounts;
      op.from = bank.accounts[from];
      op.to = bank.accounts[to];
      // Up to 8 of an opening 20: sources run dry now and then, and a
      // transfer must then move nothing.
      op.amount = 1 + static_cast<std::int64_t>(random() % 8);
    }
    const int node = static_cast<int>(random() % context.endpoints.size()) + 1;
    const auto done = perform(client, node, context, bank, op, history, tally);
    // A conflict or a cluster between leaders: back off a little, at random,
    // so that the processes do not collide again in step.
    if (done.outcome != Outcome::kOk)
      std::this_thread::sleep_for(std::chrono::milliseconds(10 + random() % 40));
  }
}

bool read_bank_finally(const ProcessContext& context, const Bank& bank, std::chrono::milliseconds deadline,
                       History<BankOp>& history) {
  FaultClient client(context.endpoints);
  const auto until = std::chrono::steady_clock::now() + deadline;
  int node = 0;
  while (std::chrono::steady_clock::now() < until) {
    node = node % client.nodes() + 1;
    BankOp op;
    op.final_read = true;
    if (perform(client, node, context, bank, op, history, nullptr).outcome == Outcome::kOk) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::map<std::string, std::string> final_balances(const Bank& bank,
                                                  const std::vector<Recorded<BankOp>>& history) {
  std::map<std::string, std::string> balances;
  for (const auto& e : history) {
    if (!e.op.final_read || e.outcome != Outcome::kOk) continue;
    for (std::size_t i = 0; i < bank.accounts.size() && i < e.op.balances.size(); ++i) {
      balances[bank.accounts[i]] = e.op.balances[i] ? std::to_string(*e.op.balances[i]) : "0";
    }
  }
  return balances;
}

}  // namespace kahuna::faults
