#include "services/kv/kv_state_machine.h"

#include "services/commands/name_rules.h"

namespace kahuna::services {

namespace {

constexpr std::uint32_t kKnownFlags =
    kSet | kSetNoRevision | kSetIfExists | kSetIfNotExists | kSetIfEqualToValue | kSetIfEqualToRevision;

KvReply reply_with(KvCode code, std::int64_t revision = 0, HlcTimestamp last_modified = {}) {
  KvReply reply;
  reply.code = code;
  reply.revision = revision;
  reply.last_modified = last_modified;
  return reply;
}

// Whether every condition `flags` asks for holds for the current record.
bool conditions_hold(std::uint32_t flags, const KvSet& command, const std::optional<KvRecord>& current,
                     bool live) {
  const std::int64_t current_revision = current ? current->revision : -1;
  if ((flags & kSetIfExists) && !live) return false;
  if ((flags & kSetIfNotExists) && live) return false;
  // null matches only a live null; "" matches only a live "".
  if ((flags & kSetIfEqualToValue) && !(live && current->value == command.compare_value)) return false;
  if ((flags & kSetIfEqualToRevision) && current_revision != command.compare_revision) return false;
  return true;
}

}  // namespace

bool KvStateMachine::valid_key(std::string_view key) const noexcept {
  return !key.empty() && !is_reserved_name(key) && key.size() <= store_.options().max_key_bytes;
}

Status KvStateMachine::held_by_intent(const StateReader& reader, std::string_view key, bool& held) const {
  std::optional<TxIntent> holder;
  Status s = intents_.intent_in_the_way(reader, key, HlcTimestamp{}, holder);
  held = holder.has_value();
  return s;
}

Status KvStateMachine::set(ApplyContext& ctx, const HlcTimestamp& stamp, const KvSet& command,
                           KvReply& reply) const {
  const auto& options = store_.options();
  const std::uint32_t flags = command.flags == 0 ? std::uint32_t{kSet} : command.flags;
  const bool value_too_long = command.value && command.value->size() > options.max_value_bytes;
  const bool compare_too_long =
      command.compare_value && command.compare_value->size() > options.max_value_bytes;
  if (!valid_key(command.key) || value_too_long || compare_too_long || command.expires_ms < 0 ||
      (flags & ~kKnownFlags) != 0) {
    reply = reply_with(KvCode::kInvalidInput);
    return Status::ok();
  }
  bool held = false;
  if (Status s = held_by_intent(ctx, command.key, held); !s.is_ok() || held) {
    reply = reply_with(KvCode::kMustRetry);
    return s;
  }
  std::optional<KvRecord> current;
  if (Status s = store_.load_current(ctx, command.key, current); !s.is_ok()) return s;
  const bool live = current && current->is_live(stamp);
  if (!conditions_hold(flags, command, current, live)) {
    reply = current ? reply_with(KvCode::kNotSet, current->revision, current->modified)
                    : reply_with(KvCode::kNotSet, -1);
    return Status::ok();
  }
  const KvRecord next = next_live_version(current, live, command.value, command.expires_ms,
                                          (flags & kSetNoRevision) == 0, stamp);
  store_.write(ctx, command.key, current, next);
  reply = reply_with(KvCode::kSet, next.revision, stamp);
  return Status::ok();
}

Status KvStateMachine::remove(ApplyContext& ctx, const HlcTimestamp& stamp, const KvDelete& command,
                              KvReply& reply) const {
  if (!valid_key(command.key)) {
    reply = reply_with(KvCode::kInvalidInput);
    return Status::ok();
  }
  bool held = false;
  if (Status s = held_by_intent(ctx, command.key, held); !s.is_ok() || held) {
    reply = reply_with(KvCode::kMustRetry);
    return s;
  }
  std::optional<KvRecord> current;
  if (Status s = store_.load_current(ctx, command.key, current); !s.is_ok()) return s;
  if (!current || !current->is_live(stamp)) {
    reply = reply_with(KvCode::kDoesNotExist);
    return Status::ok();
  }
  const KvRecord tombstone = tombstone_of(*current, stamp);
  store_.write(ctx, command.key, current, tombstone);
  reply = reply_with(KvCode::kDeleted, tombstone.revision, stamp);
  return Status::ok();
}

Status KvStateMachine::extend(ApplyContext& ctx, const HlcTimestamp& stamp, const KvExtend& command,
                              KvReply& reply) const {
  if (!valid_key(command.key) || command.expires_ms <= 0) {
    reply = reply_with(KvCode::kInvalidInput);
    return Status::ok();
  }
  bool held = false;
  if (Status s = held_by_intent(ctx, command.key, held); !s.is_ok() || held) {
    reply = reply_with(KvCode::kMustRetry);
    return s;
  }
  std::optional<KvRecord> current;
  if (Status s = store_.load_current(ctx, command.key, current); !s.is_ok()) return s;
  if (!current || !current->is_live(stamp)) {
    reply = reply_with(KvCode::kDoesNotExist);
    return Status::ok();
  }
  KvRecord next = *current;
  next.expiry = hlc_after(stamp, command.expires_ms);
  store_.rewrite(ctx, command.key, *current, next);
  reply = reply_with(KvCode::kExtended, next.revision, next.modified);
  return Status::ok();
}

Status KvStateMachine::set_many(ApplyContext& ctx, const HlcTimestamp& stamp, const KvSetMany& command,
                                KvBatchReply& reply) const {
  reply.items.clear();
  reply.items.reserve(command.items.size());
  for (const auto& item : command.items) {
    KvReply row;
    if (Status s = set(ctx, stamp, item, row); !s.is_ok()) return s;
    reply.items.push_back(std::move(row));
  }
  return Status::ok();
}

Status KvStateMachine::delete_many(ApplyContext& ctx, const HlcTimestamp& stamp, const KvDeleteMany& command,
                                   KvBatchReply& reply) const {
  reply.items.clear();
  reply.items.reserve(command.keys.size());
  for (const auto& key : command.keys) {
    KvReply row;
    if (Status s = remove(ctx, stamp, KvDelete{key}, row); !s.is_ok()) return s;
    reply.items.push_back(std::move(row));
  }
  return Status::ok();
}

Status KvStateMachine::expire(ApplyContext& ctx, const HlcTimestamp& stamp, const KvExpire& command,
                              KvReply& reply) const {
  std::optional<KvRecord> current;
  if (Status s = store_.load_current(ctx, command.key, current); !s.is_ok()) return s;
  if (!current) {
    reply = reply_with(KvCode::kDoesNotExist);
    return Status::ok();
  }
  // Only the exact revision the leader saw, and only once it has expired: a
  // key re-set or extended since then is not touched.
  const bool expired =
      current->state == KvRecord::State::kLive && !current->expiry.is_zero() && current->expiry <= stamp;
  if (!expired || current->revision != command.revision) {
    reply = reply_with(KvCode::kNotSet, current->revision, current->modified);
    return Status::ok();
  }
  store_.drop_expired(ctx, command.key, *current, stamp);
  reply = reply_with(KvCode::kDeleted, current->revision, stamp);
  return Status::ok();
}

}  // namespace kahuna::services
