// Registers while the cluster changes shape under faults. Nodes 1-3 start a
// cluster of six configured nodes (replication factor 3, six partitions);
// while the register workload runs, a seeded schedule makes nodes 4, 5 and 6
// join in turn, a live first member leave (it drains, is removed, then
// stopped), a member die (kill -9) and be removed while dead, and one more
// member leave or be removed. Meanwhile nodes are killed in the middle of
// replica moves and restarted 1-3 s later, a leader is cut off by the fault
// network (or, when no group lies within the proxied links, paused) for
// 1-2 s, and leaders are paused for 1-2 s. At the end the cluster must settle
// (every member a voter, every data partition exactly `replication_factor`
// voters equal to its target, each group led), the final reads must agree
// with the history, the history must be linearizable, and every answer must
// have been a success, mustRetry or unknown (98).
//
// Links between first members go through the fault proxies: each first
// member dials the others at the addresses of its own configuration. A
// joined node is dialled at the peer address it advertised (its real port)
// and dials only nodes of higher ids (also joiners): its links bypass the
// proxies. So the network isolates a leader only when its group lies within
// the first members; otherwise that leader is paused instead.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "fault_run.h"
#include "membership_view.h"
#include "register_faults.h"

namespace kahuna::faults {
namespace {

using testing::as_set;
using testing::ids;
using testing::seen_by;

constexpr int kNodes = 6;
constexpr int kFirstMembers = 3;
constexpr std::uint32_t kReplicationFactor = 3;
constexpr std::uint32_t kDataPartitions = 6;
// How long one change may take to settle, faults included.
constexpr auto kSettleDeadline = std::chrono::seconds(45);

// ---- Cluster status, as tests/cluster/membership_test.cpp reads it ---------

wire::Request admin_request(wire::RequestBody body) {
  wire::Request request;
  request.body = std::move(body);
  request.settings.timeout_ms = 10000;
  return request;
}

// Node `asked` sees exactly `members` as the cluster's members, all voters;
// every data partition with exactly kReplicationFactor voters, equal to its
// target, no learners, and a leader; partition 0 on every member, led.
bool settled(testing::ClusterClient& client, int asked, const std::set<int>& members) {
  std::set<std::uint64_t> voters;
  ClusterStatus status;
  const std::set<std::uint64_t> wanted(members.begin(), members.end());
  if (!testing::members_settled(client, asked, voters, status) || voters != wanted) return false;
  if (status.partitions.size() != kDataPartitions + 1) return false;
  for (const PartitionInfo& partition : status.partitions) {
    if (partition.id == 0 && as_set(partition.voters) != wanted) return false;
    if (partition.id != 0 && partition.voters.size() != kReplicationFactor) return false;
    if (!wanted.contains(partition.leader)) return false;
  }
  return true;
}

// A replica move under way, as node `asked` sees it: a partition with a
// learner, or whose voters differ from its target.
bool moving(testing::ClusterClient& client, int asked) {
  for (const PartitionInfo& partition : client.status(asked).partitions) {
    if (!partition.learners.empty() || as_set(partition.voters) != as_set(partition.target)) return true;
  }
  return false;
}

// The last `bytes` of node `id`'s log (kept in the cluster's directory
// across restarts), for a failure message.
std::string log_tail(int id, std::size_t bytes = 4000) {
  std::ifstream file(testing::test_dir() / ("node" + std::to_string(id) + ".log"));
  std::ostringstream text;
  text << file.rdbuf();
  const std::string all = text.str();
  const std::string tail = all.size() > bytes ? "..." + all.substr(all.size() - bytes) : all;
  return "---- node" + std::to_string(id) + ".log ----\n" + tail + "\n";
}

std::string log_tails(const std::set<int>& nodes) {
  std::string text;
  for (int id : nodes) text += log_tail(id);
  return text;
}

// KAHUNA_FAULT_NODE_LOG_LEVEL (e.g. "info"), when set, replaces the nodes'
// log level ("warn") in the configurations `cluster` wrote: what a replay
// needs to see why a node did what it did.
void apply_node_log_level(const testing::LocalCluster& cluster) {
  const char* level = std::getenv("KAHUNA_FAULT_NODE_LOG_LEVEL");
  if (level == nullptr || *level == '\0') return;
  for (int id = 1; id <= cluster.size(); ++id) {
    const auto path = testing::test_dir() / ("node" + std::to_string(id) + ".toml");
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    std::string config = text.str();
    const std::string warn = "level = \"warn\"";
    if (const auto at = config.find(warn); at != std::string::npos) {
      config.replace(at, warn.size(), "level = \"" + std::string(level) + "\"");
    }
    std::ofstream(path) << config;
  }
  std::cout << "[ logs     ] nodes log at level " << level << std::endl;
}

// On failure, copies every node's log out of the cluster's directory (which
// the cluster deletes) and says where.
void keep_node_logs(const testing::LocalCluster& cluster, std::uint64_t seed) {
  if (!::testing::Test::HasFailure()) return;
  const auto kept =
      std::filesystem::temp_directory_path() / ("kahuna-membership-faults-" + std::to_string(seed));
  std::filesystem::create_directories(kept);
  for (int id = 1; id <= cluster.size(); ++id) {
    const auto log = testing::test_dir() / ("node" + std::to_string(id) + ".log");
    std::error_code ignored;
    std::filesystem::copy_file(log, kept / log.filename(), std::filesystem::copy_options::overwrite_existing,
                               ignored);
  }
  std::cout << "[ logs     ] the nodes' logs are kept in " << kept.string() << std::endl;
}

// ---- The schedule -------------------------------------------------------------

enum class Change { kJoin, kLeave, kRemove };
enum class Fault { kKillMidMove, kIsolate, kPause };

std::string name(Fault fault) {
  switch (fault) {
    case Fault::kKillMidMove: return "kill-mid-move";
    case Fault::kIsolate: return "isolate-leader";
    case Fault::kPause: return "pause-leader";
  }
  return "?";
}

struct Step {
  Change change = Change::kJoin;
  int node = 0;               // the node that joins, leaves or is removed
  bool first_member = false;  // kLeave: the leave of a first member
  std::vector<Fault> during;  // struck while this change is under way
  std::vector<Fault> before;  // struck on the settled cluster before it
};

// The changes in a seeded order: nodes 4, 5 and 6 join in turn; a first
// member leaves, a member is killed and removed, and one more member leaves
// or is killed and removed — each only while there are at least four, so
// that the cluster ends with three, and never the last of nodes 1 and 2
// while a join is still to come (joiners ask them for admission). Then the
// faults placed on them: two kills, each during a change that moves replicas
// between live nodes (a join or a leave; during a removal a member is dead
// already, and a second one down could cost a group its majority); the
// isolations on a settled cluster (a group moving while its leader is cut
// off may need a node the cut does not reach to elect another), one before
// the first join, where every group lies within the proxied links, one
// later; two pauses, during a change or between two.
std::vector<Step> draw_schedule(std::mt19937_64& random) {
  std::vector<Step> steps;
  for (;;) {
    steps.clear();
    steps.push_back(Step{Change::kLeave, 0, true, {}, {}});
    steps.push_back(Step{Change::kRemove, 0, false, {}, {}});
    steps.push_back(Step{random() % 2 ? Change::kLeave : Change::kRemove, 0, false, {}, {}});
    for (int join = 0; join < 3; ++join) steps.push_back(Step{});
    std::shuffle(steps.begin(), steps.end(), random);
    std::set<int> members;
    for (int id = 1; id <= kFirstMembers; ++id) members.insert(id);
    int joiner = kFirstMembers;
    int joins_left = 3;
    bool valid = true;
    for (Step& step : steps) {
      if (step.change == Change::kJoin) {
        step.node = ++joiner;
        members.insert(joiner);
        --joins_left;
        continue;
      }
      std::vector<int> candidates;
      for (int id : members) {
        if (!step.first_member || id <= kFirstMembers) candidates.push_back(id);
      }
      step.node = candidates[random() % candidates.size()];
      members.erase(step.node);
      if (members.size() < 3) valid = false;
      if (joins_left > 0 && !members.contains(1) && !members.contains(2)) valid = false;
    }
    if (valid) break;
  }
  steps.push_back(Step{});  // the slot after the last change (no change of its own)
  const std::size_t changes = steps.size() - 1;
  std::vector<std::size_t> moving;  // the joins and the leaves
  for (std::size_t i = 0; i < changes; ++i) {
    if (steps[i].change != Change::kRemove) moving.push_back(i);
  }
  std::shuffle(moving.begin(), moving.end(), random);
  steps[moving[0]].during.push_back(Fault::kKillMidMove);
  steps[moving[1]].during.push_back(Fault::kKillMidMove);
  steps[0].before.push_back(Fault::kIsolate);
  steps[1 + random() % changes].before.push_back(Fault::kIsolate);
  for (int pause = 0; pause < 2; ++pause) {
    if (random() % 2) {
      steps[moving[random() % moving.size()]].during.push_back(Fault::kPause);
    } else {
      steps[random() % (changes + 1)].before.push_back(Fault::kPause);
    }
  }
  for (Step& step : steps) std::shuffle(step.during.begin(), step.during.end(), random);
  return steps;
}

std::string describe(const std::vector<Step>& steps) {
  std::string text;
  auto add = [&](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
  for (const Step& step : steps) {
    for (Fault fault : step.before) add(name(fault));
    if (&step == &steps.back()) break;
    std::string change = (step.change == Change::kJoin    ? "join "
                          : step.change == Change::kLeave ? "leave "
                                                          : "kill+remove ") +
                         std::to_string(step.node);
    for (Fault fault : step.during) change += " [" + name(fault) + "]";
    add(change);
  }
  return text;
}

class MembershipNemesis {
 public:
  MembershipNemesis(FaultRun& run, FaultNetwork& network)
      : run_(run), network_(network), started_(std::chrono::steady_clock::now()) {}

  // Plays `steps`; once a change does not settle, skips the rest (the
  // failure is reported, and waiting out every later change would take
  // longer than the test may).
  void play(const std::vector<Step>& steps) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const bool last = i + 1 == steps.size();
      for (Fault fault : steps[i].before) strike(fault);
      if (last) break;
      if (!change(steps[i])) {
        log("the rest of the schedule is skipped");
        completed_ = false;
        break;
      }
    }
    sleep_ms(run_.random, 1000, 1500);
  }

