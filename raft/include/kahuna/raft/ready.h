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
    return !soft_state && !hard_state && !snapshot && entries.empty() &&
           committed_entries.empty() && messages.empty() && read_states.empty();
  }
};

}  // namespace kahuna::raft
