#include "mixed_nemesis.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "fault_test_util.h"
#include "membership_view.h"

namespace kahuna::faults {

MixedNemesis::MixedNemesis(testing::LocalCluster& cluster, FaultNetwork& network,
                           testing::ClusterClient& admin, std::uint32_t partitions, std::uint64_t seed)
    : cluster_(cluster),
      network_(network),
      admin_(admin),
      partitions_(partitions),
      random_(seed),
      garbage_(cluster, seed * 7 + 1) {
  for (int id = 1; id <= cluster_.size(); ++id) members_.insert(id);
  next_spare_ = cluster_.size() + 1;
}

void MixedNemesis::enable_membership(int first_members, std::uint32_t replication_factor) {
  membership_ = true;
  replication_factor_ = replication_factor;
  members_.clear();
  for (int id = 1; id <= first_members; ++id) members_.insert(id);
  next_spare_ = first_members + 1;
}

int MixedNemesis::random_node() {
  auto at = members_.begin();
  std::advance(at, static_cast<long>(random_() % members_.size()));
  return *at;
}

int MixedNemesis::some_leader() {
  const auto partition = static_cast<std::uint32_t>(random_() % partitions_);
  const int leader = leader_of(cluster_, admin_, partition);
  return leader != 0 ? leader : random_node();
}

std::vector<int> MixedNemesis::random_minority() {
  std::vector<int> nodes(members_.begin(), members_.end());
  std::shuffle(nodes.begin(), nodes.end(), random_);
  const int size = 1 + static_cast<int>(random_() % ((nodes.size() - 1) / 2));
  nodes.resize(size);
  return nodes;
}

bool MixedNemesis::hold(int from_ms, int to_ms, const std::atomic<bool>& stopping) {
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::milliseconds(from_ms + static_cast<int>(random_() % (to_ms - from_ms + 1)));
  while (std::chrono::steady_clock::now() < until) {
    if (stopping) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::map<std::string, int> MixedNemesis::take_counts() {
  std::map<std::string, int> counts;
  counts.swap(counts_);
  return counts;
}

void MixedNemesis::heal_all() {
  garbage_.release();
  network_.heal();
  for (int id : members_) {
    cluster_.resume(id);
    if (!cluster_.running(id)) cluster_.start(id);
  }
}

std::vector<std::string> MixedNemesis::take_errors() {
  std::vector<std::string> errors;
  errors.swap(errors_);
  return errors;
}

namespace {

std::string list(const std::vector<int>& nodes) {
  std::string text;
  for (int id : nodes) text += (text.empty() ? "" : ",") + std::to_string(id);
  return text;
}

std::vector<int> rest_of(const std::set<int>& members, const std::vector<int>& nodes) {
  std::vector<int> rest;
  for (int id : members) {
    if (std::find(nodes.begin(), nodes.end(), id) == nodes.end()) rest.push_back(id);
  }
  return rest;
}

}  // namespace

void MixedNemesis::step(const std::atomic<bool>& stopping) {
  // Power cuts are rarer than the rest: each costs every node's restart.
  static const char* kKinds[] = {"kill",      "kill",    "pause",   "pause",   "partition",
                                 "partition", "isolate", "isolate", "hang",    "hang",
                                 "slow",      "slow",    "garbage", "garbage", "power-cut"};
  constexpr std::size_t kFixedKinds = sizeof kKinds / sizeof *kKinds;
  // With membership changes, two more draws of 17 are a membership step.
  const std::size_t drawn = random_() % (kFixedKinds + (membership_ ? 2 : 0));
  if (drawn >= kFixedKinds) {
    change_membership(stopping);  // counts its own kind
    return;
  }
  const std::string kind = kKinds[drawn];
  ++counts_[kind];
  if (kind == "kill") {
    const int node = random_() % 2 ? some_leader() : random_node();
    log("kill -9 node " + std::to_string(node));
    cluster_.kill(node);
    hold(1000, 3000, stopping);
    cluster_.start(node);
    log("restarted node " + std::to_string(node));
  } else if (kind == "pause") {
    const int node = some_leader();
    log("SIGSTOP node " + std::to_string(node));
    cluster_.pause(node);
    hold(1000, 2500, stopping);
    cluster_.resume(node);
    log("SIGCONT node " + std::to_string(node));
  } else if (kind == "partition" || kind == "hang") {
    const auto minority = random_minority();
    const auto majority = rest_of(members_, minority);
    const LinkMode mode = kind == "hang" ? LinkMode::kHang : LinkMode::kDrop;
    network_.partition(minority, majority, mode);
    log(kind + " {" + list(minority) + "} | {" + list(majority) + "}: " + network_.faults());
    hold(1000, 4000, stopping);
    network_.heal();
    log("healed");
  } else if (kind == "isolate") {
    const int node = some_leader();
    network_.isolate(node, LinkMode::kDrop);
    log("isolate node " + std::to_string(node) + ": " + network_.faults());
    hold(1000, 4000, stopping);
    network_.heal();
    log("healed");
  } else if (kind == "slow") {
    // Random directed links, each with its own latency.
    for (int from : members_) {
      for (int to : members_) {
        if (from != to && random_() % 2 == 0) {
          network_.set(from, to, LinkMode::kSlow, std::chrono::milliseconds(50 + random_() % 351));
        }
      }
    }
    log("slow links: " + network_.faults());
    hold(2000, 5000, stopping);
    network_.heal();
    log("healed");
  } else if (kind == "power-cut") {
    log("power cut: kill -9 every node");
    cluster_.kill_all();
    hold(500, 1500, stopping);
    for (int id : members_) cluster_.start(id);
    log("restarted every member");
  } else {
    const int bursts = 3 + static_cast<int>(random_() % 5);
    for (int i = 0; i < bursts && !stopping; ++i) {
      garbage_.burst();
      hold(200, 500, stopping);
    }
    garbage_.release();
    log("garbage: " + std::to_string(garbage_.total()) + " connections so far");
  }
}

namespace {

wire::Request admin_request(wire::RequestBody body) {
  wire::Request request;
  request.body = std::move(body);
  request.settings.timeout_ms = 10000;
  return request;
}

constexpr auto kSettleDeadline = std::chrono::seconds(60);

}  // namespace

bool MixedNemesis::wait_settled(int asked, const std::string& change, const std::atomic<bool>& stopping) {
  const std::set<std::uint64_t> wanted(members_.begin(), members_.end());
  const auto began = std::chrono::steady_clock::now();
  auto settled = [&] {
    std::set<std::uint64_t> voters;
    ClusterStatus status;
    if (!testing::members_settled(admin_, asked, voters, status) || voters != wanted) return false;
    if (status.partitions.empty()) return false;
    for (const PartitionInfo& partition : status.partitions) {
      if (partition.id == 0 && testing::as_set(partition.voters) != wanted) return false;
      if (partition.id != 0 && replication_factor_ != 0 &&
          partition.voters.size() != std::min<std::size_t>(replication_factor_, wanted.size())) {
        return false;
      }
      if (!wanted.contains(partition.leader)) return false;
    }
    return true;
  };
  while (!settled()) {
    if (stopping) return false;
    if (std::chrono::steady_clock::now() - began > kSettleDeadline) {
      errors_.push_back("the cluster did not settle with members " + testing::ids(members_) + " within " +
                        std::to_string(kSettleDeadline.count()) + " s of the " + change + ", as " +
                        testing::seen_by(admin_, asked));
      log("NOT settled after the " + change);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  log("settled: members " + testing::ids(members_) + ", " +
      std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count()) +
      " s after the " + change);
  return true;
}

void MixedNemesis::change_membership(const std::atomic<bool>& stopping) {
  // Between steps every member runs; a member that does not would make a
  // removal cost some group its majority.
  for (int id : members_) {
    if (!cluster_.running(id)) cluster_.start(id);
  }
  const bool can_join = next_spare_ <= cluster_.size();
  // At least three members stay; the last of nodes 1 and 2 stays while a
  // spare is still to join (joiners ask them for admission).
  std::vector<int> removable;
  if (members_.size() > 3) {
    for (int id : members_) {
      std::set<int> rest = members_;
      rest.erase(id);
      if (can_join && !rest.contains(1) && !rest.contains(2)) continue;
      removable.push_back(id);
    }
  }
  if (!can_join && removable.empty()) {
    ++counts_["membership-skipped"];
    log("membership: skipped (no spare left to join, members " + testing::ids(members_) + ")");
    return;
  }
  auto lowest_other = [&](int except) {
    for (int id : members_) {
      if (id != except) return id;
    }
    return 0;
  };
  if (can_join && (removable.empty() || random_() % 2 == 0)) {
    const int node = next_spare_++;
    ++counts_["join"];
    log("membership: start node " + std::to_string(node) + " (it joins through nodes 1 and 2)");
    cluster_.start(node);
    members_.insert(node);
    wait_settled(lowest_other(node), "join of node " + std::to_string(node), stopping);
    return;
  }
  const int node = removable[random_() % removable.size()];
  const bool leave = random_() % 2 == 0;
  ++counts_[leave ? "leave" : "remove"];
  // Sent until a definite answer: a retry after an unknown outcome finds
  // the change made (unchanged, or for a removal no such member).
  auto ask = [&](auto body, auto next_node) {
    bool sent = false;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::string last = "no answer";
    while (std::chrono::steady_clock::now() < until && !stopping) {
      const int via = next_node();
      const bool retried = sent;
      sent = true;
      if (const auto response = admin_.call(via, admin_request(body))) {
        if (const auto* reply = std::get_if<ClusterChangeReply>(&*response)) {
          if (reply->code == ClusterCode::kApplied || reply->code == ClusterCode::kUnchanged ||
              (retried && reply->code == ClusterCode::kNotFound)) {
            log("membership: node " + std::to_string(node) + (leave ? " leaves" : " removed") +
                " (through node " + std::to_string(via) + ", code " +
                std::to_string(static_cast<int>(reply->code)) + ")");
            return true;
          }
          last = "code " + std::to_string(static_cast<int>(reply->code)) + ": " + reply->message;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!stopping) {
      errors_.push_back(std::string(leave ? "the leave of node " : "the removal of node ") +
                        std::to_string(node) + " was not recorded in 30 s (" + last + ")");
    }
    return false;
  };
  if (leave) {
    // Asked of the node itself: sent to another node, leave would drain
    // that one.
    log("membership: node " + std::to_string(node) + " asked to leave");
    if (!ask(wire::ClusterLeave{ClusterMemberRequest{}}, [&] { return node; })) return;
    members_.erase(node);
    // A leave that did not settle leaves the node running (it may still
    // hold replicas); it is no member any more, so no fault touches it.
    if (!wait_settled(lowest_other(node), "leave of node " + std::to_string(node), stopping)) return;
    const int code = cluster_.stop(node);
    log("membership: stopped node " + std::to_string(node) + " (it left; exit code " + std::to_string(code) +
        ")");
    if (code != 0) {
      errors_.push_back("node " + std::to_string(node) + ", which left, exited with code " +
                        std::to_string(code));
    }
    return;
  }
  log("membership: kill -9 node " + std::to_string(node) + " (to be removed while dead)");
  cluster_.kill(node);
  members_.erase(node);
  std::vector<int> vias(members_.begin(), members_.end());
  std::shuffle(vias.begin(), vias.end(), random_);
  std::size_t next = 0;
  const auto request = wire::ClusterRemove{ClusterMemberRequest{static_cast<std::uint64_t>(node)}};
  if (!ask(request, [&] { return vias[next++ % vias.size()]; })) return;
  wait_settled(lowest_other(node), "removal of node " + std::to_string(node), stopping);
}

}  // namespace kahuna::faults
