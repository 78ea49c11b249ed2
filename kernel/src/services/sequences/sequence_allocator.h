// SequenceAllocator: the partition leader's in-memory blocks of sequence
// values, so that `next` and `reserve` without an idempotency key are served
// without a Raft round trip.
//
// How the leader uses it:
//   1. take(name, count): values from the block in memory, or nullopt.
//   2. On nullopt, propose SequenceReserveBlock{name, count, default}; the
//      reply's allocation is the requester's, and the rest of the block comes
//      back to this allocator through block_reserved() while the command is
//      applied (the allocator is the partition's SequenceObserver).
// Every value in a block is at or below the durable mark the block's command
// wrote, and each block is computed when its command is applied, above every
// earlier one. The allocator keeps only blocks its own node proposed, so no
// two nodes ever serve the same block, and a node that is deposed without
// noticing at once can finish serving its block without colliding with the
// new leader, which allocates above the mark. Call clear() whenever this
// node's leadership of the partition starts or ends, so a leader never serves
// a block from an earlier leadership out of order. Unused values are lost
// (gaps are allowed).
//
// Within one leadership, allocations ascend: a new block replaces what is left
// of the old one (its values are below the new mark), and any other change of
// the sequence drops the block (sequence_changed()).
//
// Not thread safe: it belongs to the partition's strand, like its state
// machine.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "services/sequences/sequence_observer.h"

namespace kahuna::services {

class SequenceAllocator final : public SequenceObserver {
 public:
  // `node` is this node's id, as the leader stamps it into its commands.
  explicit SequenceAllocator(std::int32_t node) noexcept : node_(node) {}

  // `count` (>= 1) consecutive values of the block of `name`, removed from it;
  // nullopt, and nothing removed, when the block holds fewer.
  std::optional<SequenceAllocation> take(std::string_view name, std::int64_t count);

  // Values left in memory for `name`.
  std::int64_t available(std::string_view name) const;

  // Ignores blocks other nodes proposed.
  void block_reserved(std::string_view name, std::int32_t proposer, const SequenceAllocation& leftover,
                      std::int64_t increment) override;
  void sequence_changed(std::string_view name) override;

  // Forgets every block.
  void clear() noexcept { blocks_.clear(); }
  std::size_t block_count() const noexcept { return blocks_.size(); }

 private:
  struct Block {
    std::int64_t next = 0;       // the next value to hand out
    std::int64_t remaining = 0;  // values left, `increment` apart
    std::int64_t increment = 1;
    std::int64_t revision = 0;  // the sequence revision that reserved the block
  };

  std::int32_t node_;
  std::map<std::string, Block, std::less<>> blocks_;
};

}  // namespace kahuna::services
