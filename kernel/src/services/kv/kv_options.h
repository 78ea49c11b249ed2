// KvOptions: limits and retention of the key/value store.
//
// These decide outcomes of replicated commands, so every replica of a
// partition must use the same values (they are cluster settings, not node
// settings): a replica with a smaller value limit would refuse a write the
// others accept and its state would diverge.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kahuna::services {

struct KvOptions {
  // A longer key is invalidInput.
  std::size_t max_key_bytes = 1024;
  // A longer value (or compare value) is invalidInput.
  std::size_t max_value_bytes = 1024 * 1024;
  // Superseded revisions kept per key for reads at a revision or a timestamp:
  // after a write of revision R, revisions R-N..R-1 stay readable (those that
  // were not written with setNoRevision). 0 keeps no history. Lowering it
  // later leaves older entries in place until their key is written again.
  std::uint32_t history_revisions = 16;
  // Range reads return at most this many rows per page whatever the client's
  // limit; hasMore tells it to continue.
  std::size_t max_page_size = 1000;
};

}  // namespace kahuna::services
