#include "services/tx/tx_state_machine.h"

#include <set>
#include <string>

#include "services/codec/byte_reader.h"
#include "services/codec/byte_writer.h"
#include "services/commands/name_rules.h"

namespace kahuna::services {

namespace {

TxReply reply_with(TxCode code) {
  TxReply reply;
  reply.code = code;
  return reply;
}

TxReply aborted_at(std::string_view key, HlcTimestamp holder = {}, std::uint32_t holder_anchor = 0) {
  TxReply reply = reply_with(TxCode::kAborted);
  reply.key = std::string(key);
  reply.holder = holder;
  reply.holder_anchor = holder_anchor;
  return reply;
}

// A record's decision as a reply.
TxReply decision_of(const TxRecord& record) {
  if (record.state == TxState::kCommitted) {
    TxReply reply = reply_with(TxCode::kCommitted);
    reply.commit_stamp = record.decided;
    return reply;
  }
  return reply_with(TxCode::kAborted);
}

// Old records dropped by one command at most: bounds an entry's work, and
// each transaction adds one record, so they never pile up.
constexpr int kMaxRecordForgets = 16;

// Whether transaction `tx` began more than the retention before `stamp`.
bool older_than_retention(const HlcTimestamp& tx, const HlcTimestamp& stamp) {
  return tx.physical + TxStateMachine::kRecordRetentionMs < stamp.physical;
}

TxIntent intent_of(const TxWrite& write, const HlcTimestamp& tx, const HlcTimestamp& deadline,
                   std::uint32_t anchor) {
  TxIntent intent;
  intent.tx = tx;
  intent.deadline = deadline;
  intent.anchor = anchor;
  intent.kind = write.kind;
  intent.value = write.value;
  intent.expires_ms = write.expires_ms;
  intent.keep_history = write.keep_history;
  return intent;
}

}  // namespace

bool TxStateMachine::valid_write(const TxWrite& write) const noexcept {
  const KvOptions& options = store_.options();
  const bool valid_key =
      !write.key.empty() && !is_reserved_name(write.key) && write.key.size() <= options.max_key_bytes;
  const bool valid_value = !write.value || write.value->size() <= options.max_value_bytes;
  const bool valid_expiry = write.kind == TxWriteKind::kExtend ? write.expires_ms > 0 : write.expires_ms >= 0;
  return valid_key && valid_value && valid_expiry && write.kind <= TxWriteKind::kLock;
}

Status TxStateMachine::load_intent(const StateReader& reader, std::string_view key,
                                   std::optional<TxIntent>& out) const {
  out.reset();
  std::string bytes;
  Status status = reader.get(store_.layout().tx_intent_key(key), bytes);
  if (status.code() == StatusCode::kNotFound) return Status::ok();
  if (!status.is_ok()) return status;
  TxIntent intent;
  if (Status s = decode_tx_intent(bytes, intent); !s.is_ok()) return s;
  out = std::move(intent);
  return Status::ok();
}

Status TxStateMachine::load_record(const StateReader& reader, const HlcTimestamp& tx,
                                   std::optional<TxRecord>& out) const {
  out.reset();
  std::string bytes;
  Status status = reader.get(store_.layout().tx_record_key(tx), bytes);
  if (status.code() == StatusCode::kNotFound) return Status::ok();
  if (!status.is_ok()) return status;
  TxRecord record;
  if (Status s = decode_tx_record(bytes, record); !s.is_ok()) return s;
  out = std::move(record);
  return Status::ok();
}

Status TxStateMachine::intent_count(const StateReader& reader, std::uint64_t& out) const {
  out = 0;
  std::string bytes;
  Status status = reader.get(store_.layout().tx_intent_count_key(), bytes);
  if (status.code() == StatusCode::kNotFound) return Status::ok();
  if (!status.is_ok()) return status;
  ByteReader r(bytes);
  if (!r.varint(out) || !r.done()) return Status::corruption("undecodable transaction intent count");
  return Status::ok();
}

Status TxStateMachine::stale_intents(const StateReader& reader, const HlcTimestamp& now, std::size_t limit,
                                     std::vector<StaleIntent>& out) const {
  out.clear();
  const KeyRange range = store_.layout().family_range(Family::kTxIntent);
  auto cursor = reader.scan(range.begin, range.end);
  for (; cursor->valid() && out.size() < limit; cursor->next()) {
    TxIntent intent;
    if (Status s = decode_tx_intent(cursor->value(), intent); !s.is_ok()) return s;
    if (now < intent.deadline) continue;
    std::string_view key;
    if (!store_.layout().strip(Family::kTxIntent, cursor->key(), key)) continue;
    out.push_back(StaleIntent{std::string(key), intent.tx, intent.anchor});
  }
  return cursor->status();
}

Status TxStateMachine::intent_in_the_way(const StateReader& reader, std::string_view key,
                                         const HlcTimestamp& tx, std::optional<TxIntent>& holder) const {
  holder.reset();
  std::uint64_t count = 0;
  if (Status s = intent_count(reader, count); !s.is_ok() || count == 0) return s;
  std::optional<TxIntent> intent;
  if (Status s = load_intent(reader, key, intent); !s.is_ok()) return s;
  if (intent && (tx.is_zero() || intent->tx != tx)) holder = std::move(intent);
  return Status::ok();
}

void TxStateMachine::put_intent_count(ApplyContext& ctx, std::int64_t count) const {
  if (count <= 0) {
    ctx.remove(store_.layout().tx_intent_count_key());
    return;
  }
  ByteWriter w;
  w.varint(static_cast<std::uint64_t>(count));
  ctx.put(store_.layout().tx_intent_count_key(), w.take());
}

void TxStateMachine::put_record(ApplyContext& ctx, const HlcTimestamp& tx, const TxRecord& record) const {
  ctx.put(store_.layout().tx_record_key(tx), encode_tx_record(record));
}

Status TxStateMachine::check(const StateReader& reader, const HlcTimestamp& stamp, const HlcTimestamp& tx,
                             const std::vector<TxWrite>& writes, const std::vector<TxRead>& reads,
                             TxReply& reply, bool& passed) const {
  passed = false;
  std::set<std::string_view> written;
  for (const TxWrite& write : writes) {
    // One intent per key: the coordinator folds a session's writes to a key.
    if (!valid_write(write) || !written.insert(write.key).second) {
      reply = reply_with(TxCode::kInvalidInput);
      return Status::ok();
    }
  }
  for (const TxRead& read : reads) {
    if (!valid_write(TxWrite{read.key})) {
      reply = reply_with(TxCode::kInvalidInput);
      return Status::ok();
    }
  }
  if (tx.is_zero() || (writes.empty() && reads.empty())) {
    reply = reply_with(TxCode::kInvalidInput);
    return Status::ok();
  }
  // Another transaction's intent on any key this one touches: it may commit
  // a value this one did not see, or be overwritten by this one.
  auto blocked = [&](std::string_view key, bool& in_the_way) -> Status {
    std::optional<TxIntent> holder;
    if (Status s = intent_in_the_way(reader, key, tx, holder); !s.is_ok()) return s;
    in_the_way = holder.has_value();
    if (in_the_way) reply = aborted_at(key, holder->tx, holder->anchor);
    return Status::ok();
  };
  for (const TxWrite& write : writes) {
    bool in_the_way = false;
    if (Status s = blocked(write.key, in_the_way); !s.is_ok() || in_the_way) return s;
  }
  for (const TxRead& read : reads) {
    bool in_the_way = false;
    if (Status s = blocked(read.key, in_the_way); !s.is_ok() || in_the_way) return s;
    std::optional<KvRecord> current;
    if (Status s = store_.load_current(reader, read.key, current); !s.is_ok()) return s;
    const bool live = current && current->is_live(stamp);
    if (live != read.live || (live && current->revision != read.revision)) {
      reply = aborted_at(read.key);
      return Status::ok();
    }
  }
  passed = true;
  return Status::ok();
}

Status TxStateMachine::prepare(ApplyContext& ctx, const HlcTimestamp& stamp, const TxPrepare& command,
                               TxReply& reply) const {
  if (command.anchor == 0) {  // partition 0 holds the cluster's metadata, never a record
    reply = reply_with(TxCode::kInvalidInput);
    return Status::ok();
  }
  bool passed = false;
  if (Status s = check(ctx, stamp, command.tx, command.writes, command.reads, reply, passed); !s.is_ok()) {
    return s;
  }
  if (!passed) return Status::ok();
  const bool anchor = !command.participants.empty();
  if (anchor) {
    std::optional<TxRecord> record;
    if (Status s = load_record(ctx, command.tx, record); !s.is_ok()) return s;
    // Decided already (aborted by a decide that came first, or a resend
    // after the commit): the decision stands.
    if (record && record->state != TxState::kUndecided) {
      reply = decision_of(*record);
      return Status::ok();
    }
  }
  if (stamp >= command.deadline) {
    reply = reply_with(TxCode::kAborted);
    return Status::ok();
  }
  std::uint64_t stored = 0;
  if (Status s = intent_count(ctx, stored); !s.is_ok()) return s;
  auto count = static_cast<std::int64_t>(stored);
  for (const TxWrite& write : command.writes) {
    std::optional<TxIntent> previous;  // this transaction's own, from a resend
    if (Status s = load_intent(ctx, write.key, previous); !s.is_ok()) return s;
    if (!previous) ++count;
    ctx.put(store_.layout().tx_intent_key(write.key),
            encode_tx_intent(intent_of(write, command.tx, command.deadline, command.anchor)));
  }
  put_intent_count(ctx, count);
  if (anchor)
    put_record(ctx, command.tx, TxRecord{TxState::kUndecided, command.deadline, {}, command.participants});
  reply = reply_with(TxCode::kPrepared);
  return Status::ok();
}

Status TxStateMachine::decide(ApplyContext& ctx, const HlcTimestamp& stamp, const TxDecide& command,
                              TxReply& reply) const {
  if (command.tx.is_zero()) {
    reply = reply_with(TxCode::kInvalidInput);
    return Status::ok();
  }
  std::optional<TxRecord> record;
  if (Status s = load_record(ctx, command.tx, record); !s.is_ok()) return s;
  if (record && record->state != TxState::kUndecided) {
    reply = decision_of(*record);
    return Status::ok();
  }
  // No record of a transaction this old: its record may have been dropped
  // after it was decided either way — presuming it aborted could lie.
  if (!record && older_than_retention(command.tx, stamp)) {
    reply = reply_with(TxCode::kForgotten);
    return Status::ok();
  }
  if (Status s = forget_old_records(ctx, stamp); !s.is_ok()) return s;
  TxRecord decided = record ? *record : TxRecord{};
  // No record: the anchor never prepared (or the prepare is still on its
  // way). Recording the abort makes a late prepare find it and fail.
  const bool commit = command.commit && record && stamp < record->deadline;
  decided.state = commit ? TxState::kCommitted : TxState::kAborted;
  decided.decided = stamp;
  if (!record) decided.deadline = stamp;
  put_record(ctx, command.tx, decided);
  reply = decision_of(decided);
  return Status::ok();
}

Status TxStateMachine::apply_write(ApplyContext& ctx, const HlcTimestamp& at, std::string_view key,
                                   const TxIntent& write, std::int64_t& revision) const {
  std::optional<KvRecord> current;
  if (Status s = store_.load_current(ctx, key, current); !s.is_ok()) return s;
  const bool live = current && current->is_live(at);
  if (write.kind == TxWriteKind::kLock) {
    revision = current ? current->revision : -1;
    return Status::ok();
  }
  if (write.kind == TxWriteKind::kExtend) {
    revision = current ? current->revision : -1;
    if (!live) return Status::ok();  // expired or gone meanwhile: like an extend of a missing key
    KvRecord next = *current;
    next.expiry = hlc_after(at, write.expires_ms);
    store_.rewrite(ctx, key, *current, next);
    return Status::ok();
  }
  if (write.kind == TxWriteKind::kDelete) {
    revision = current ? current->revision : -1;
    if (!live) return Status::ok();  // nothing to delete: like a delete of a missing key
    const KvRecord tombstone = tombstone_of(*current, at);
    store_.write(ctx, key, current, tombstone);
    revision = tombstone.revision;
    return Status::ok();
  }
  const KvRecord next =
      next_live_version(current, live, write.value, write.expires_ms, write.keep_history, at);
  store_.write(ctx, key, current, next);
  revision = next.revision;
  return Status::ok();
}

Status TxStateMachine::resolve(ApplyContext& ctx, const HlcTimestamp& stamp, const TxResolve& command,
                               TxReply& reply) const {
  (void)stamp;
  if (command.tx.is_zero() || (command.commit && command.commit_stamp.is_zero())) {
    reply = reply_with(TxCode::kInvalidInput);
    return Status::ok();
  }
  std::uint64_t stored = 0;
  if (Status s = intent_count(ctx, stored); !s.is_ok()) return s;
  auto count = static_cast<std::int64_t>(stored);
  for (const std::string& key : command.keys) {
    std::optional<TxIntent> intent;
    if (Status s = load_intent(ctx, key, intent); !s.is_ok()) return s;
    if (!intent || intent->tx != command.tx) continue;
    if (command.commit) {
      std::int64_t revision = 0;
      if (Status s = apply_write(ctx, command.commit_stamp, key, *intent, revision); !s.is_ok()) return s;
    }
    ctx.remove(store_.layout().tx_intent_key(key));
    --count;
  }
  put_intent_count(ctx, count);
  reply = reply_with(TxCode::kResolved);
  return Status::ok();
}

Status TxStateMachine::commit_local(ApplyContext& ctx, const HlcTimestamp& stamp,
                                    const TxCommitLocal& command, TxReply& reply) const {
  if (!command.tx.is_zero()) {
    std::optional<TxRecord> record;
    if (Status s = load_record(ctx, command.tx, record); !s.is_ok()) return s;
    if (record && record->state != TxState::kUndecided) {
      reply = decision_of(*record);
      return Status::ok();
    }
  }
  bool passed = false;
  if (Status s = check(ctx, stamp, command.tx, command.writes, command.reads, reply, passed); !s.is_ok()) {
    return s;
  }
  if (!passed) return Status::ok();
  std::uint64_t stored = 0;
  if (Status s = intent_count(ctx, stored); !s.is_ok()) return s;
  auto count = static_cast<std::int64_t>(stored);
  TxReply committed = reply_with(TxCode::kCommitted);
  committed.commit_stamp = stamp;
  for (const TxWrite& write : command.writes) {
    // This transaction's own intent on the key (prepared before it knew it
    // would stay on one partition) is superseded by the write.
    std::optional<TxIntent> own;
    if (Status s = load_intent(ctx, write.key, own); !s.is_ok()) return s;
    if (own) {
      ctx.remove(store_.layout().tx_intent_key(write.key));
      --count;
    }
    std::int64_t revision = 0;
    if (Status s = apply_write(ctx, stamp, write.key,
                               intent_of(write, command.tx, {}, store_.layout().partition_id()), revision);
        !s.is_ok()) {
      return s;
    }
    committed.revisions.push_back(revision);
  }
  put_intent_count(ctx, count);
  if (Status s = forget_old_records(ctx, stamp); !s.is_ok()) return s;
  put_record(ctx, command.tx, TxRecord{TxState::kCommitted, stamp, stamp, {store_.layout().partition_id()}});
  reply = std::move(committed);
  return Status::ok();
}

Status TxStateMachine::forget(ApplyContext& ctx, const HlcTimestamp& stamp, const TxForget& command,
                              TxReply& reply) const {
  (void)stamp;
  std::optional<TxRecord> record;
  if (Status s = load_record(ctx, command.tx, record); !s.is_ok()) return s;
  if (record && record->state == TxState::kUndecided) {
    reply = reply_with(TxCode::kUndecided);
    return Status::ok();
  }
  if (record) ctx.remove(store_.layout().tx_record_key(command.tx));
  reply = reply_with(TxCode::kForgotten);
  return Status::ok();
}

Status TxStateMachine::decide_and_resolve(ApplyContext& ctx, const HlcTimestamp& stamp,
                                          const TxDecideResolve& command, TxReply& reply) const {
  if (Status s = decide(ctx, stamp, TxDecide{command.tx, command.commit}, reply); !s.is_ok()) return s;
  if (reply.code != TxCode::kCommitted && reply.code != TxCode::kAborted) return Status::ok();
  const TxReply decision = reply;
  const bool commit = decision.code == TxCode::kCommitted;
  if (Status s =
          resolve(ctx, stamp, TxResolve{command.tx, commit, decision.commit_stamp, command.keys}, reply);
      !s.is_ok()) {
    return s;
  }
  reply = decision;
  return Status::ok();
}

Status TxStateMachine::forget_old_records(ApplyContext& ctx, const HlcTimestamp& stamp) const {
  const KeyRange range = store_.layout().family_range(Family::kTxRecord);
  std::vector<std::string> old;
  {
    auto cursor = ctx.scan(range.begin, range.end);
    for (; cursor->valid() && old.size() < kMaxRecordForgets; cursor->next()) {
      std::string_view rest;
      if (!store_.layout().strip(Family::kTxRecord, cursor->key(), rest)) continue;
      TxRecord record;
      if (Status s = decode_tx_record(cursor->value(), record); !s.is_ok()) return s;
      // Records are in the order their transactions began: the first one
      // young enough ends the search.
      HlcTimestamp tx;
      if (!read_hlc_ordered(rest, tx)) return Status::corruption("undecodable transaction record key");
      if (!older_than_retention(tx, stamp)) break;
      if (record.state != TxState::kUndecided) old.emplace_back(cursor->key());
    }
    if (Status s = cursor->status(); !s.is_ok()) return s;
  }
  for (const std::string& key : old) ctx.remove(key);
  return Status::ok();
}

Status TxStateMachine::query(const StateReader& reader, const TxQuery& command, TxReply& reply) const {
  std::optional<TxRecord> record;
  if (Status s = load_record(reader, command.tx, record); !s.is_ok()) return s;
  reply =
      record && record->state != TxState::kUndecided ? decision_of(*record) : reply_with(TxCode::kUndecided);
  return Status::ok();
}

}  // namespace kahuna::services