  // Heals the links, restarts any member that should run and is not, and
  // waits until every running member sees the cluster settled.
  void settle_at_the_end() {
    network_.heal();
    for (int id : members_) {
      if (!run_.cluster.running(id)) {
        log("restart node " + std::to_string(id) + " (a member that should run)");
        run_.cluster.start(id);
      }
    }
    bool all = true;
    const auto until = std::chrono::steady_clock::now() + kSettleDeadline;  // for all of them
    for (int id : members_) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      const bool done = testing::eventually([&] { return settled(run_.admin, id, members_); },
                                            std::max(left, std::chrono::milliseconds(1000)));
      EXPECT_TRUE(done) << "the cluster did not settle with members " << ids(members_) << " as "
                        << seen_by(run_.admin, id) << "\n(" << replay_note(run_.seed) << ")\n"
                        << log_tail(id);
      all = all && done;
    }
    log(std::string(all ? "settled" : "NOT settled") + ": members " + ids(members_) +
        " as every member sees it; " + leader_views(run_.cluster, run_.admin));
  }

  const std::set<int>& members() const { return members_; }
  const std::map<std::string, int>& counts() const { return counts_; }
  bool completed() const { return completed_; }

 private:
  static std::string seconds_since(std::chrono::steady_clock::time_point since) {
    std::ostringstream text;
    text.precision(1);
    text << std::fixed << std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count()
         << " s";
    return text.str();
  }

