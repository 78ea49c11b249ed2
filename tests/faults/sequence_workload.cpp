// The sequence process (workloads.h).
#include <random>
#include <thread>

#include "fault_client.h"
#include "workloads.h"

namespace kahuna::faults {
namespace {

Recorded<SequenceOp> perform(FaultClient& client, int node, const ProcessContext& context, SequenceOp op,
                             History<SequenceOp>& history) {
  const int process = context.process;
  const std::size_t index = history.invoke(process, op);
  SequenceReserveRequest reserve{op.name, op.count, std::nullopt};
  if (!op.idempotency_key.empty()) reserve.idempotency_key = op.idempotency_key;
  const wire::Request request{wire::SequenceReserve{std::move(reserve)}, {}};
  const Answer answer = client.call(node, request, context.timeout);
  Outcome outcome = answer.sent ? Outcome::kUnknown : Outcome::kFail;
  if (answer.response) {
    if (const auto* routed = std::get_if<Routed<SequenceReply>>(&*answer.response)) {
      const SequenceReply& reply = routed->reply;
      if (reply.code == SequenceCode::kSuccess) {
        op.allocated = true;
        op.start = reply.allocation.start;
        op.end = reply.allocation.end;
        op.got_count = reply.allocation.count;
        op.revision = reply.allocation.revision;
        outcome = Outcome::kOk;
      } else if (reply.code == SequenceCode::kMustRetry) {
        // Strict: not applied and never will be. Lenient: unknown.
        outcome = must_retry_outcome(context.strictness);
      } else if (reply.code != SequenceCode::kOutcomeUnknown && reply.code != SequenceCode::kError) {
        outcome = Outcome::kOk;  // a definite refusal: nothing allocated
      }
    }
  }
  history.complete(index, outcome, op);
  return Recorded<SequenceOp>{process, 0, 0, outcome, op};
}

}  // namespace

void run_sequence_process(const ProcessContext& context, const std::string& sequence,
                          const std::atomic<bool>& stopping, History<SequenceOp>& history) {
  std::mt19937_64 random(context.seed);
  FaultClient client(context.endpoints);
  auto node = [&] { return static_cast<int>(random() % context.endpoints.size()) + 1; };
  int calls = 0;
  while (!stopping) {
    SequenceOp op;
    op.name = sequence;
    op.count = 1 + static_cast<std::int64_t>(random() % 4);
    ++calls;
    if (calls % 2 == 0)
      op.idempotency_key = "p" + std::to_string(context.process) + "-" + std::to_string(calls);
    // Without a key one call is enough; with a key, call until two definite
    // answers, which must be the same allocation.
    int definite = 0;
    for (int attempt = 0; attempt < 40 && !stopping; ++attempt) {
      const auto done = perform(client, node(), context, op, history);
      if (done.outcome == Outcome::kOk && done.op.allocated) ++definite;
      if (op.idempotency_key.empty() || definite >= 2) break;
      if (done.outcome != Outcome::kOk) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

}  // namespace kahuna::faults
