#include "services/sequences/sequence_state_machine.h"

#include <algorithm>
#include <limits>
#include <string>

#include "services/commands/name_rules.h"

namespace kahuna::services {

namespace {

SequenceReply reply_with(SequenceCode code, std::int64_t revision = 0) {
  SequenceReply reply;
  reply.code = code;
  reply.revision = revision;
  return reply;
}

// mark + steps * increment, for results the caller knows fit in int64 (from
// values_left()). Computed in unsigned arithmetic because the product alone
// may not fit when the mark is negative.
std::int64_t advance(std::int64_t mark, std::uint64_t steps, std::int64_t increment) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(mark) +
                                   steps * static_cast<std::uint64_t>(increment));
}

// `count` values from just above `mark`, `increment` apart. The caller has
// checked with values_left() that they fit.
SequenceAllocation allocate_above(std::string_view name, std::int64_t mark, std::int64_t increment,
                                  std::int64_t count, std::int64_t revision) {
  SequenceAllocation allocation;
  allocation.name = std::string(name);
  allocation.start = advance(mark, 1, increment);
  allocation.end = advance(mark, static_cast<std::uint64_t>(count), increment);
  allocation.count = count;
  allocation.revision = revision;
  return allocation;
}

}  // namespace

std::uint64_t values_left(std::int64_t mark, std::int64_t increment,
                          const std::optional<std::int64_t>& max_value) {
  const std::int64_t limit = max_value.value_or(std::numeric_limits<std::int64_t>::max());
  if (mark >= limit || increment <= 0) return 0;
  // limit - mark is positive and fits in 64 unsigned bits.
  const std::uint64_t room = static_cast<std::uint64_t>(limit) - static_cast<std::uint64_t>(mark);
  return room / static_cast<std::uint64_t>(increment);
}

bool SequenceStateMachine::valid_name(std::string_view name) const noexcept {
  return !is_blank(name) && !is_reserved_name(name) && name.size() <= options_.max_name_bytes;
}

Status SequenceStateMachine::load(const StateReader& reader, std::string_view name,
                                  std::optional<SequenceRecord>& out) const {
  out.reset();
  std::string bytes;
  Status status = reader.get(layout_.sequence_key(name), bytes);
  if (status.code() == StatusCode::kNotFound) return Status::ok();
  if (!status.is_ok()) return status;
  SequenceRecord record;
  if (Status s = decode_sequence_record(bytes, record); !s.is_ok()) return s;
  out = record;
  return Status::ok();
}

void SequenceStateMachine::store(ApplyContext& ctx, std::string_view name,
                                 const SequenceRecord& record) const {
  ctx.put(layout_.sequence_key(name), encode_sequence_record(record));
}

Status SequenceStateMachine::create(ApplyContext& ctx, const HlcTimestamp& stamp,
                                    const SequenceCreate& command, SequenceReply& reply,
                                    SequenceObserver* observer) const {
  if (!valid_name(command.name) || command.increment <= 0 ||
      (command.max_value && *command.max_value < command.initial_value) ||
      (command.block_size && *command.block_size < 1)) {
    reply = reply_with(SequenceCode::kInvalidInput);
    return Status::ok();
  }
  std::optional<SequenceRecord> existing;
  if (Status s = load(ctx, command.name, existing); !s.is_ok()) return s;
  if (existing) {
    reply = reply_with(SequenceCode::kAlreadyExists, existing->revision);
    return Status::ok();
  }
  SequenceRecord record;
  record.current_value = command.initial_value;
  record.initial_value = command.initial_value;
  record.increment = command.increment;
  record.max_value = command.max_value;
  record.block_size = command.block_size;
  record.created_at = stamp;
  record.updated_at = stamp;
  store(ctx, command.name, record);
  if (observer) observer->sequence_changed(command.name);
  reply = reply_with(SequenceCode::kSuccess, record.revision);
  return Status::ok();
}

