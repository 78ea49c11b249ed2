// Node: drives one raft::Core for one group, as a C++20 coroutine on its
// own strand.
//
// The loop feeds the core its inputs (ticks on a timer, messages from peers,
// proposals and reads from callers) and hands each Ready's work on.
//
// Pipelined (Config::async_storage_writes, ready.h "Pipelining"): the loop
// never waits for the disk. A leader's appends leave at once; what a Ready
// asks to persist goes to the persist lane, which writes everything queued
// meanwhile as one write through NodeStorage (the node's log writer merges
// the writes of every group into one synced commit), then sends the
// messages that promise it and tells the core; committed entries go to the
// apply lane, which applies everything queued meanwhile in one call to the
// StateMachine and answers proposals and reads. So a group's next batch is
// being written while the last one is applied, and its own disk write no
// longer holds back a commit that two followers already made.
//
// In order (the default of Config): each Ready is persisted, sent, applied
// and advanced before the next; inputs arriving meanwhile queue up and go
// into the next one.
//
// Callers on any executor co_await propose() and read(); each completes with
// the applied result or a clear reason it did not happen (not leader, with
// a hint; timed out, outcome unknown; dropped by a leader change; shutting
// down).
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kahuna/raft/conf_change.h"
#include "kahuna/raft/config.h"
#include "kahuna/raft/core.h"
#include "kahuna/raft/node_interfaces.h"

namespace kahuna::raft {

// What became of a proposal or read. For a proposal each result says
// whether it can have been applied, because only that tells a caller
// whether sending it again is safe:
//   not applied, never will be:  kNotLeader, kRetry, kDropped, kShuttingDown
//   may have been applied:       kTimeout, kUnknown
enum class NodeResult : std::uint8_t {
  kOk,
  kNotLeader,  // this node does not lead the group; see leader_hint. Nothing was appended.
  kRetry,      // a transient state (election, leadership transfer): nothing was appended; try again shortly
  kTimeout,    // the deadline passed first; an appended proposal may or may not be applied
  kDropped,    // its log index committed with another leader's entry: it was not applied and never will be
  kShuttingDown,  // the node stopped before the proposal was appended: it was not applied
  kUnknown,       // appended, but the node can no longer follow it: it stopped, a snapshot replaced
                  // the log around it, or a later leadership reused its index; it may still commit
};

const char* to_string(NodeResult result);

struct ProposalOutcome {
  NodeResult result = NodeResult::kOk;
  NodeId leader_hint = kNoNode;
  Index index = 0;     // where the entry was applied (kOk)
  std::string output;  // what the state machine returned for it (kOk)
};

struct ReadOutcome {
  NodeResult result = NodeResult::kOk;
  NodeId leader_hint = kNoNode;
  Index index = 0;  // the state machine has applied at least this far
};

// A consistent picture of the node for status pages and routing.
struct NodeStatus {
  NodeId leader = kNoNode;
  Role role = Role::kFollower;
  Term term = 0;
  Index commit = 0;
  Index applied = 0;
  Index first_index = 0;
  Index last_index = 0;
  bool quiesced = false;  // the group stopped ticking (Config::quiesce_ticks)
  bool retired = false;   // Core::retire(), until a leader contacts it
};

class Node {
 public:
  struct Options {
    Config core;                                   // core.storage is filled in by the node
    std::chrono::milliseconds tick_interval{100};  // one Core::tick() per interval
    // Compact once this many applied entries sit in the log after the
    // last snapshot, and they hold at least as many bytes as the last
    // snapshot image (so a large state is not copied again every few
    // thousand writes: compaction costs at most as much as the writes did);
    // 0 disables compaction.
    std::uint64_t compact_after_entries = 10000;
  };

  Node(asio::any_io_executor executor, std::uint32_t group, Options options, NodeStorage& storage,
       StateMachine& state_machine, MessageSender& sender);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Starts the loop. Call once.
  void start();

  // Ends the loop: pending and later requests complete with kShuttingDown.
  // Any thread; idempotent. wait_stopped() completes once the loop is gone.
  void stop();
  asio::awaitable<void> wait_stopped();

  // A message from a peer for this group. Any thread; never blocks.
  void receive(Message message);

  // Proposes `data`; completes when it is applied (with the state machine's
  // output), or with the reason it was not.
  asio::awaitable<ProposalOutcome> propose(std::string data, std::chrono::steady_clock::time_point deadline);

  // A linearizable read barrier: completes once this node's state machine
  // has applied everything committed before the call (ReadIndex), so a read
  // of local state that follows reflects every write acknowledged earlier.
  asio::awaitable<ReadOutcome> read(std::chrono::steady_clock::time_point deadline);

  // Proposes one membership change (conf_change.h: add a learner, promote
  // it, remove a node); completes like propose() once the change is applied
  // here, or with the reason it was not (kRetry while another change is
  // still pending, or for a change the membership does not allow).
  asio::awaitable<ProposalOutcome> propose_conf_change(ConfChange change,
                                                       std::chrono::steady_clock::time_point deadline);

  // The group's membership as this node's log holds it, and the index of
  // the log entry that set it (raised by every change).
  ConfState membership() const;
  Index membership_index() const;

  // Leader only: how far each learner's log matches the leader's, so a
  // learner is promoted only once it has caught up. Empty elsewhere.
  std::vector<std::pair<NodeId, Index>> learner_progress() const;

  // Asks the leader to hand leadership to `target`.
  void transfer_leadership(NodeId target);

  // Campaigns at once (a single-node group elects itself without waiting
  // out an election timeout).
  void campaign();

