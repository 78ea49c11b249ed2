// Ephemeral durability: locks and keys that live only in the partition
// leader's memory (HTTP-API.md §2, durability 0). No Raft: the leader stamps
// the command with its HybridClock and applies it at once to its MemoryState,
// through the same state machine as replicated commands. Lost on failover, by
// design.
#pragma once

#include "services/partition/partition_state_machine.h"
#include "services/storage/memory_state.h"

namespace kahuna::services {

// Applies `command` to `state` and commits its writes there immediately. A
// non-ok Status only for corrupt state (memory reads do not fail otherwise).
Status apply_ephemeral(const PartitionStateMachine& machine, MemoryState& state, const Command& command,
                       Reply& reply);

}  // namespace kahuna::services