  void log(const std::string& line) {
    std::cout << "[ nemesis  ] t+" << seconds_since(started_) << " " << line << std::endl;
  }

  // A running member other than `except` to ask; the lowest one.
  int asker(int except = 0) const {
    for (int id : members_) {
      if (id != except && run_.cluster.running(id)) return id;
    }
    return 0;
  }

  template <class T>
  T pick(const std::vector<T>& from) {
    return from[run_.random() % from.size()];
  }

  // Makes the change, strikes its faults, waits until it settles; false if
  // it did not.
  bool change(const Step& step) {
    const auto began = std::chrono::steady_clock::now();
    const int node = step.node;
    if (step.change == Change::kJoin) {
      ++counts_["join"];
      log("start node " + std::to_string(node) + " (configured to join through nodes 1 and 2)");
      run_.cluster.start(node);
      members_.insert(node);
    } else if (step.change == Change::kLeave) {
      ++counts_[node <= kFirstMembers ? "leave-of-a-first-member" : "leave"];
      log("node " + std::to_string(node) + " asked to leave" +
          (node <= kFirstMembers ? " (a first member)" : ""));
      leave(node);
      members_.erase(node);
    } else {
      ++counts_["remove"];
      log("kill -9 node " + std::to_string(node) + " (to be removed while dead)");
      run_.cluster.kill(node);
      members_.erase(node);
      remove(node);
    }
    for (Fault fault : step.during) strike(fault, node);
    const int asked = asker(node);
    const bool done =
        testing::eventually([&] { return settled(run_.admin, asked, members_); }, kSettleDeadline);
    EXPECT_TRUE(done) << "the cluster did not settle with members " << ids(members_) << " after "
                      << describe(std::vector<Step>{step, Step{}}) << ", as " << seen_by(run_.admin, asked)
                      << "\nleaders and links as each node sees them: "
                      << leader_views(run_.cluster, run_.admin) << "\n(" << replay_note(run_.seed) << ")\n"
                      << log_tails(members_);
    log(std::string(done ? "settled" : "NOT settled") + ": members " + ids(members_) + " (" +
        seconds_since(began) + " after the change began)");
    if (step.change == Change::kLeave) {
      const int code = run_.cluster.stop(node);
      log("stopped node " + std::to_string(node) + " (it left; exit code " + std::to_string(code) + ")");
      EXPECT_EQ(code, 0) << "node " << node << ", which left, did not exit cleanly:\n" << log_tail(node);
    }
    return done;
  }

