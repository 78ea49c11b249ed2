// The simulation's cluster: nodes, network, clients and checkers, shared by
// simulation.cc (the tick loop, Ready handling, checks) and sim_workload.cc (faults,
// client and administrative operations). Internal to the simulation.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "kahuna/raft/core.h"
#include "kahuna/raft/memory_log_storage.h"
#include "linearizability_check.h"
#include "register_history.h"
#include "safety_checker.h"
#include "simulation.h"
#include "virtual_network.h"

namespace kahuna::raft::sim::detail {

// Concatenates its arguments as text. (Used instead of "literal" + std::to_string(...),
// for which g++ 12 reports a false -Wrestrict error.)
template <typename... Parts>
std::string text(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

constexpr int kElectionTicks = 10;
constexpr int kHeartbeatTicks = 1;  // but up to 4 in seeds with quiescence
constexpr std::size_t kMaxOperations = 800;
constexpr std::size_t kMaxPendingReads = 4;
constexpr std::size_t kMaxPendingWrites = 4;  // client concurrency keeps the check cheap
constexpr int kExtraNodes = 2;                // nodes that may join as learners during a run
constexpr int kHealTicks = 400;
// A quiesced follower whose leader is down, cut off from it or no longer leading must be
// woken (the liveness oracle does so an election timeout after the fact, a message may
// do it sooner); this long means it never will be (check_quiescence).
constexpr std::uint64_t kMaxOrphanedQuiescedTicks = 5 * kElectionTicks;
constexpr std::uint64_t kRequiredHealWrites = 3;
// Steps for the linearizability search (linearizability_check.h), which runs only when
// no verified linearization could be built, i.e. in practice only for a history that is
// not linearizable. The retry budget is 20 times larger; at 0.15-0.5 us a step its worst
// case, measured on 800 operations, is about 30 s and 1.2 GB.
constexpr std::uint64_t kLinearizabilityBudget = 3'000'000;
constexpr std::uint64_t kLinearizabilityRetryBudget = 20 * kLinearizabilityBudget;

struct PendingRead {
  std::size_t op = 0;
  bool index_known = false;
  Index index = 0;
  std::uint64_t deadline = 0;
};

struct Node {
  NodeId id = kNoNode;
  std::unique_ptr<MemoryLogStorage> disk;  // survives crashes
  std::unique_ptr<Core> core;              // null while crashed
  std::string value;                       // the register, rebuilt after a restart
  Index applied = 0;
  std::map<std::string, PendingRead> reads;
  int tick_skip_cooldown = 0;
  int incarnation = 0;
  std::optional<Ready> unpersisted;  // handed out by ready(), not yet handled
  // Pipelined seeds (Config::async_storage_writes): Readies being written, oldest
  // first, and committed entries waiting to be applied.
  std::deque<Ready> persisting;
  std::deque<std::vector<Entry>> applying;
  bool quiesced_seen = false;  // core->quiesced() at the last input (note_quiescence)
  // First tick of the current stretch as a quiesced follower whose leader is down, cut
  // off from it or no longer leading (0: not in one); see check_quiescence.
  std::uint64_t orphaned_since = 0;
  bool alive() const { return core != nullptr; }
};

class Simulation {
 public:
  explicit Simulation(const SimOptions& options)
      : options_(options), random_(options.seed), network_(random_) {}

  SimResult run();

 private:
  void choose_features();
  void start(Node& node);
  void crash(Node& node);
  void process_ready(Node& node);
  void check_role(Node& node);
  void handle_ready(Node& node, const Ready& rd);
  void process_ready_pipelined(Node& node);
  void finish_persist(Node& node);
  // Writes what `rd` asks to persist, then sends its messages other than appends.
  void persist_and_send(Node& node, const Ready& rd);
  void finish_apply(Node& node);
  void apply_entries(Node& node, const std::vector<Entry>& entries);
  void note_read_states(Node& node, const Ready& rd);
  void send(const Message& m);
  void serve_reads(Node& node);
  void deliver_due();
  void tick_nodes(bool allow_skips);
  void random_faults();
  void random_client_operations();
  void random_admin_operations();
  void expire_reads();
  void pause_clients();
  bool clients_paused() const { return now_ < clients_paused_until_; }
  void liveness_oracle();
  // Core::wake(), or Core::suspect_leader() if `suspected_leader` is the node's leader.
  void wake(Node& node, NodeId suspected_leader, const std::string& why);
  void note_quiescence(Node& node);
  void check_quiescence();
  void check_all();
  Node* leader();
  Node* any_leader();
  Node* random_alive();
  void fail(const std::string& problem);
  void event(const std::string& text);
  bool write(Node& node, const std::string& value);
  std::uint64_t heal_and_require_progress();
  void dump_state();

  SimOptions options_;
  DeterministicRandom random_;
  VirtualNetwork network_;
  std::map<NodeId, Node> nodes_;
  NodeId next_new_id_ = 0;
  SafetyChecker checker_;
  RegisterHistory history_;
  std::map<std::string, std::size_t> write_op_by_value_;
  std::vector<std::pair<std::size_t, std::uint64_t>> pending_writes_;  // (op, give-up tick)
  std::uint64_t now_ = 0;
  std::uint64_t events_ = 0;  // global event counter for the history
  std::uint64_t next_value_ = 0;
  std::uint64_t next_read_ = 0;
  std::string failure_;

  // Per-seed features.
  bool pre_vote_ = true;
  bool check_quorum_ = true;
  bool lease_reads_ = false;
  bool async_persist_ = false;
  bool pipelined_ = false;   // Config::async_storage_writes
  std::uint32_t chaos_ = 1;  // multiplies the crash and partition rates  // Readies sometimes stay
                             // unhandled while inputs arrive
  std::size_t max_inflight_ = 4;
  std::size_t max_append_bytes_ = 256;
  int quiesce_ticks_ = 0;  // Config::quiesce_ticks; 0: off
  int heartbeat_ticks_ = kHeartbeatTicks;

  // Quiescence seeds only (see liveness_oracle in sim_workload.cc).
  struct PendingWake {
    std::uint64_t due = 0;
    NodeId node = kNoNode;
    NodeId silent_peer = kNoNode;  // a peer gone silent: its followers are told so
    std::string why;
  };
  std::map<std::pair<NodeId, NodeId>, bool> hears_;  // (listener, peer) -> heard last tick
  std::vector<PendingWake> pending_wakes_;
  std::uint64_t clients_paused_until_ = 0;  // an idle stretch: no client or admin operations
  std::uint64_t quiesced_ticks_ = 0;        // ticks ending with a running leader quiesced
  std::uint64_t quiescences_ = 0;           // times a leader was seen entering quiescence
};

}  // namespace kahuna::raft::sim::detail
