#include "script_call.h"

#include <kahuna/placement.h>

#include <thread>

namespace kahuna::faults {
namespace {

Outcome outcome_of(ScriptCode code, Strictness strictness) {
  switch (code) {
    case ScriptCode::kAborted:
    case ScriptCode::kAlreadyLocked: return Outcome::kFail;
    case ScriptCode::kMustRetry: return must_retry_outcome(strictness);
    default: break;
  }
  // Every success code lies below `unknown`; the script's writes committed.
  return static_cast<std::int32_t>(code) < static_cast<std::int32_t>(ScriptCode::kOutcomeUnknown)
             ? Outcome::kOk
             : Outcome::kUnknown;
}

}  // namespace

std::string ScriptOutcome::summary() const {
  if (!sent) return "not sent";
  if (!reply) return "no answer";
  std::string text =
      std::to_string(static_cast<int>(reply->code)) + " " + std::string(to_string(reply->code));
  if (!reply->reason.empty()) text += ": " + reply->reason.substr(0, 200);
  return text;
}

ScriptOutcome call_script(FaultClient& client, int node, const ScriptRequest& request,
                          Strictness strictness) {
  wire::Request call{wire::KvExecuteScript{request}, {}};
  call.settings.timeout_ms = static_cast<std::uint32_t>(kScriptDeadline.count());
  const Answer answer = client.call(node, call, kScriptWait);
  ScriptOutcome outcome;
  outcome.sent = answer.sent;
  outcome.outcome = answer.sent ? Outcome::kUnknown : Outcome::kFail;
  if (!answer.response) return outcome;
  // Any other reply (an error frame) leaves the outcome unknown.
  if (const auto* reply = std::get_if<ScriptReply>(&*answer.response)) {
    outcome.reply = *reply;
    outcome.outcome = outcome_of(reply->code, strictness);
  }
  return outcome;
}

void ScriptTally::add(const ScriptOutcome& outcome) {
  std::lock_guard lock(mutex_);
  std::string answer = !outcome.sent    ? "not sent"
                       : !outcome.reply ? "no answer"
                                        : std::to_string(static_cast<int>(outcome.reply->code)) + " " +
                                              std::string(to_string(outcome.reply->code));
  ++by_answer_[answer];
  if (outcome.reply && !outcome.reply->reason.empty()) examples_.try_emplace(answer, outcome.summary());
  if (outcome.reply) ++by_code_[static_cast<int>(outcome.reply->code)];
  committed_ += outcome.committed();
  if (outcome.reply && outcome.reply->code == ScriptCode::kErrored && errors_.size() < 10) {
    errors_.push_back(outcome.reply->reason);
  }
}

std::string ScriptTally::summary() const {
  std::lock_guard lock(mutex_);
  std::string text;
  for (const auto& [answer, count] : by_answer_) {
    if (!text.empty()) text += ", ";
    text += answer + ": " + std::to_string(count);
  }
  return text.empty() ? "nothing" : text;
}

int ScriptTally::count(ScriptCode code) const {
  std::lock_guard lock(mutex_);
  const auto it = by_code_.find(static_cast<int>(code));
  return it == by_code_.end() ? 0 : it->second;
}

int ScriptTally::committed() const {
  std::lock_guard lock(mutex_);
  return committed_;
}

std::vector<std::string> ScriptTally::examples() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> examples;
  for (const auto& [answer, example] : examples_) examples.push_back(example);
  return examples;
}

std::vector<std::string> ScriptTally::errors() const {
  std::lock_guard lock(mutex_);
  return errors_;
}

std::vector<std::string> keys_over_partitions(const std::string& stem, const std::string& leaf, int count,
                                              std::uint32_t partitions) {
  const PlacementPool pool{partitions, 1};
  std::vector<std::string> keys;
  int next = 0;
  for (int i = 0; i < count; ++i) {
    const std::uint32_t wanted = 1 + static_cast<std::uint32_t>(i) % partitions;
    // Each partition gets about 1/partitions of the key spaces: a few
    // hundred candidates always find one.
    for (int tries = 0; tries < 10000; ++tries) {
      const std::string key = stem + std::to_string(next++) + "/" + leaf;
      if (partition_for_key(key, pool) == wanted) {
        keys.push_back(key);
        break;
      }
    }
  }
  return keys;
}

ScriptRequest script_request(std::string text,
                             const std::vector<std::pair<std::string, std::string>>& parameters) {
  ScriptRequest request;
  request.script = std::move(text);
  for (const auto& [name, value] : parameters) request.parameters.push_back(ScriptParameter{name, value});
  return request;
}

std::optional<ScriptReply> run_until_committed(const std::vector<std::string>& endpoints,
                                               const ScriptRequest& request,
                                               std::chrono::milliseconds deadline, Strictness strictness,
                                               const std::function<void(const ScriptOutcome&)>& attempted) {
  FaultClient client(endpoints);
  const auto until = std::chrono::steady_clock::now() + deadline;
  int node = 0;
  while (std::chrono::steady_clock::now() < until) {
    node = node % client.nodes() + 1;
    const ScriptOutcome outcome = call_script(client, node, request, strictness);
    if (attempted) attempted(outcome);
    if (outcome.committed()) return outcome.reply;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return std::nullopt;
}

}  // namespace kahuna::faults