Status SequenceStateMachine::update(ApplyContext& ctx, const HlcTimestamp& stamp,
                                    const SequenceUpdate& command, SequenceReply& reply,
                                    SequenceObserver* observer) const {
  const bool changes_something = command.current_value || command.increment || command.initial_value ||
                                 command.max_value || command.block_size || command.remove_max_value ||
                                 command.remove_block_size;
  const bool contradicts =
      (command.max_value && command.remove_max_value) || (command.block_size && command.remove_block_size);
  if (!valid_name(command.name) || !changes_something || contradicts ||
      (command.increment && *command.increment <= 0) || (command.block_size && *command.block_size < 1)) {
    reply = reply_with(SequenceCode::kInvalidInput);
    return Status::ok();
  }
  std::optional<SequenceRecord> record;
  if (Status s = load(ctx, command.name, record); !s.is_ok()) return s;
  if (!record) {
    reply = reply_with(SequenceCode::kNotFound, -1);
    return Status::ok();
  }
  SequenceRecord next = *record;
  if (command.current_value) next.current_value = *command.current_value;
  if (command.increment) next.increment = *command.increment;
  if (command.initial_value) next.initial_value = *command.initial_value;
  if (command.max_value) next.max_value = command.max_value;
  if (command.remove_max_value) next.max_value.reset();
  if (command.block_size) next.block_size = command.block_size;
  if (command.remove_block_size) next.block_size.reset();
  if (next.max_value && *next.max_value < next.initial_value) {
    reply = reply_with(SequenceCode::kInvalidInput);
    return Status::ok();
  }
  ++next.incarnation;
  ++next.revision;
  next.updated_at = stamp;
  store(ctx, command.name, next);
  // Before the reply goes out the leader drops its block, so the very next
  // reserve is served at the new settings.
  if (observer) observer->sequence_changed(command.name);
  reply = reply_with(SequenceCode::kSuccess, next.revision);
  return Status::ok();
}

Status SequenceStateMachine::remove(ApplyContext& ctx, const HlcTimestamp& /*stamp*/,
                                    const SequenceDelete& command, SequenceReply& reply,
                                    SequenceObserver* observer) const {
  if (!valid_name(command.name)) {
    reply = reply_with(SequenceCode::kInvalidInput);
    return Status::ok();
  }
  std::optional<SequenceRecord> record;
  if (Status s = load(ctx, command.name, record); !s.is_ok()) return s;
  if (!record) {
    reply = reply_with(SequenceCode::kNotFound, -1);
    return Status::ok();
  }
  ctx.remove(layout_.sequence_key(command.name));
  idempotency_.forget_all(ctx, command.name);
  if (observer) observer->sequence_changed(command.name);
  reply = reply_with(SequenceCode::kSuccess, record->revision);
  return Status::ok();
}

Status SequenceStateMachine::reserve_block(ApplyContext& ctx, const HlcTimestamp& stamp,
                                           const SequenceReserveBlock& command, SequenceReply& reply,
                                           SequenceObserver* observer) const {
  if (!valid_name(command.name) || command.count < 1) {
    reply = reply_with(SequenceCode::kInvalidInput);
    return Status::ok();
  }
  std::optional<SequenceRecord> record;
  if (Status s = load(ctx, command.name, record); !s.is_ok()) return s;
  if (!record) {
    reply = reply_with(SequenceCode::kNotFound, -1);
    return Status::ok();
  }
  const std::uint64_t left = values_left(record->current_value, record->increment, record->max_value);
  const auto wanted = static_cast<std::uint64_t>(command.count);
  if (left < wanted) {
    reply = reply_with(SequenceCode::kMaxValueExceeded, record->revision);
    return Status::ok();
  }
  const std::int64_t block_size =
      std::max<std::int64_t>(1, record->block_size.value_or(command.default_block_size));
  // The block holds at least what the requester needs, and stops at max.
  const std::uint64_t granted = std::min(left, std::max(wanted, static_cast<std::uint64_t>(block_size)));
  const std::int64_t mark = record->current_value;
  SequenceRecord next = *record;
  next.current_value = advance(mark, granted, record->increment);
  ++next.revision;
  next.updated_at = stamp;
  store(ctx, command.name, next);

  reply = reply_with(SequenceCode::kSuccess, next.revision);
  reply.increment = record->increment;
  reply.allocation = allocate_above(command.name, mark, record->increment, command.count, next.revision);
  if (granted > wanted) {
    reply.leftover = allocate_above(command.name, reply.allocation.end, record->increment,
                                    static_cast<std::int64_t>(granted - wanted), next.revision);
  }
  if (observer) observer->block_reserved(command.name, stamp.node, reply.leftover, record->increment);
  return Status::ok();
}

