// SequenceOptions: limits of the sequencer.
//
// Like KvOptions these decide outcomes of replicated commands: every replica
// of a partition must use the same values. (The default block size is not
// here: the leader puts it into each SequenceReserveBlock command.)
#pragma once

#include <cstddef>
#include <cstdint>

namespace kahuna::services {

struct SequenceOptions {
  // A longer name is invalidInput.
  std::size_t max_name_bytes = 1024;
  // A longer idempotency key is invalidInput (HTTP-API.md §7: <= 1 KiB).
  std::size_t max_idempotency_key_bytes = 1024;
  // Idempotency keys remembered per sequence. When a new key would exceed it
  // the oldest is forgotten, even if younger than the retention below.
  std::uint64_t idempotency_capacity = 1024;
  // A remembered key is forgotten once it is older than this (by command
  // stamps), so an idle table shrinks; retries within it get the same
  // allocation (HTTP-API.md §7 asks for at least 10 minutes).
  std::int64_t idempotency_retention_ms = 10 * 60 * 1000;
};

}  // namespace kahuna::services
