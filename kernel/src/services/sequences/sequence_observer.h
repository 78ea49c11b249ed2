// SequenceObserver: how the leader's in-memory allocator learns, in apply
// order, what the replicated sequence state did.
//
// The partition state machine calls it while applying; attach one only on the
// partition's leader (SequenceAllocator is the implementation). Calls happen
// on the thread that applies, after the command's writes are staged.
#pragma once

#include <cstdint>
#include <string_view>

#include "services/commands/replies.h"

namespace kahuna::services {

class SequenceObserver {
 public:
  virtual ~SequenceObserver() = default;

  // A reserve-block command proposed by node `proposer` (its stamp's node)
  // raised the durable mark; `leftover` is the part of the block that the
  // command did not hand to its requester (count 0 when none), values
  // `increment` apart, all at or below the new mark. Only the proposer may
  // serve it: two nodes serving one block would hand out values twice.
  virtual void block_reserved(std::string_view name, std::int32_t proposer,
                              const SequenceAllocation& leftover, std::int64_t increment) = 0;

  // The sequence was created, updated or deleted, or values were allocated
  // directly from its mark: a block held in memory is stale, since serving it
  // would break the settings or the ascending order of allocations.
  virtual void sequence_changed(std::string_view name) = 0;
};

}  // namespace kahuna::services
