#include "held_keys.h"

#include <optional>
#include <thread>

#include "fault_client.h"

namespace kahuna::faults {
namespace {

// How long a node may take to answer a set (see set_until_answered).
constexpr std::uint32_t kServerTime = 500;

// A value no workload writes: the probe's condition never holds.
constexpr const char* kNoSuchValue = "\x01no key holds this\x01";

// Sends `set` through the nodes in turn until one answers with a key/value
// reply that tells whether the key was held: anything but `unknown` (98) and
// `errored` (99), which say nothing about it. nullopt at `until`.
std::optional<KvReply> set_until_answered(FaultClient& client, const KvSetRequest& set,
                                          std::chrono::steady_clock::time_point until) {
  int node = 0;
  while (std::chrono::steady_clock::now() < until) {
    node = node % client.nodes() + 1;
    // A node that is not the key's leader forwards the set, and retries a
    // `mustRetry` answer until its time runs out: a short time makes a held
    // key answer 101 rather than wait for its transaction to end.
    wire::Request request{wire::KvSet{set}, {}};
    request.settings.timeout_ms = kServerTime;
    const Answer answer = client.call(node, request, std::chrono::milliseconds(3 * kServerTime));
    if (answer.response) {
      if (const auto* routed = std::get_if<Routed<KvReply>>(&*answer.response)) {
        const KvCode code = routed->reply.code;
        if (code != KvCode::kOutcomeUnknown && code != KvCode::kErrored) return routed->reply;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return std::nullopt;
}

std::string answered(const std::string& key, KvCode code) {
  return key + ": " + std::string(to_string(code)) + " (" + std::to_string(static_cast<int>(code)) + ")" +
         (code == KvCode::kMustRetry ? ", still held past every transaction's deadline" : "");
}

}  // namespace

std::vector<std::string> probe_held_keys(const std::vector<std::string>& endpoints,
                                         const std::vector<std::string>& keys,
                                         std::chrono::milliseconds deadline) {
  FaultClient client(endpoints);
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::vector<std::string> problems;
  for (const std::string& key : keys) {
    KvSetRequest set;
    set.key = key;
    set.value = "probe";
    set.durability = Durability::kPersistent;
    set.flags = kSetIfEqualToValue;
    set.compare_value = kNoSuchValue;
    const auto reply = set_until_answered(client, set, until);
    if (!reply) {
      problems.push_back(key + ": no answer from any node");
    } else if (reply->code != KvCode::kNotSet) {
      problems.push_back(answered(key, reply->code));
    }
  }
  return problems;
}

std::vector<std::string> refused_plain_sets(const std::vector<std::string>& endpoints,
                                            const std::map<std::string, std::string>& values,
                                            std::chrono::milliseconds deadline) {
  FaultClient client(endpoints);
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::vector<std::string> problems;
  for (const auto& [key, value] : values) {
    KvSetRequest set;
    set.key = key;
    set.value = value;
    set.durability = Durability::kPersistent;
    const auto reply = set_until_answered(client, set, until);
    if (!reply) {
      problems.push_back(key + ": no answer from any node");
    } else if (reply->code != KvCode::kSet) {
      problems.push_back(answered(key, reply->code));
    }
  }
  return problems;
}

}  // namespace kahuna::faults
