#include "final_reads.h"

#include <optional>
#include <thread>

#include "fault_client.h"

namespace kahuna::faults {
namespace {

// One linearizable read of `key` through node `node`; nullopt without a
// definite answer, else the value (nullopt inside: the key does not exist).
std::optional<std::optional<std::string>> read_once(FaultClient& client, int node, const std::string& key,
                                                    std::chrono::milliseconds timeout) {
  const wire::Request request{wire::KvGet{KvGetRequest{KvGetQuery{key}, Durability::kPersistent}}, {}};
  const Answer answer = client.call(node, request, timeout);
  if (!answer.response) return std::nullopt;
  const auto* routed = std::get_if<Routed<KvReply>>(&*answer.response);
  if (!routed) return std::nullopt;
  if (routed->reply.code == KvCode::kGet) return std::optional<std::string>(routed->reply.value);
  if (routed->reply.code == KvCode::kDoesNotExist) return std::optional<std::string>();
  return std::nullopt;  // mustRetry, errored: ask again
}

}  // namespace

std::vector<std::string> run_final_reads(const ProcessContext& context, const std::vector<std::string>& keys,
                                         std::chrono::milliseconds deadline, History<RegisterOp>& history) {
  FaultClient client(context.endpoints);
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::vector<std::string> unread;
  int node = 0;
  for (const std::string& key : keys) {
    bool read = false;
    while (!read && std::chrono::steady_clock::now() < until) {
      node = node % client.nodes() + 1;
      RegisterOp op;
      op.kind = RegisterOp::Kind::kRead;
      op.key = key;
      const std::size_t index = history.invoke(context.process, op);
      const auto value = read_once(client, node, key, context.timeout);
      if (value) {
        op.value = *value;
        history.complete(index, Outcome::kOk, op);
        read = true;
      } else {
        // A read without a definite answer observed nothing.
        history.complete(index, Outcome::kFail, op);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    if (!read) unread.push_back(key);
  }
  return unread;
}

WritesCheck check_writes_present(const std::vector<std::string>& endpoints,
                                 const std::vector<Recorded<RegisterOp>>& history,
                                 std::chrono::milliseconds deadline) {
  FaultClient client(endpoints);
  const auto until = std::chrono::steady_clock::now() + deadline;
  WritesCheck check;
  int node = 0;
  for (const auto& entry : history) {
    if (entry.op.kind != RegisterOp::Kind::kWrite) continue;
    std::optional<std::optional<std::string>> value;
    while (!value && std::chrono::steady_clock::now() < until) {
      node = node % client.nodes() + 1;
      value = read_once(client, node, entry.op.key, std::chrono::milliseconds(2000));
      if (!value) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!value) {
      check.unreadable.push_back(describe(entry));
      continue;
    }
    const bool present = *value == entry.op.value;
    if (entry.outcome == Outcome::kFail) {
      ++check.failed;
      if (present) check.phantom.push_back(describe(entry) + " is present");
      if (!present && value->has_value())
        check.lost.push_back(describe(entry) + " read back as another value");
      continue;
    }
    if (entry.outcome == Outcome::kUnknown) {
      check.unknown_present += present;
      if (!present && value->has_value())
        check.lost.push_back(describe(entry) + " read back as another value");
      continue;
    }
    ++check.acknowledged;
    if (!present) {
      check.lost.push_back(describe(entry) +
                           (value->has_value() ? " read back as another value" : " is missing"));
    }
  }
  return check;
}

}  // namespace kahuna::faults