  // Asks node `node` itself to leave: sent to another node, leave would
  // drain that one.
  void leave(int node) {
    std::optional<wire::Response> response;
    const bool answered = testing::eventually(
        [&] {
          response = run_.admin.call(node, admin_request(wire::ClusterLeave{ClusterMemberRequest{}}));
          return response && !testing::must_retry(*response);
        },
        std::chrono::seconds(30));
    ASSERT_TRUE(answered) << "node " << node << " did not answer its leave (" << replay_note(run_.seed)
                          << ")";
    const ClusterChangeReply reply = testing::as<ClusterChangeReply>(*response);
    EXPECT_EQ(reply.code, ClusterCode::kApplied) << reply.message << " (" << replay_note(run_.seed) << ")";
    log("leave of node " + std::to_string(node) + " recorded (code " +
        std::to_string(static_cast<int>(reply.code)) + ")");
  }

  void remove(int node) {
    const int via = pick(std::vector<int>(members_.begin(), members_.end()));
    const ClusterChangeReply reply = testing::as<ClusterChangeReply>(run_.admin.call_until_served(
        via, admin_request(wire::ClusterRemove{ClusterMemberRequest{static_cast<std::uint64_t>(node)}})));
    EXPECT_EQ(reply.code, ClusterCode::kApplied) << reply.message << " (" << replay_note(run_.seed) << ")";
    log("node " + std::to_string(node) + " removed through node " + std::to_string(via) + " (code " +
        std::to_string(static_cast<int>(reply.code)) + ")");
  }

  // `moved`: the node joining or leaving while the fault strikes (0: none).
  void strike(Fault fault, int moved = 0) {
    ++counts_[name(fault)];
    if (fault == Fault::kKillMidMove) {
      kill_mid_move(moved);
    } else if (fault == Fault::kIsolate) {
      isolate_a_leader();
    } else {
      pause_leader(random_partition_leader(), "");
    }
  }

  std::uint32_t random_partition() { return 1 + static_cast<std::uint32_t>(run_.random() % kDataPartitions); }

