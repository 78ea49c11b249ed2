// The register and writer processes (workloads.h).
#include <map>
#include <random>
#include <thread>

#include "fault_client.h"
#include "workloads.h"

namespace kahuna::faults {
namespace {

wire::Request set_request(const RegisterOp& op) {
  KvSetRequest set;
  set.key = op.key;
  set.value = op.value;
  set.durability = Durability::kPersistent;
  if (op.kind == RegisterOp::Kind::kCas) {
    set.flags = kSetIfEqualToValue;
    set.compare_value = op.expected;
  }
  return wire::Request{wire::KvSet{std::move(set)}, {}};
}

wire::Request get_request(const std::string& key) {
  return wire::Request{wire::KvGet{KvGetRequest{KvGetQuery{key}, Durability::kPersistent}}, {}};
}

// Counts `answer` to `op` in `tally` (AnswerTally).
void tally(AnswerTally& tally, const RegisterOp& op, const Answer& answer) {
  if (!answer.sent) {
    ++tally.not_sent;
    return;
  }
  if (!answer.response) {
    ++tally.no_answer;
    return;
  }
  const auto* routed = std::get_if<Routed<KvReply>>(&*answer.response);
  if (!routed) {
    const auto* error = std::get_if<wire::ErrorReply>(&*answer.response);
    tally.add_other((error ? "error reply '" + error->message + "'"
                           : "reply of kind " + std::to_string(answer.response->index())) +
                    " to " + describe({0, 0, 0, Outcome::kUnknown, op}));
    return;
  }
  const KvCode code = routed->reply.code;
  const bool success =
      op.kind == RegisterOp::Kind::kRead
          ? code == KvCode::kGet || code == KvCode::kDoesNotExist
          : code == KvCode::kSet || (code == KvCode::kNotSet && op.kind == RegisterOp::Kind::kCas);
  if (success) {
    ++tally.success;
  } else if (code == KvCode::kMustRetry) {
    ++tally.must_retry;
  } else if (code == KvCode::kOutcomeUnknown) {
    ++tally.unknown;
  } else {
    tally.add_other(std::string(to_string(code)) + " (" + std::to_string(static_cast<int>(code)) + ") to " +
                    describe({0, 0, 0, Outcome::kUnknown, op}) +
                    (routed->reply.value ? ": " + *routed->reply.value : std::string()));
  }
}

// Runs `op` through node `node`, records it, and returns the recorded entry
// (its op carries the result).
Recorded<RegisterOp> perform(FaultClient& client, int node, const ProcessContext& context, RegisterOp op,
                             History<RegisterOp>& history) {
  const int process = context.process;
  const std::size_t index = history.invoke(process, op);
  const wire::Request request = op.kind == RegisterOp::Kind::kRead ? get_request(op.key) : set_request(op);
  const Answer answer = client.call(node, request, context.timeout);
  Outcome outcome = answer.sent ? Outcome::kUnknown : Outcome::kFail;
  if (answer.response) {
    if (const auto* routed = std::get_if<Routed<KvReply>>(&*answer.response)) {
      const KvReply& reply = routed->reply;
      if (op.kind == RegisterOp::Kind::kRead) {
        if (reply.code == KvCode::kGet || reply.code == KvCode::kDoesNotExist) {
          op.value = reply.code == KvCode::kGet ? reply.value : std::nullopt;
          outcome = Outcome::kOk;
        }
      } else if (reply.code == KvCode::kSet) {
        op.cas_applied = true;
        outcome = Outcome::kOk;
      } else if (reply.code == KvCode::kNotSet && op.kind == RegisterOp::Kind::kCas) {
        op.cas_applied = false;
        outcome = Outcome::kOk;
      } else if (reply.code == KvCode::kMustRetry) {
        // Strict: not applied and never will be. Lenient: unknown.
        outcome = must_retry_outcome(context.strictness);
      }
      // outcomeUnknown (98), errored and anything else stay unknown: the
      // command may have been proposed, and commit later.
    }
  }
  if (context.answers) tally(*context.answers, op, answer);
  history.complete(index, outcome, op);
  return Recorded<RegisterOp>{process, 0, 0, outcome, op};
}

}  // namespace

void run_register_process(const ProcessContext& context, const std::vector<std::string>& keys,
                          const std::atomic<bool>& stopping, History<RegisterOp>& history) {
  std::mt19937_64 random(context.seed);
  FaultClient client(context.endpoints);
  std::map<std::string, std::optional<std::string>> last_seen;  // for plausible cas expectations
  int written = 0;
  while (!stopping) {
    RegisterOp op;
    op.key = keys[random() % keys.size()];
    const int node = static_cast<int>(random() % context.endpoints.size()) + 1;
    const int choice = static_cast<int>(random() % 10);
    op.kind = choice < 4   ? RegisterOp::Kind::kRead
              : choice < 7 ? RegisterOp::Kind::kWrite
                           : RegisterOp::Kind::kCas;
    if (op.kind != RegisterOp::Kind::kRead) {
      op.value = "p" + std::to_string(context.process) + "-" + std::to_string(++written);
    }
    if (op.kind == RegisterOp::Kind::kCas) {
      op.expected = last_seen[op.key].value_or("p0-0");  // a value never written when nothing was seen
    }
    const Recorded<RegisterOp> done = perform(client, node, context, op, history);
    if (done.outcome == Outcome::kOk &&
        (op.kind == RegisterOp::Kind::kRead || done.op.cas_applied || op.kind == RegisterOp::Kind::kWrite)) {
      last_seen[op.key] = done.op.value;
    }
    // Without a definite answer the cluster is likely between leaders: do
    // not hammer it.
    if (done.outcome != Outcome::kOk) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void run_writer_process(const ProcessContext& context, const std::atomic<bool>& stopping,
                        History<RegisterOp>& history) {
  std::mt19937_64 random(context.seed);
  FaultClient client(context.endpoints);
  int written = 0;
  while (!stopping) {
    RegisterOp op;
    op.kind = RegisterOp::Kind::kWrite;
    ++written;
    op.key = "w" + std::to_string(context.process) + "-" + std::to_string(written) + "/v";
    op.value = "value-" + std::to_string(context.process) + "-" + std::to_string(written);
    const int node = static_cast<int>(random() % context.endpoints.size()) + 1;
    const Recorded<RegisterOp> done = perform(client, node, context, op, history);
    if (done.outcome != Outcome::kOk) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (context.pace.count() > 0) std::this_thread::sleep_for(context.pace);
  }
}

}  // namespace kahuna::faults
