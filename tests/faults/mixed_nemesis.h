// MixedNemesis: a random fault schedule drawn from a seed, over every fault
// kind the harness has. Each step picks one kind, injects it, holds it for a
// while and undoes it, so the cluster is whole again between steps:
//   kill       — SIGKILL one node (often a leader), restart it 1–3 s later
//   pause      — SIGSTOP a leader for 1–2.5 s (beyond the election timeout)
//   partition  — a random minority against the rest, links dropped
//   isolate    — a leader against everyone, links dropped
//   hang       — a minority's links stall (bytes held, delivered late)
//   slow       — some links delay every chunk by 50–400 ms
//   power-cut  — every node killed at once, all restarted
//   garbage    — bursts of malformed traffic on every port (garbage_nemesis.h)
//   membership — (only with membership changes enabled) a spare node joins,
//                or a member leaves or is killed and removed; the step waits
//                until the cluster settles on its new members
// Every fault strikes the current members only: a spare not yet started or
// a removed node is neither killed, paused, partitioned nor restarted.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cluster_client.h"
#include "fault_network.h"
#include "garbage_nemesis.h"
#include "local_cluster.h"

namespace kahuna::faults {

class MixedNemesis {
 public:
  // `partitions`: the data partitions whose leaders are worth hitting.
  MixedNemesis(testing::LocalCluster& cluster, FaultNetwork& network, testing::ClusterClient& admin,
               std::uint32_t partitions, std::uint64_t seed);

  // Turns membership changes on: nodes 1..`first_members` are the members
  // (the cluster's first members, with `replication_factor`), the nodes
  // above are spares configured to join; started one at a time, they join,
  // and members leave or are removed for good. Call before the first step.
  void enable_membership(int first_members, std::uint32_t replication_factor);
  // The nodes that should run: the members (every node without membership
  // changes).
  const std::set<int>& members() const { return members_; }

  // One fault: inject, hold, undo. Returns early (undone) once `stopping`.
  void step(const std::atomic<bool>& stopping);
  // Faults injected since the last call, by kind; resets the counts.
  std::map<std::string, int> take_counts();
  // Membership changes that did not settle in time (or a node that left
  // without a clean exit) since the last call; resets them.
  std::vector<std::string> take_errors();
  // Undoes whatever may be left: resumes and restarts every node, heals
  // every link, closes held garbage connections.
  void heal_all();
  // What happened, one line per fault, for the log.
  std::function<void(const std::string&)> log = [](const std::string&) {};

 private:
  int random_node();  // a random member
  int some_leader();  // a leader of a random partition, or a random node
  std::vector<int> random_minority();
  // Sleeps `from_ms`..`to_ms` in small steps; false if stopping meanwhile.
  bool hold(int from_ms, int to_ms, const std::atomic<bool>& stopping);
  // The membership step: a join, a leave or a kill and removal, or nothing
  // (counted as membership-skipped) when none is allowed.
  void change_membership(const std::atomic<bool>& stopping);
  // Waits until member `asked` sees exactly members_ as voters and every
  // group settled; records an error if not in time.
  bool wait_settled(int asked, const std::string& change, const std::atomic<bool>& stopping);

  testing::LocalCluster& cluster_;
  FaultNetwork& network_;
  testing::ClusterClient& admin_;
  std::uint32_t partitions_;
  std::mt19937_64 random_;
  GarbageNemesis garbage_;
  std::map<std::string, int> counts_;
  std::vector<std::string> errors_;
  bool membership_ = false;
  std::uint32_t replication_factor_ = 0;
  std::set<int> members_;  // the nodes that should run
  int next_spare_ = 0;     // the next node to join; > cluster size: none left
};

}  // namespace kahuna::faults