  int random_partition_leader() {
    const std::uint32_t partition = random_partition();
    const int leader = static_cast<int>(run_.admin.leader_of(partition, asker()));
    return leader != 0 && run_.cluster.running(leader) ? leader : pick(running_members());
  }

  std::vector<int> running_members() const {
    std::vector<int> result;
    for (int id : members_) {
      if (run_.cluster.running(id)) result.push_back(id);
    }
    return result;
  }

  // Once a replica move shows, kill -9 the joining or leaving node, the
  // leader of a moving group, or another member; restart it 1-3 s later.
  void kill_mid_move(int moved) {
    const int asked = asker(moved);
    const bool seen = testing::eventually([&] { return moving(run_.admin, asked); }, std::chrono::seconds(5));
    std::string why = seen ? "" : " (no replica move seen in 5 s)";
    sleep_ms(run_.random, 0, 500);  // at some point of the move, not always its first step
    int victim = 0;
    const int choice = static_cast<int>(run_.random() % 3);
    if (choice == 0 && moved != 0 && run_.cluster.running(moved)) {
      victim = moved;
      why += " the node " + std::string(members_.contains(moved) ? "joining" : "leaving");
    } else if (choice == 1) {
      for (const PartitionInfo& partition : run_.admin.status(asked).partitions) {
        const bool moves =
            !partition.learners.empty() || as_set(partition.voters) != as_set(partition.target);
        if (moves && partition.leader != 0 && run_.cluster.running(static_cast<int>(partition.leader))) {
          victim = static_cast<int>(partition.leader);
          why += " leads moving partition " + std::to_string(partition.id) + " (voters " +
                 ids(partition.voters) + ", learners " + ids(partition.learners) + ", target " +
                 ids(partition.target) + ")";
          break;
        }
      }
    }
    if (victim == 0) {
      std::vector<int> candidates = running_members();
      if (moved != 0 && !members_.contains(moved) && run_.cluster.running(moved)) candidates.push_back(moved);
      victim = pick(candidates);
      why += " a random node";
    }
    log("kill -9 node " + std::to_string(victim) + " mid-move:" + why);
    run_.cluster.kill(victim);
    sleep_ms(run_.random, 1000, 3000);
    run_.cluster.start(victim);
    log("restarted node " + std::to_string(victim));
  }

  // Cuts off, for 1-2 s, the leader of a group whose replicas all lie within
  // the proxied links (first members), and checks that the others elect
  // another; without such a group, pauses a leader instead.
  void isolate_a_leader() {
    std::set<std::uint64_t> proxied;
    for (int id : members_) {
      if (id <= kFirstMembers && run_.cluster.running(id)) proxied.insert(static_cast<std::uint64_t>(id));
    }
    std::vector<PartitionInfo> candidates;
    for (const PartitionInfo& partition : run_.admin.status(asker()).partitions) {
      if (partition.id == 0 || !proxied.contains(partition.leader) || partition.voters.size() < 3) continue;
      bool within = true;
      for (std::uint64_t id : partition.voters) within = within && proxied.contains(id);
      for (std::uint64_t id : partition.learners) within = within && proxied.contains(id);
      if (within) candidates.push_back(partition);
    }
    if (candidates.empty()) {
      pause_leader(random_partition_leader(),
                   " (instead of isolating it: no group lies within the proxied links " +
                       ids(std::vector<std::uint64_t>(proxied.begin(), proxied.end())) + ")");
      return;
    }
    const PartitionInfo target = pick(candidates);
    const int leader = static_cast<int>(target.leader);
    const LinkMode mode = run_.random() % 2 ? LinkMode::kDrop : LinkMode::kHang;
    const auto cut = std::chrono::steady_clock::now();
    network_.isolate(leader, mode);
    ++counts_["isolated-by-network"];
    log("isolated node " + std::to_string(leader) + " (leads partition " + std::to_string(target.id) +
        ", voters " + ids(target.voters) + "): " + network_.faults());
    int majority_node = 0;
    for (std::uint64_t id : target.voters) {
      if (static_cast<int>(id) != leader) majority_node = static_cast<int>(id);
    }
    // The cut must bite: the rest of the group elects another leader.
    EXPECT_TRUE(testing::eventually(
        [&] {
          const auto now = static_cast<int>(run_.admin.leader_of(target.id, majority_node));
          return now != 0 && now != leader;
        },
        std::chrono::seconds(5)))
        << "the rest of partition " << target.id << "'s group kept node " << leader << " as leader under "
        << network_.faults() << "; leaders seen: " << leader_views(run_.cluster, run_.admin) << " ("
        << replay_note(run_.seed) << ")";
    const auto hold = std::chrono::milliseconds(1000 + run_.random() % 1001);
    std::this_thread::sleep_until(cut + hold);
    network_.heal();
    log("healed; leaders: " + leader_views(run_.cluster, run_.admin));
  }