  // Starts a quiesced group ticking again (Core::wake): the application
  // suspects that a peer died or came back. Any thread; cheap.
  void wake();
  // Core::suspect_leader: the leader's node has been silent; a quiesced
  // follower campaigns soon. Any thread; cheap.
  void suspect_leader();
  // Core::retire: this replica was removed without learning it. Any thread.
  void retire();

  NodeStatus status() const;
  std::uint32_t group() const { return group_; }

 private:
  template <class T>
  class Waiter;
  using ProposalWaiter = Waiter<ProposalOutcome>;
  using ReadWaiter = Waiter<ReadOutcome>;

  struct Inbox {
    std::vector<Message> messages;
    std::vector<std::pair<std::string, std::shared_ptr<ProposalWaiter>>> proposals;
    std::vector<std::pair<ConfChange, std::shared_ptr<ProposalWaiter>>> conf_changes;
    std::vector<std::shared_ptr<ReadWaiter>> reads;
    std::vector<NodeId> transfers;
    bool campaign = false;
    bool wake = false;
    bool suspect_leader = false;
    bool retire = false;
    bool empty() const {
      return messages.empty() && proposals.empty() && conf_changes.empty() && reads.empty() &&
             transfers.empty() && !campaign && !wake && !suspect_leader && !retire;
    }
  };

  struct PendingProposal {
    Term term;
    std::shared_ptr<ProposalWaiter> waiter;
  };

  asio::awaitable<void> run();
  // Enqueues under the inbox lock and wakes the loop if it sleeps.
  // False once the loop has ended.
  template <class Fill>
  bool enqueue(Fill fill);
  void take_inputs(Inbox& inbox);
  // In order: one Ready persisted, sent, applied, advanced.
  asio::awaitable<bool> handle_ready();
  // Pipelined: one Ready handed to the lanes (a snapshot waits for both to
  // drain and is handled here).
  asio::awaitable<bool> hand_out_ready();
  void start_persist_lane();
  asio::awaitable<void> persist_lane();
  void start_apply_lane();
  asio::awaitable<void> apply_lane();
  asio::awaitable<void> wait_for_lanes();
  void note_lane_progress();
  asio::awaitable<bool> install_snapshot(const Ready& ready);
  // A Ready's appends may leave before its write (ready.h); every other
  // message promises what the write holds and leaves only after it.
  void send_appends(const Ready& ready);
  void send_after_persist(const Ready& ready);
  void take_read_states(const Ready& ready);
  bool pipelined() const { return options_.core.async_storage_writes; }
  // Log compaction runs beside the loop: start_compaction_if_due() freezes
  // the state, encode_image() makes its image in the background while the
  // loop goes on, and store_finished_image() compacts the log with it
  // between Readies. A large state is thus copied without stalling the group.
  void start_compaction_if_due();
  asio::awaitable<void> encode_image(Index index, std::unique_ptr<StateMachine::Image> image);
  asio::awaitable<bool> store_finished_image();
  void complete_applied(const std::vector<Entry>& entries, const std::vector<std::string>& outputs);
  void release_reads();
  // The loop ended: completes every waiting request (kShuttingDown for what
  // was never appended, kUnknown for appended proposals).
  void fail_everything();
  void publish_status();
  // Waits for a proposal the core accepted (or answers why it did not).
  void track_proposal(const ProposeResult& result, std::shared_ptr<ProposalWaiter> waiter);

  const std::uint32_t group_;
  Options options_;
  NodeStorage& storage_;
  StateMachine& state_machine_;
  MessageSender& sender_;
  asio::strand<asio::any_io_executor> strand_;
  asio::steady_timer wake_;  // strand only
  std::unique_ptr<Core> core_;

  std::mutex inbox_mutex_;
  Inbox inbox_;
  bool loop_sleeping_ = false;
  bool loop_ended_ = false;
  std::atomic<bool> stopping_{false};
  std::shared_ptr<Waiter<bool>> stopped_waiter_;  // completed when the loop has ended

  // Strand-only request bookkeeping.
  std::map<Index, PendingProposal> proposals_;                         // by index
  std::map<std::string, std::shared_ptr<ReadWaiter>> reads_waiting_;   // by context
  std::multimap<Index, std::shared_ptr<ReadWaiter>> reads_confirmed_;  // by read index
  std::uint64_t next_read_context_ = 1;
  Index applied_ = 0;
  // Bytes of entries applied since the last compaction, and the size of
  // that compaction's image (start_compaction_if_due).
  std::uint64_t applied_bytes_since_compaction_ = 0;
  std::uint64_t last_image_bytes_ = 0;
  // Strand-only: an image being encoded, and one encoded but not yet stored.
  struct FinishedImage {
    Index index = 0;
    std::string data;
  };
  bool image_in_progress_ = false;
  std::optional<FinishedImage> finished_image_;
  // Strand-only, pipelined: the lanes' queues, whether each lane runs, and
  // whether one made progress the loop has not looked at yet.
  std::deque<Ready> persist_queue_;
  std::deque<std::vector<Entry>> apply_queue_;
  bool persist_lane_running_ = false;
  bool apply_lane_running_ = false;
  bool lane_progress_ = false;
  bool storage_failed_ = false;

  mutable std::mutex status_mutex_;
  NodeStatus status_;
  ConfState membership_;        // under status_mutex_; the loop keeps its own copy below
  Index membership_index_ = 0;  // under status_mutex_
  std::vector<std::pair<NodeId, Index>> learner_match_;  // under status_mutex_
  ConfState published_membership_;
};

}  // namespace kahuna::raft
