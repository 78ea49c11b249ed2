#include "services/sequences/idempotency_table.h"

#include <string>

namespace kahuna::services {

namespace {
// Forgetting is spread over commands: one command never deletes more than
// this many old keys, however many have aged out.
constexpr int kMaxForgetsPerCommand = 16;
}  // namespace

Status IdempotencyTable::find(const StateReader& reader, std::string_view name, std::string_view key,
                              std::optional<IdempotencyEntry>& out) const {
  out.reset();
  std::string bytes;
  Status status = reader.get(layout_.idempotency_key(name, key), bytes);
  if (status.code() == StatusCode::kNotFound) return Status::ok();
  if (!status.is_ok()) return status;
  IdempotencyEntry entry;
  if (Status s = decode_idempotency_entry(bytes, entry); !s.is_ok()) return s;
  out = entry;
  return Status::ok();
}

Status IdempotencyTable::remember(ApplyContext& ctx, std::string_view name, std::string_view key,
                                  const IdempotencyEntry& entry, SequenceRecord& record) const {
  ctx.put(layout_.idempotency_key(name, key), encode_idempotency_entry(entry));
  ctx.put(layout_.idempotency_order_key(name, record.idempotency_next),
          encode_idempotency_order(IdempotencyOrder{std::string(key), entry.stamp}));
  ++record.idempotency_next;

  const HlcTimestamp now = entry.stamp;
  for (int forgotten = 0;
       forgotten < kMaxForgetsPerCommand && record.idempotency_first < record.idempotency_next; ++forgotten) {
    const bool over_capacity =
        record.idempotency_next - record.idempotency_first > options_.idempotency_capacity;
    const std::string order_key = layout_.idempotency_order_key(name, record.idempotency_first);
    std::string bytes;
    Status status = ctx.get(order_key, bytes);
    if (status.code() == StatusCode::kNotFound) {
      ++record.idempotency_first;  // nothing there to forget
      continue;
    }
    if (!status.is_ok()) return status;
    IdempotencyOrder oldest;
    if (Status s = decode_idempotency_order(bytes, oldest); !s.is_ok()) return s;
    const bool aged_out = hlc_after(oldest.stamp, options_.idempotency_retention_ms) <= now;
    if (!over_capacity && !aged_out) break;
    ctx.remove(order_key);
    ctx.remove(layout_.idempotency_key(name, oldest.key));
    ++record.idempotency_first;
  }
  return Status::ok();
}

void IdempotencyTable::forget_all(ApplyContext& ctx, std::string_view name) const {
  const KeyRange entries = layout_.idempotency_range(name);
  ctx.remove_range(entries.begin, entries.end);
  const KeyRange order = layout_.idempotency_order_range(name);
  ctx.remove_range(order.begin, order.end);
}

}  // namespace kahuna::services