  void pause_leader(int node, const std::string& why) {
    log("SIGSTOP node " + std::to_string(node) + why);
    run_.cluster.pause(node);
    sleep_ms(run_.random, 1000, 2000);
    run_.cluster.resume(node);
    log("SIGCONT node " + std::to_string(node));
  }

  FaultRun& run_;
  FaultNetwork& network_;
  std::chrono::steady_clock::time_point started_;
  std::set<int> members_{1, 2, 3};
  std::map<std::string, int> counts_;
  bool completed_ = true;  // every step played
};

TEST(MembershipFaults, RegistersStayLinearizableWhileMembersJoinLeaveAndAreRemoved) {
  testing::ClusterOptions options{kNodes, kDataPartitions};
  options.first_members = kFirstMembers;
  options.replication_factor = kReplicationFactor;
  options.peer_proxies = true;
  FaultRun run(options);
  FaultNetwork network(run.cluster);
  apply_node_log_level(run.cluster);
  for (int id = 1; id <= kFirstMembers; ++id) run.cluster.start(id);
  run.admin.wait_for_leaders();
  ASSERT_TRUE(testing::eventually(
      [&] {
        return settled(run.admin, 1, {1, 2, 3});
      },
      std::chrono::seconds(30)))
      << seen_by(run.admin, 1);

  const std::vector<Step> schedule = draw_schedule(run.random);
  std::cout << "[ schedule ] " << describe(schedule) << std::endl;
  MembershipNemesis nemesis(run, network);
  History<RegisterOp> history;
  AnswerTally answers;
  run.workload(
      [&](const ProcessContext& context, const std::atomic<bool>& stopping) {
        ProcessContext counted = context;
        counted.answers = &answers;
        run_register_process(counted, kKeys, stopping, history);
      },
      [&] {
        nemesis.play(schedule);
        nemesis.settle_at_the_end();
      });
  std::cout << "[ answers  ] " << answers.success << " success, " << answers.must_retry << " mustRetry, "
            << answers.unknown << " unknown, " << answers.no_answer << " no answer, " << answers.not_sent
            << " not sent, " << answers.other << " other" << std::endl;
  EXPECT_EQ(answers.other, 0) << "answers other than success, mustRetry and unknown:\n"
                              << one_per_line(answers.others()) << "(" << replay_note(run.seed) << ")";
  std::string done;
  for (const auto& [kind, count] : nemesis.counts()) done += " " + kind + "=" + std::to_string(count);
  std::cout << "[ nemesis  ] done:" << done << std::endl;
  if (nemesis.completed()) {
    for (const char* kind :
         {"join", "leave-of-a-first-member", "remove", "kill-mid-move", "isolate-leader", "pause-leader"}) {
      EXPECT_GE(nemesis.counts().count(kind), 1u) << kind << " never happened";
    }
    EXPECT_EQ(nemesis.members().size(), 3u);
  }
  expect_linearizable(run.cluster, history, run.seed);
  for (int id : nemesis.members()) {
    EXPECT_TRUE(run.cluster.running(id) && !run.cluster.crashed(id)) << "node " << id << " is not running:\n"
                                                                     << run.cluster.output(id);
    EXPECT_TRUE(settled(run.admin, id, nemesis.members())) << seen_by(run.admin, id);
  }
  keep_node_logs(run.cluster, run.seed);
}

}  // namespace
}  // namespace kahuna::faults
