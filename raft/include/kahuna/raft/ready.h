// Ready: everything the Core asks the application to do after one or more inputs.
//
// The application handles a Ready in this order, then calls Core::advance(ready):
//
//   1. Persist `snapshot` (if any; it replaces the whole log), then append `entries` to
//      the log (truncating any existing entries at or after the first new index), then
//      store `hard_state` (if any). Entries must be durable no later than the hard state
//      that refers to them (its commit index may point into them). Doing all three in one
//      atomic batch satisfies this.
//   2. Send `messages`, and only after step 1 is durable: a vote, an append
//      acknowledgement or a commit index in these messages promises what step 1
//      persists. Sending earlier could, after a crash, let this node vote twice in a term
//      or acknowledge entries it lost.
//      One exception: messages of type kAppend (a leader replicating its log) may be sent
//      before or during step 1. A leader counts its own entries toward a commit only once
//      advance() says they are persisted, so an append never carries a commit index that
//      rests on this node's memory, and the entries it carries are the leader's to
//      propose whether or not its own write survives. Sending them first lets the
//      followers' disk writes overlap the leader's (Raft thesis, section 10.2.1).
//   3. Restore the state machine from `snapshot` (if any), then apply
//      `committed_entries` in order. They may include entries from `entries`: apply them
//      only after step 1.
//   4. Answer each read in `read_states` once the applied index reaches its index.
//   5. Call Core::advance(ready).
//
// Readies are handled one at a time: ready() may be called again only after advance().
// step(), tick() and the request methods may be called between ready() and advance();
// their effects show up in the next Ready. (If such an input replaces entries of the
// outstanding Ready, the next Ready may repeat some unchanged entries before the new
// ones; appending them again is harmless.)
//
// Pipelining (Config::async_storage_writes). ready() may be called again before
// earlier Readies are handled, so a group keeps taking proposals and sending appends
// while its disk write is in flight. Each Ready then hands out only what no earlier one
// did: the entries not yet handed out to be persisted (or, when an input replaced some
// of those, the new ones from the first replaced index on), a hard state that differs
// from the last one handed out, committed entries after the last ones handed out. The
// application:
//   - persists Readies strictly in the order it got them (each one as in step 1), and
//     calls Core::persisted(ready) when one is durable;
//   - sends a Ready's messages other than kAppend only once that Ready and every
//     earlier one are durable (even a Ready with nothing to persist: an
//     acknowledgement in it may speak of entries an earlier Ready is still writing);
//   - applies committed entries in order, in a Ready or in a later step (they are
//     already durable on this node: the core hands out only those), and calls
//     Core::applied(index) once everything handed out up to `index` is applied;
//   - handles a Ready holding a snapshot only after every earlier Ready is persisted
//     and applied: then persists it, restores it, and reports both;
//   - never calls advance().
#pragma once

#include <optional>
#include <vector>

#include "kahuna/raft/message.h"
#include "kahuna/raft/types.h"

namespace kahuna::raft {

struct Ready {
  std::optional<SoftState> soft_state;   // set when leader or role changed
  std::optional<HardState> hard_state;   // set when it must be persisted
  std::optional<Snapshot> snapshot;      // from a leader: persist, then restore from it
  std::vector<Entry> entries;            // to append to stable storage
  std::vector<Entry> committed_entries;  // to apply to the state machine
  std::vector<Message> messages;         // to send after persisting
  std::vector<ReadState> read_states;    // confirmed linearizable reads

  bool empty() const {
    return !soft_state && !hard_state && !snapshot && entries.empty() && committed_entries.empty() &&
           messages.empty() && read_states.empty();
  }
};

}  // namespace kahuna::raft
