// The list-append processes (list_append_workload.h).
#include "list_append_workload.h"

#include <algorithm>
#include <random>
#include <thread>

namespace kahuna::faults {
namespace {

// The script of one transaction: micro-op i works on key @k<i>; an append
// reads the list and writes it back with @x<i> at its end (an absent key
// becomes a list of one); a read keeps the list to answer. The answer is the
// lists read, in order, joined by "|" (an absent key reads as "", the empty
// list). The pessimistic form locks its keys first and answers after its
// COMMIT (a RETURN inside BEGIN … END would roll it back).
std::string transaction_text(const ListAppendOp& op) {
  std::string text = op.pessimistic ? "BEGIN (locking=\"pessimistic\", timeout=3000)\n" : "";
  std::string reads;
  for (std::size_t i = 0; i < op.micro.size(); ++i) {
    const std::string n = std::to_string(i);
    if (op.micro[i].kind == ListMicroOp::Kind::kAppend) {
      text += "let v" + n + " = get @k" + n + "\n";
      text += "if is_null(v" + n + ") then set @k" + n + " @x" + n + " else set @k" + n + " concat(v" + n +
              ", \",\", @x" + n + ") end\n";
    } else {
      text += "let r" + n + " = get @k" + n + "\n";
      reads += (reads.empty() ? "r" : ", \"|\", r") + n;
    }
  }
  if (op.pessimistic) text += "COMMIT\nEND\n";
  return text + (reads.empty() ? "RETURN \"\"\n" : "RETURN concat(" + reads + ")\n");
}

ScriptRequest request_for(const ListAppendOp& op) {
  std::vector<std::pair<std::string, std::string>> parameters;
  for (std::size_t i = 0; i < op.micro.size(); ++i) {
    parameters.emplace_back("@k" + std::to_string(i), op.micro[i].key);
    if (op.micro[i].kind == ListMicroOp::Kind::kAppend) {
      parameters.emplace_back("@x" + std::to_string(i), op.micro[i].element);
    }
  }
  return script_request(transaction_text(op), parameters);
}

// Fills the reads of a committed `op` from the text it returned; false when
// the text does not hold one list per read.
bool fill_reads(ListAppendOp& op, const std::string& returned) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = returned.find('|', start);
    fields.push_back(returned.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::size_t next = 0;
  for (ListMicroOp& micro : op.micro) {
    if (micro.kind != ListMicroOp::Kind::kRead) continue;
    if (next >= fields.size()) return false;
    micro.list = parse_list(fields[next++]);
  }
  // Without reads the answer is "": one empty field.
  return next == fields.size() || (next == 0 && returned.empty());
}

Recorded<ListAppendOp> perform(FaultClient& client, int node, const ProcessContext& context, ListAppendOp op,
                               History<ListAppendOp>& history, ScriptTally* tally) {
  const std::size_t index = history.invoke(context.process, op);
  const ScriptOutcome outcome = call_script(client, node, request_for(op), context.strictness);
  if (tally) tally->add(outcome);
  op.answer = outcome.summary();
  if (outcome.committed()) {
    const auto& rows = outcome.reply->values;
    const std::string returned = rows.empty() || !rows.front().value ? std::string() : *rows.front().value;
    op.malformed = !fill_reads(op, returned);
  }
  history.complete(index, outcome.outcome, op);
  return Recorded<ListAppendOp>{context.process, 0, 0, outcome.outcome, op};
}

}  // namespace

std::vector<std::string> make_list_keys(const std::string& stem, int count, std::uint32_t partitions) {
  return keys_over_partitions(stem, "list", count, partitions);
}

void run_list_append_process(const ProcessContext& context, const std::vector<std::string>& keys,
                             const std::atomic<bool>& stopping, History<ListAppendOp>& history,
                             ScriptTally* tally) {
  std::mt19937_64 random(context.seed);
  FaultClient client(context.endpoints);
  std::vector<std::string> shuffled = keys;
  int appended = 0;
  while (!stopping) {
    ListAppendOp op;
    op.pessimistic = random() % 2 == 0;
    // Distinct keys: a transaction never reads its own append, so every
    // read it makes is of what others committed.
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    const std::size_t micro_ops = 1 + random() % std::min<std::size_t>(3, shuffled.size());
    for (std::size_t i = 0; i < micro_ops; ++i) {
      ListMicroOp micro;
      micro.key = shuffled[i];
      if (random() % 2 == 0) {
        micro.kind = ListMicroOp::Kind::kAppend;
        micro.element = std::to_string(context.process) + "." + std::to_string(++appended);
      }
      op.micro.push_back(std::move(micro));
    }
    const int node = static_cast<int>(random() % context.endpoints.size()) + 1;
    const auto done = perform(client, node, context, op, history, tally);
    // A conflict or a cluster between leaders: back off a little, at random,
    // so that the processes do not collide again in step.
    if (done.outcome != Outcome::kOk)
      std::this_thread::sleep_for(std::chrono::milliseconds(10 + random() % 40));
  }
}

bool read_lists_finally(const ProcessContext& context, const std::vector<std::string>& keys,
                        std::chrono::milliseconds deadline, History<ListAppendOp>& history) {
  FaultClient client(context.endpoints);
  const auto until = std::chrono::steady_clock::now() + deadline;
  int node = 0;
  while (std::chrono::steady_clock::now() < until) {
    node = node % client.nodes() + 1;
    ListAppendOp op;
    op.final_read = true;
    for (const std::string& key : keys)
      op.micro.push_back(ListMicroOp{ListMicroOp::Kind::kRead, key, {}, {}});
    if (perform(client, node, context, op, history, nullptr).outcome == Outcome::kOk) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::map<std::string, std::string> final_lists(const std::vector<Recorded<ListAppendOp>>& history) {
  std::map<std::string, std::string> lists;
  for (const auto& e : history) {
    if (!e.op.final_read || e.outcome != Outcome::kOk) continue;
    for (const ListMicroOp& micro : e.op.micro) {
      std::string text;
      for (const std::string& element : micro.list) text += (text.empty() ? "" : ",") + element;
      lists[micro.key] = text;
    }
  }
  return lists;
}

}  // namespace kahuna::faults