Status SequenceStateMachine::reserve_range(ApplyContext& ctx, const HlcTimestamp& stamp,
                                           const SequenceReserveRange& command, SequenceReply& reply,
                                           SequenceObserver* observer) const {
  // An empty key is the same as none.
  const bool keyed = command.idempotency_key && !command.idempotency_key->empty();
  if (!valid_name(command.name) || command.count < 1 ||
      (keyed && command.idempotency_key->size() > options_.max_idempotency_key_bytes)) {
    reply = reply_with(SequenceCode::kInvalidInput);
    return Status::ok();
  }
  std::optional<SequenceRecord> record;
  if (Status s = load(ctx, command.name, record); !s.is_ok()) return s;
  if (!record) {
    reply = reply_with(SequenceCode::kNotFound, -1);
    return Status::ok();
  }
  if (keyed) {
    std::optional<IdempotencyEntry> seen;
    if (Status s = idempotency_.find(ctx, command.name, *command.idempotency_key, seen); !s.is_ok()) return s;
    if (seen) {
      // A retry: the same allocation again, nothing consumed. The same key
      // with another count is a different request, which is an error.
      if (seen->count != command.count) {
        reply = reply_with(SequenceCode::kInvalidInput, record->revision);
        return Status::ok();
      }
      reply = reply_with(SequenceCode::kSuccess, seen->revision);
      reply.allocation =
          SequenceAllocation{command.name, seen->start, seen->end, seen->count, seen->revision};
      return Status::ok();
    }
  }
  if (values_left(record->current_value, record->increment, record->max_value) <
      static_cast<std::uint64_t>(command.count)) {
    reply = reply_with(SequenceCode::kMaxValueExceeded, record->revision);
    return Status::ok();
  }
  SequenceRecord next = *record;
  ++next.revision;
  next.updated_at = stamp;
  const SequenceAllocation allocation =
      allocate_above(command.name, record->current_value, record->increment, command.count, next.revision);
  next.current_value = allocation.end;
  if (keyed) {
    const IdempotencyEntry entry{allocation.start, allocation.end, allocation.count, allocation.revision,
                                 stamp};
    if (Status s = idempotency_.remember(ctx, command.name, *command.idempotency_key, entry, next);
        !s.is_ok()) {
      return s;
    }
  }
  store(ctx, command.name, next);
  // The mark moved past the leader's block: serving the rest of that block
  // now would hand out values below this allocation.
  if (observer) observer->sequence_changed(command.name);
  reply = reply_with(SequenceCode::kSuccess, next.revision);
  reply.allocation = allocation;
  return Status::ok();
}

Status SequenceStateMachine::next(ApplyContext& ctx, const HlcTimestamp& stamp, const SequenceNext& command,
                                  SequenceReply& reply, SequenceObserver* observer) const {
  return reserve_range(ctx, stamp, SequenceReserveRange{command.name, 1, command.idempotency_key}, reply,
                       observer);
}

Status SequenceStateMachine::get(const StateReader& reader, std::string_view name,
                                 SequenceReply& reply) const {
  if (!valid_name(name)) {
    reply = reply_with(SequenceCode::kInvalidInput, -1);
    return Status::ok();
  }
  std::optional<SequenceRecord> record;
  if (Status s = load(reader, name, record); !s.is_ok()) return s;
  if (!record) {
    reply = reply_with(SequenceCode::kNotFound, -1);
    return Status::ok();
  }
  reply = reply_with(SequenceCode::kSuccess, record->revision);
  reply.sequence =
      SequenceInfo{std::string(name),  record->current_value, record->initial_value, record->increment,
                   record->max_value,  record->block_size,    record->incarnation,   record->revision,
                   record->created_at, record->updated_at};
  return Status::ok();
}

}  // namespace kahuna::services
