// What the replicated state keeps for a sequence, and for each idempotency
// key of its recent allocations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <kahuna/status.h>

#include "services/clock/hlc.h"

namespace kahuna::services {

struct SequenceRecord {
  // The durable high-water mark: no value above it was ever handed out, by
  // this leader or an earlier one. A new leader starts above it.
  std::int64_t current_value = 0;
  std::int64_t initial_value = 0;
  std::int64_t increment = 1;  // > 0
  std::optional<std::int64_t> max_value;
  std::optional<std::int64_t> block_size;
  std::int64_t incarnation = 0;  // +1 per update
  std::int64_t revision = 0;     // +1 per replicated write
  HlcTimestamp created_at;
  HlcTimestamp updated_at;
  // The idempotency table's order numbers: entries first..next-1 may exist.
  std::uint64_t idempotency_first = 0;
  std::uint64_t idempotency_next = 0;

  friend bool operator==(const SequenceRecord&, const SequenceRecord&) = default;
};

std::string encode_sequence_record(const SequenceRecord& record);
Status decode_sequence_record(std::string_view data, SequenceRecord& out);

// The allocation an idempotency key got, returned again to a retry.
struct IdempotencyEntry {
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::int64_t count = 0;
  std::int64_t revision = 0;
  HlcTimestamp stamp;  // when it was allocated

  friend bool operator==(const IdempotencyEntry&, const IdempotencyEntry&) = default;
};

std::string encode_idempotency_entry(const IdempotencyEntry& entry);
Status decode_idempotency_entry(std::string_view data, IdempotencyEntry& out);

// The value of an idempotency order key: which key, allocated when.
struct IdempotencyOrder {
  std::string key;
  HlcTimestamp stamp;
};

std::string encode_idempotency_order(const IdempotencyOrder& order);
Status decode_idempotency_order(std::string_view data, IdempotencyOrder& out);

}  // namespace kahuna::services
