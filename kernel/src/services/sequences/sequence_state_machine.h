// SequenceStateMachine: named sequences (HTTP-API.md §7), replicated part.
//
// The record's current_value is the durable high-water mark: every value ever
// handed out is at or below it, so a leader that starts after a failover and
// allocates above the mark never repeats a value. Two ways to allocate:
//  - reserve_block: the leader raises the mark by a block (the sequence's
//    block size, or the command's default) and serves the block from memory
//    (SequenceAllocator); the requester that ran out gets the block's first
//    values in the reply;
//  - reserve_range / next: values straight from the mark, remembered under the
//    request's idempotency key so a retry gets the same allocation. Requests
//    with an idempotency key take this path.
// A run that would pass max_value fails with maxValueExceeded and consumes
// nothing. Every replicated write bumps the record's revision.
//
// Apply functions stage writes into `ctx`, fill `reply`, and tell `observer`
// (when not null: the leader's allocator) what changed. A non-ok Status is a
// storage failure: the caller must not go on applying.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "services/commands/command.h"
#include "services/commands/replies.h"
#include "services/sequences/idempotency_table.h"
#include "services/sequences/sequence_observer.h"
#include "services/sequences/sequence_options.h"
#include "services/sequences/sequence_record.h"
#include "services/storage/apply_context.h"
#include "services/storage/key_layout.h"

namespace kahuna::services {

class SequenceStateMachine {
 public:
  SequenceStateMachine(std::uint32_t partition_id, const SequenceOptions& options)
      : layout_(partition_id), options_(options), idempotency_(layout_, options_) {}

  // success (revision 0), alreadyExists, invalidInput (bad name,
  // increment <= 0, max below initial, block size < 1).
  Status create(ApplyContext& ctx, const HlcTimestamp& stamp, const SequenceCreate& command,
                SequenceReply& reply, SequenceObserver* observer) const;
  // success, notFound, invalidInput (nothing to change, a value together with
  // its remove flag, increment <= 0, block size < 1, max below initial).
  // Increments the incarnation.
  Status update(ApplyContext& ctx, const HlcTimestamp& stamp, const SequenceUpdate& command,
                SequenceReply& reply, SequenceObserver* observer) const;
  // success or notFound; forgets the sequence's idempotency keys too.
  Status remove(ApplyContext& ctx, const HlcTimestamp& stamp, const SequenceDelete& command,
                SequenceReply& reply, SequenceObserver* observer) const;
  // success with the requester's `count` values and the block's leftover,
  // notFound, invalidInput (count < 1), maxValueExceeded (fewer than `count`
  // values left below max; a block is cut short at max otherwise).
  Status reserve_block(ApplyContext& ctx, const HlcTimestamp& stamp, const SequenceReserveBlock& command,
                       SequenceReply& reply, SequenceObserver* observer) const;
  // success, notFound, invalidInput (count < 1, idempotency key too long, the
  // key reused with another count), maxValueExceeded.
  Status reserve_range(ApplyContext& ctx, const HlcTimestamp& stamp, const SequenceReserveRange& command,
                       SequenceReply& reply, SequenceObserver* observer) const;
  Status next(ApplyContext& ctx, const HlcTimestamp& stamp, const SequenceNext& command, SequenceReply& reply,
              SequenceObserver* observer) const;

  // success with the sequence object and its revision; notFound with
  // revision -1; invalidInput for a bad name.
  Status get(const StateReader& reader, std::string_view name, SequenceReply& reply) const;

  const KeyLayout& layout() const noexcept { return layout_; }

 private:
  bool valid_name(std::string_view name) const noexcept;
  Status load(const StateReader& reader, std::string_view name, std::optional<SequenceRecord>& out) const;
  void store(ApplyContext& ctx, std::string_view name, const SequenceRecord& record) const;

  KeyLayout layout_;
  SequenceOptions options_;
  IdempotencyTable idempotency_;
};

// How many values `increment` apart fit above `mark` without passing
// `max_value` (or the int64 range when there is none).
std::uint64_t values_left(std::int64_t mark, std::int64_t increment,
                          const std::optional<std::int64_t>& max_value);

}  // namespace kahuna::services
