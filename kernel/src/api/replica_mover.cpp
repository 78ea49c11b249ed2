#include "api/replica_mover.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "services/commands/command_codec.h"

namespace kahuna {
namespace {

// How long one membership change or report may take before the round moves
// on (it is tried again next round).
constexpr auto kChangeDeadline = std::chrono::seconds(3);
// A report is resent at most this often while the metadata lags behind.
constexpr auto kReportInterval = std::chrono::seconds(1);
// A leadership transfer takes up to an election timeout; give each one time
// to finish or fail before another.
constexpr auto kTransferInterval = std::chrono::seconds(5);
// A learner this close to the leader's commit index has caught up: under a
// steady write load it is never exactly there.
constexpr raft::Index kCaughtUpSlack = 64;

bool contains(const std::vector<raft::NodeId>& ids, raft::NodeId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool same_members(std::vector<raft::NodeId> a, std::vector<raft::NodeId> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

}  // namespace

struct ReplicaMover::GroupView {
  std::uint32_t group = 0;
  raft::NodeStatus status;
  raft::ConfState conf;
  raft::Index conf_index = 0;
};

asio::awaitable<void> ReplicaMover::run_round(const services::ClusterMetadata& metadata) {
  if (metadata.version == 0) co_return;
  last_report_.resize(partitions_.size());
  last_transfer_.resize(partitions_.size());
  std::size_t catching_up = 0;
  std::vector<GroupView> led;
  for (std::uint32_t group = 0; group < partitions_.size(); ++group) {
    raft::Node& node = host_.node(group);
    const raft::NodeStatus status = node.status();
    if (status.role != raft::Role::kLeader) continue;  // before copying the membership: most groups
    GroupView view{group, status, node.membership(), node.membership_index()};
    catching_up += view.conf.learners.size();
    led.push_back(std::move(view));
  }
  for (const GroupView& group : led) {
    // Only a committed membership is reported or changed further.
    if (group.conf_index > group.status.commit) continue;
    co_await report(group, metadata);
    co_await step(group, metadata, catching_up);
  }
}

asio::awaitable<void> ReplicaMover::report(const GroupView& group,
                                           const services::ClusterMetadata& metadata) {
  const services::ReplicaReport* recorded = metadata.replicas_of(group.group);
  if (recorded == nullptr) co_return;
  if (recorded->term > group.status.term ||
      (recorded->term == group.status.term && recorded->conf_index >= group.conf_index)) {
    co_return;  // the metadata knows this membership and leadership (or newer)
  }
  const auto now = Clock::now();
  if (now - last_report_[group.group] < kReportInterval) co_return;
  last_report_[group.group] = now;
  services::MetadataReportReplicas report{group.group, group.status.term, group.conf_index,
                                          self_,       group.conf.voters, group.conf.learners};
  PartitionService& metadata_partition = *partitions_.front();
  if (metadata_partition.leads()) {
    // Named arguments: temporaries with destructors inside co_await
    // expressions trip GCC 12's coroutine code generation.
    services::CommandBody body = std::move(report);
    services::Reply reply;
    co_await metadata_partition.propose(std::move(body), RequestId{}, now + kChangeDeadline, reply);
    co_return;
  }
  const raft::NodeId metadata_leader = metadata_partition.status().leader;
  if (metadata_leader == raft::kNoNode || metadata_leader == self_) co_return;
  services::Command command;
  command.body = std::move(report);
  host_.send_channel(metadata_leader, kReportChannel, services::encode_command(command));
}

asio::awaitable<void> ReplicaMover::on_report(std::string payload) {
  services::Command command;
  if (!services::decode_command(payload, command) ||
      !std::holds_alternative<services::MetadataReportReplicas>(command.body)) {
    spdlog::warn("dropped a malformed replica report");
    co_return;
  }
  PartitionService& metadata_partition = *partitions_.front();
  if (!metadata_partition.leads()) co_return;
  services::Reply reply;
  co_await metadata_partition.propose(std::move(command.body), RequestId{}, Clock::now() + kChangeDeadline,
                                      reply);
}

asio::awaitable<void> ReplicaMover::step(const GroupView& group, const services::ClusterMetadata& metadata,
                                         std::size_t& catching_up) {
  const cluster::ReplicaSet target = metadata.target_of(group.group);
  if (target.empty()) co_return;
  const raft::ConfState& conf = group.conf;
  using Type = raft::ConfChangeType;

  for (raft::NodeId learner : conf.learners) {  // 1
    if (!contains(target, learner)) {
      co_await change(group.group, Type::kRemoveNode, learner);
      co_return;
    }
  }
  for (raft::NodeId wanted : target) {  // 2
    if (contains(conf.voters, wanted) || contains(conf.learners, wanted)) continue;
    if (catching_up >= kMaxCatchingUp || !host_.connected(wanted)) continue;
    if (co_await change(group.group, Type::kAddLearner, wanted)) ++catching_up;
    co_return;
  }
  const std::vector<std::pair<raft::NodeId, raft::Index>> learners =
      host_.node(group.group).learner_progress();
  for (const auto& [learner, match] : learners) {  // 3
    if (contains(target, learner) && match + kCaughtUpSlack >= group.status.commit) {
      co_await change(group.group, Type::kPromoteLearner, learner);
      co_return;
    }
  }
  // Voters go only once every wanted replica votes: a group never shrinks
  // before its new replicas can stand in (a wanted node that is down blocks
  // the move rather than costing the group a replica).
  if (!conf.learners.empty()) co_return;
  for (raft::NodeId wanted : target) {
    if (!contains(conf.voters, wanted)) co_return;
  }
  for (raft::NodeId voter : conf.voters) {  // 4
    if (contains(target, voter)) continue;
    if (voter == self_) {
      for (raft::NodeId successor : target) {
        if (contains(conf.voters, successor) && host_.connected(successor)) {
          transfer(group.group, successor);
          break;
        }
      }
      co_return;
    }
    if (keeps_quorum(conf.voters, voter)) {
      co_await change(group.group, Type::kRemoveNode, voter);
      co_return;
    }
  }
  const raft::NodeId preferred = target.front();  // 5
  if (preferred != self_ && same_members(conf.voters, target) && host_.connected(preferred)) {
    transfer(group.group, preferred);
  }
}

asio::awaitable<bool> ReplicaMover::change(std::uint32_t group, raft::ConfChangeType type,
                                           std::uint64_t node) {
  static constexpr const char* kVerbs[] = {"", "adding a learner on", "promoting the learner on", "removing"};
  ++changes_proposed_;
  const raft::ConfChange conf_change{type, node};
  const auto deadline = Clock::now() + kChangeDeadline;
  const raft::ProposalOutcome outcome = co_await host_.node(group).propose_conf_change(conf_change, deadline);
  const char* verb = kVerbs[static_cast<int>(type)];
  if (outcome.result == raft::NodeResult::kOk) {
    spdlog::info("partition {}: {} node {} (log index {})", group, verb, node, outcome.index);
    co_return true;
  }
  spdlog::debug("partition {}: {} node {} did not complete: {}", group, verb, node,
                raft::to_string(outcome.result));
  co_return false;
}

bool ReplicaMover::keeps_quorum(const std::vector<raft::NodeId>& voters, raft::NodeId leaving) const {
  std::size_t remaining = 0;
  std::size_t reachable = 0;
  for (raft::NodeId voter : voters) {
    if (voter == leaving) continue;
    ++remaining;
    if (host_.connected(voter)) ++reachable;
  }
  return remaining > 0 && reachable >= remaining / 2 + 1;
}

void ReplicaMover::transfer(std::uint32_t group, raft::NodeId to) {
  const auto now = Clock::now();
  if (now - last_transfer_[group] < kTransferInterval) return;
  last_transfer_[group] = now;
  host_.node(group).transfer_leadership(to);
}

}  // namespace kahuna
