#include "services/kv/kv_version_store.h"

#include <string>

#include "services/codec/byte_writer.h"

namespace kahuna::services {

namespace {

Status load_record(const StateReader& reader, const std::string& storage_key, std::optional<KvRecord>& out) {
  out.reset();
  std::string bytes;
  Status status = reader.get(storage_key, bytes);
  if (status.code() == StatusCode::kNotFound) return Status::ok();
  if (!status.is_ok()) return status;
  KvRecord record;
  if (Status s = decode_kv_record(bytes, record); !s.is_ok()) return s;
  out = std::move(record);
  return Status::ok();
}

}  // namespace

Status KvVersionStore::load_current(const StateReader& reader, std::string_view key,
                                    std::optional<KvRecord>& out) const {
  return load_record(reader, layout_.kv_key(key), out);
}

Status KvVersionStore::load_revision(const StateReader& reader, std::string_view key, std::int64_t revision,
                                     std::optional<KvRecord>& out) const {
  out.reset();
  if (revision < 0) return Status::ok();
  // Superseded revisions (and the live version of a TTL-removed one) are in
  // the history; the newest revision is only in the current record.
  if (Status s = load_record(reader, layout_.kv_history_key(key, revision), out); !s.is_ok()) return s;
  if (out) {
    if (!out->keep_history) out.reset();  // a value-less marker
    return Status::ok();
  }
  std::optional<KvRecord> current;
  if (Status s = load_current(reader, key, current); !s.is_ok()) return s;
  if (current && current->revision == revision && current->keep_history &&
      current->state != KvRecord::State::kExpired) {
    out = std::move(current);
  }
  return Status::ok();
}

Status KvVersionStore::load_as_of(const StateReader& reader, std::string_view key, const HlcTimestamp& as_of,
                                  std::optional<KvRecord>& out) const {
  out.reset();
  std::optional<KvRecord> current;
  if (Status s = load_current(reader, key, current); !s.is_ok()) return s;
  if (!current) return Status::ok();
  if (current->modified <= as_of) {
    out = std::move(current);
    return Status::ok();
  }
  // Walk the (bounded) history. The answer is the highest revision modified
  // at or before `as_of`, and only if the revision after it is known (in the
  // history, or the current record): when retention or a configuration change
  // dropped it, the version current at `as_of` is unknown, and an older value
  // would be a wrong answer.
  const KeyRange range = layout_.kv_history_range(key);
  auto cursor = reader.scan(range.begin, range.end);
  std::optional<KvRecord> best;
  bool successor_known = false;
  for (; cursor->valid(); cursor->next()) {
    KvRecord record;
    if (Status s = decode_kv_record(cursor->value(), record); !s.is_ok()) return s;
    // Entries come in revision order (the key ends with the big-endian revision).
    if (best && record.revision == best->revision + 1) successor_known = true;
    if (record.modified <= as_of && (!best || record.revision > best->revision)) {
      best = std::move(record);
      successor_known = false;
    }
  }
  if (!cursor->status().is_ok()) return cursor->status();
  if (!best) return Status::ok();
  // A TTL removal keeps the revision: its history entry is the live version
  // and the current tombstone (modified after `as_of`) shares its number.
  if (best->revision + 1 == current->revision || best->revision == current->revision) successor_known = true;
  // A value-less marker stands for a version whose value was not kept.
  if (successor_known && best->keep_history) out = std::move(best);
  return Status::ok();
}

void KvVersionStore::unindex(ApplyContext& ctx, std::string_view key, const KvRecord& record) const {
  if (record.state == KvRecord::State::kLive && !record.expiry.is_zero()) {
    ctx.remove(layout_.kv_expiry_key(record.expiry, key));
  }
}

void KvVersionStore::index(ApplyContext& ctx, std::string_view key, const KvRecord& record) const {
  if (record.state == KvRecord::State::kLive && !record.expiry.is_zero()) {
    ByteWriter w;
    w.svarint(record.revision);
    ctx.put(layout_.kv_expiry_key(record.expiry, key), w.data());
  }
}

void KvVersionStore::keep_in_history(ApplyContext& ctx, std::string_view key, const KvRecord& record) const {
  if (options_.history_revisions == 0) return;
  if (record.keep_history) {
    ctx.put(layout_.kv_history_key(key, record.revision), encode_kv_record(record));
    return;
  }
  // A setNoRevision version leaves a value-less marker: reads by number
  // must not find it, but a read as of a time needs to know it was current
  // then, rather than answer with the older value before it.
  KvRecord marker = record;
  marker.value.reset();
  ctx.put(layout_.kv_history_key(key, record.revision), encode_kv_record(marker));
}

void KvVersionStore::write(ApplyContext& ctx, std::string_view key, const std::optional<KvRecord>& previous,
                           const KvRecord& next) const {
  if (previous) {
    unindex(ctx, key, *previous);
    // An kExpired tombstone's revision is already in the history with its
    // value (drop_expired put it there).
    if (previous->state != KvRecord::State::kExpired) keep_in_history(ctx, key, *previous);
  }
  // Retention: the revision that just left the window of the last N.
  const std::int64_t leaving = next.revision - static_cast<std::int64_t>(options_.history_revisions) - 1;
  if (options_.history_revisions > 0 && leaving >= 0) ctx.remove(layout_.kv_history_key(key, leaving));
  index(ctx, key, next);
  ctx.put(layout_.kv_key(key), encode_kv_record(next));
}

void KvVersionStore::rewrite(ApplyContext& ctx, std::string_view key, const KvRecord& previous,
                             const KvRecord& next) const {
  unindex(ctx, key, previous);
  index(ctx, key, next);
  ctx.put(layout_.kv_key(key), encode_kv_record(next));
}

void KvVersionStore::drop_expired(ApplyContext& ctx, std::string_view key, const KvRecord& previous,
                                  const HlcTimestamp& stamp) const {
  unindex(ctx, key, previous);
  keep_in_history(ctx, key, previous);
  KvRecord tombstone;
  tombstone.state = KvRecord::State::kExpired;
  tombstone.revision = previous.revision;
  tombstone.created = previous.created;
  tombstone.modified = stamp;
  tombstone.keep_history = previous.keep_history;
  ctx.put(layout_.kv_key(key), encode_kv_record(tombstone));
}

}  // namespace kahuna::services
