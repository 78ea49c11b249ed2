// Config: the options of one Core. Plain struct with documented defaults.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "kahuna/raft/types.h"

namespace kahuna::raft {

class LogStorage;

struct Config {
  // This node's id; never kNoNode.
  NodeId id = kNoNode;

  // Durable state to start from and to read the log through. Not owned; must outlive
  // the Core.
  const LogStorage* storage = nullptr;

  // A follower that hears nothing from a leader for a random number of ticks in
  // [election_ticks, 2 * election_ticks) starts an election. Also the period of the
  // leader's check-quorum and the time a leadership transfer may take.
  int election_ticks = 10;

  // The leader sends heartbeats every heartbeat_ticks. Must be < election_ticks.
  int heartbeat_ticks = 1;

  // Run a pre-vote round before a real election (thesis 9.6), so a node that was cut
  // off does not disrupt the cluster by raising its term when it comes back.
  bool pre_vote = true;

  // The leader steps down when a quorum of voters has not been heard from for an
  // election timeout, and followers that heard from a leader within the last
  // election_ticks ignore vote requests (thesis 6.2).
  bool check_quorum = true;

  // Upper bound on the entry bytes carried by one append message (at least one entry is
  // always sent).
  std::size_t max_append_bytes = 1 << 20;

  // Upper bound on unacknowledged append messages per follower in replicate state.
  std::size_t max_inflight_appends = 64;

  // Serve reads on the leader without a heartbeat round while its lease holds (off by
  // default). Requires check_quorum. The lease is safe only if no node's clock runs
  // slower than another's by more than max_clock_drift_ticks over an election timeout.
  bool lease_reads = false;
  int max_clock_drift_ticks = 1;

  // A follower in snapshot state that has not acknowledged the snapshot after this many
  // ticks is probed again (the snapshot may have been lost).
  int snapshot_retry_ticks = 100;

  // Quiescence (core_quiesce.cc): a leader that has had no proposal, read or transfer
  // for this many ticks, with everything committed, applied and replicated to every
  // follower it hears from, sends one last heartbeat and stops ticking, and so do the
  // followers that receive it; wake() or any new input starts the group again. 0 never
  // quiesces. A quiesced follower of a dead leader campaigns only after wake(): the
  // application must call it when it suspects a peer (ReplicationHost does).
  int quiesce_ticks = 0;

  // Seed of the generator that randomizes election timeouts. Give each node its own.
  std::uint64_t random_seed = 0;

  // Asynchronous storage writes (ready.h, "Pipelining"): ready() may be called again
  // while earlier Readies are still being persisted and applied; the application
  // reports each persist with persisted() and each apply with applied() instead of
  // calling advance(). Lets a group take proposals and send appends while its own
  // disk write is in flight.
  bool async_storage_writes = false;

  // The highest log index the application has already applied to its state machine
  // (for a state machine that survives restarts); entries up to it are not handed out
  // again. 0 means "up to the snapshot in storage".
  Index applied = 0;
};

// Returns an empty string if the config is usable, else a description of the problem.
std::string validate(const Config& config);

}  // namespace kahuna::raft
