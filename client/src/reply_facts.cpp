#include "reply_facts.h"

#include <algorithm>
#include <type_traits>
#include <variant>

namespace kahuna::client::detail {

namespace {

bool is_must_retry(LockCode code) { return code == LockCode::kMustRetry; }
bool is_must_retry(KvCode code) { return code == KvCode::kMustRetry; }
bool is_must_retry(SequenceCode code) { return code == SequenceCode::kMustRetry; }
bool is_must_retry(ClusterCode code) { return code == ClusterCode::kMustRetry; }
bool is_must_retry(TxCode code) { return code == TxCode::kMustRetry; }
bool is_must_retry(ScriptCode code) { return code == ScriptCode::kMustRetry; }

bool is_outcome_unknown(LockCode code) { return code == LockCode::kOutcomeUnknown; }
bool is_outcome_unknown(KvCode code) { return code == KvCode::kOutcomeUnknown; }
bool is_outcome_unknown(SequenceCode code) { return code == SequenceCode::kOutcomeUnknown; }
bool is_outcome_unknown(ClusterCode code) { return code == ClusterCode::kOutcomeUnknown; }
bool is_outcome_unknown(TxCode code) { return code == TxCode::kOutcomeUnknown; }
bool is_outcome_unknown(ScriptCode code) { return code == ScriptCode::kOutcomeUnknown; }

template <class Reply>
void describe_routed(const Routed<Reply>& routed, ReplyFacts& facts) {
  facts.route = routed.route;
  facts.forwarded = routed.route.provenance == RouteProvenance::kForwarded;
  facts.metadata_version = routed.route.metadata_version;
  if constexpr (requires { routed.reply.code; }) {
    facts.must_retry = is_must_retry(routed.reply.code);
    facts.outcome_unknown = is_outcome_unknown(routed.reply.code);
  }
}

}  // namespace

ReplyFacts facts_of(const wire::Response& response) {
  ReplyFacts facts;
  std::visit(
      [&facts](const auto& reply) {
        using T = std::decay_t<decltype(reply)>;
        if constexpr (std::is_same_v<T, wire::ErrorReply>) {
          facts.error = &reply;
        } else if constexpr (std::is_same_v<T, ClusterStatus>) {
          // Answered by whichever node was asked: nothing to learn or retry.
        } else if constexpr (std::is_same_v<T, ClusterChangeReply>) {
          // Served by the node asked; its version is the metadata's after the change.
          facts.must_retry = is_must_retry(reply.code);
          facts.outcome_unknown = is_outcome_unknown(reply.code);
          facts.metadata_version = reply.metadata_version;
        } else if constexpr (std::is_same_v<T, KvScanReply> || std::is_same_v<T, ScriptReply>) {
          facts.must_retry = is_must_retry(reply.code);
          facts.outcome_unknown = is_outcome_unknown(reply.code);
        } else if constexpr (std::is_same_v<T, std::vector<Routed<KvReply>>>) {
          // Rows are judged one by one by the batch layer.
          for (const auto& row : reply) {
            if (row.route.provenance == RouteProvenance::kForwarded) facts.forwarded = true;
            facts.metadata_version = std::max(facts.metadata_version, row.route.metadata_version);
          }
        } else {
          describe_routed(reply, facts);
        }
      },
      response);
  return facts;
}

}  // namespace kahuna::client::detail
