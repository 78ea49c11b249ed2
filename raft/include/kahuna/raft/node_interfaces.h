// What raft::Node needs from the application, per group: durable storage for
// the Raft state, a way to send messages, and the replicated state machine.
// The kernel implements these over its storage engine, log writer, peer
// transport and partition state machines; tests implement them in memory.
#pragma once

#include <asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kahuna/raft/log_storage.h"
#include "kahuna/raft/message.h"
#include "kahuna/raft/ready.h"
#include "kahuna/raft/types.h"

namespace kahuna::raft {

class NodeStorage {
 public:
  virtual ~NodeStorage() = default;

  // The durable log as the core reads it (Config::storage).
  virtual const LogStorage& log() const = 0;

  // Makes `ready`'s snapshot, entries and hard state durable — synced, in one
  // atomic write — and then visible through log(). False when the write
  // failed: the node cannot go on safely and stops.
  virtual asio::awaitable<bool> persist(const Ready& ready) = 0;

  // Makes `image`, the state machine's image at `index`, durable where a
  // later compact() at that index finds it. The node calls it beside its
  // loop, which goes on meanwhile: it may take long, but must not occupy
  // the node's thread. False when it failed (the compaction is skipped).
  virtual asio::awaitable<bool> store_image(Index index, const std::string& image) = 0;

  // Stores `snapshot` (from Core::compact, its image stored by store_image)
  // and drops the entries it covers.
  virtual asio::awaitable<bool> compact(const Snapshot& snapshot) = 0;
};

class MessageSender {
 public:
  virtual ~MessageSender() = default;
  // Sends `message` to message.to for group `group`. May drop it (Raft
  // retransmits); must not block.
  virtual void send(std::uint32_t group, const Message& message) = 0;
};

class StateMachine {
 public:
  virtual ~StateMachine() = default;

  // The index of the last entry the state machine has durably applied; the
  // node starts applying after it.
  virtual Index applied_index() const = 0;

  // Applies committed entries in log order, all of them, and returns one
  // result per entry (handed to whoever proposed it; empty for entries that
  // are not application data). Deterministic: the same entries produce the
  // same state and results on every replica.
  virtual asio::awaitable<std::vector<std::string>> apply(const std::vector<Entry>& entries) = 0;

  // A frozen view of the whole state, from which an image for log compaction
  // (and for followers too far behind) is made. See capture().
  class Image {
   public:
    virtual ~Image() = default;
    // The image of the state as it was at capture(). The node goes on
    // applying entries meanwhile, so this reads only the frozen view; it may
    // take long (the whole state is copied) and should not occupy the
    // node's thread while it does.
    virtual asio::awaitable<std::string> encode() = 0;
  };

  // Freezes the state as of applied_index() — called between applies, and
  // cheap (a storage snapshot, not a copy) because the node waits for it.
  virtual std::unique_ptr<Image> capture() = 0;

  // Replaces the whole state with `snapshot`'s image.
  virtual asio::awaitable<bool> restore(const Snapshot& snapshot) = 0;
};

}  // namespace kahuna::raft
